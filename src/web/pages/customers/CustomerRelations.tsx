import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Col, Empty, Form, List, Popconfirm, Row, Select, Skeleton, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  type CustomerRelationsDto,
  type PeerRelationDto,
  type RelatedCustomerDto,
  RelationCreate,
  RELATION_ROLES,
  type RelationTreeNode,
} from '../../../common/schemas/customer-relations';
import { api } from '../../api/client';
import type { CustomerDto } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { useSchemaForm, useShowError } from '../../components/form';

/** A related customer: a link to its page, or a placeholder for one the user may not see. */
function CustomerLabel({ customer, current }: { customer: RelatedCustomerDto; current?: boolean }) {
  const { t } = useTranslation();
  if (customer.hidden || customer.id === null) return <Typography.Text type="secondary">{t('relations.hidden')}</Typography.Text>;
  if (current) return <Typography.Text strong mark>{customer.name}</Typography.Text>;
  return <Link to={`/customers/${customer.id}?tab=relations`}>{customer.name}</Link>;
}

/**
 * The relationship chain (客户关系链, CUS-5): the group tree from the top down
 * through this customer to its subsidiaries and branches, and the peer links
 * (affiliates, upstream suppliers, downstream dealers, partners) by kind.
 */
export function CustomerRelations({ customer }: { customer: CustomerDto }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const key = ['customers', 'relations', customer.id];
  const relations = useQuery({ queryKey: key, queryFn: () => api.get<CustomerRelationsDto>(`/customers/${customer.id}/relations`) });
  const { form, field, submit, submitting } = useSchemaForm(RelationCreate);

  const changed = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: key }), queryClient.invalidateQueries({ queryKey: ['customers', 'history', customer.id] })]);

  const add = submit(async (data) => {
    await api.post(`/customers/${customer.id}/relations`, data);
    await changed();
    form.resetFields(['customerId']);
    message.success(t('relations.added'));
  });

  const remove = async (relationId: number) => {
    try {
      await api.delete(`/customers/${customer.id}/relations/${relationId}`);
      await changed();
      message.success(t('relations.removed'));
    } catch (err) {
      showError(err);
    }
  };

  if (relations.error) return <Alert type="error" showIcon message={relations.error.message} />;
  if (relations.isPending) return <Skeleton active />;
  const { tree, peers, canEdit } = relations.data;

  // a link is removed from this customer's side: its own parent link and its direct children's
  const removable = (n: RelationTreeNode, parentIsCurrent: boolean) => canEdit && n.relationId !== null && (n.current || parentIsCurrent);
  const removeButton = (relationId: number, name: string | null) => (
    <Popconfirm
      title={t('relations.removeConfirm', { name: name ?? t('relations.hidden') })}
      onConfirm={() => remove(relationId)}
      okText={t('common.remove')}
      cancelText={t('common.cancel')}
    >
      <Button type="link" danger size="small" icon={<DeleteOutlined />} aria-label={t('common.remove')} />
    </Popconfirm>
  );
  const toData = (n: RelationTreeNode, parentIsCurrent: boolean): DataNode => ({
    key: n.key,
    title: (
      <Space size={4} data-testid={n.current ? 'relation-current' : 'relation-node'}>
        {n.kind && <Tag bordered={false}>{t(`relations.treeKinds.${n.kind}`)}</Tag>}
        <CustomerLabel customer={n.customer} current={n.current} />
        {removable(n, parentIsCurrent) && removeButton(n.relationId!, n.customer.name)}
      </Space>
    ),
    children: n.children.map((c) => toData(c, n.current)),
  });
  const allKeys = (n: RelationTreeNode): string[] => [n.key, ...n.children.flatMap(allKeys)];
  const peerRoles = RELATION_ROLES.filter((r) => peers.some((p) => p.role === r));

  return (
    <>
      {canEdit && (
        <Form form={form} name="relation" onFinish={add} initialValues={{ role: 'subsidiary' }} style={{ marginBottom: 16 }}>
          <Row gutter={[12, 12]}>
            <Col xs={24} md={11}>
              <Form.Item {...field('customerId')} style={{ marginBottom: 0 }}>
                <CustomerSelect placeholder={t('relations.pickCustomer')} aria-label={t('relations.customer')} data-testid="relation-customer" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item {...field('role')} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('relations.role')}
                  data-testid="relation-role"
                  options={RELATION_ROLES.map((r) => ({ value: r, label: t(`relations.roles.${r}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={5}>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={submitting} block data-testid="relation-add">
                {t('common.add')}
              </Button>
            </Col>
          </Row>
        </Form>
      )}
      <Typography.Title level={5}>{t('relations.tree')}</Typography.Title>
      {tree.children.length || !tree.current ? (
        <Tree treeData={[toData(tree, false)]} defaultExpandedKeys={allKeys(tree)} selectable={false} showLine data-testid="relation-tree" />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('relations.noTree')} />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('relations.peers')}
      </Typography.Title>
      {peerRoles.length ? (
        peerRoles.map((role) => (
          <List<PeerRelationDto>
            key={role}
            size="small"
            header={<Typography.Text strong>{t(`relations.roles.${role}`)}</Typography.Text>}
            dataSource={peers.filter((p) => p.role === role)}
            renderItem={(p) => (
              <List.Item actions={canEdit ? [removeButton(p.relationId, p.customer.name)] : undefined}>
                <CustomerLabel customer={p.customer} />
              </List.Item>
            )}
            data-testid={`relation-peers-${role}`}
          />
        ))
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('relations.noPeers')} />
      )}
    </>
  );
}
