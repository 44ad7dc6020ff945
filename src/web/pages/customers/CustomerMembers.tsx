import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Form, Popconfirm, Row, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { RecordAccessBody } from '../../../common/schemas/customers';
import { api } from '../../api/client';
import type { AccessLevel, CustomerDto, MemberKind, RecordMember } from '../../api/types';
import { useSchemaForm, useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { UserSelect } from '../../components/UserSelect';

/**
 * Team members (people who work the customer with the owner) and shares (people
 * it is shown to), each read only or read-write. Who may manage the record adds
 * and removes them.
 */
export function CustomerMembers({ customer, canManage }: { customer: CustomerDto; canManage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const key = ['customers', 'members', customer.id];
  const members = useQuery({
    queryKey: key,
    queryFn: () => api.get<{ items: RecordMember[] }>(`/customers/${customer.id}/members`).then((r) => r.items),
  });
  const { form, field, submit, submitting } = useSchemaForm(RecordAccessBody);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['customers', 'history', customer.id] });

  const add = submit(async (data) => {
    const { items } = await api.post<{ items: RecordMember[] }>(`/customers/${customer.id}/members`, data);
    queryClient.setQueryData(key, items);
    await refresh();
    form.resetFields(['userId']);
    message.success(t('customers.members.added'));
  });

  const remove = async (m: RecordMember) => {
    try {
      await api.delete(`/customers/${customer.id}/members/${m.userId}`, { kind: m.kind });
      await queryClient.invalidateQueries({ queryKey: key });
      await refresh();
      message.success(t('customers.members.removed'));
    } catch (err) {
      showError(err);
    }
  };

  const columns: ColumnsType<RecordMember> = [
    { title: t('customers.members.user'), dataIndex: 'userName', key: 'user' },
    {
      title: t('customers.members.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: MemberKind) => <Tag color={k === 'team' ? 'blue' : 'purple'}>{t(`customers.members.kinds.${k}`)}</Tag>,
    },
    {
      title: t('customers.members.access'),
      dataIndex: 'access',
      key: 'access',
      render: (a: AccessLevel) => t(`customers.members.accessLevels.${a}`),
    },
    { title: t('customers.members.grantedBy'), dataIndex: 'grantedByName', key: 'grantedBy', render: (v: string | null) => v ?? '-' },
    { title: t('customers.members.grantedAt'), dataIndex: 'createdAt', key: 'createdAt', render: formatTime },
    ...(canManage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, m: RecordMember) => (
              <Popconfirm
                title={t('customers.members.removeConfirm', { name: m.userName })}
                onConfirm={() => remove(m)}
                okText={t('common.remove')}
                cancelText={t('common.cancel')}
              >
                <Button type="link" danger size="small" icon={<DeleteOutlined />}>
                  {t('common.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {canManage && (
        <Form form={form} name="member" onFinish={add} initialValues={{ kind: 'team', access: 'read' }} style={{ marginBottom: 16 }}>
          <Row gutter={[12, 12]}>
            <Col xs={24} md={9}>
              <Form.Item {...field('userId')} style={{ marginBottom: 0 }}>
                <UserSelect
                  exclude={customer.ownerId ? [customer.ownerId] : []}
                  placeholder={t('common.searchUser')}
                  aria-label={t('customers.members.user')}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={5}>
              <Form.Item {...field('kind')} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('customers.members.kind')}
                  options={(['team', 'share'] as const).map((k) => ({ value: k, label: t(`customers.members.kinds.${k}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={5}>
              <Form.Item {...field('access')} style={{ marginBottom: 0 }}>
                <Select
                  aria-label={t('customers.members.access')}
                  options={(['read', 'write'] as const).map((a) => ({ value: a, label: t(`customers.members.accessLevels.${a}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={5}>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={submitting} block>
                {t('common.add')}
              </Button>
            </Col>
          </Row>
        </Form>
      )}
      <Table<RecordMember>
        rowKey={(m) => `${m.kind}:${m.userId}`}
        columns={columns}
        dataSource={members.data}
        loading={members.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: t('customers.members.empty') }}
      />
    </>
  );
}
