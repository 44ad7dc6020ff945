import { CheckCircleFilled, CloseCircleFilled, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, List, Result, Row, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ExplainQuery } from '../../../common/schemas/org';
import { api } from '../../api/client';
import type { ExplainResult, Grant } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { useSchemaForm } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { scopeLabel } from '../../i18n';

function GrantText({ grant }: { grant: Grant }) {
  const { t } = useTranslation();
  switch (grant.rule) {
    case 'super_admin':
      return <>{t('visibility.grants.super_admin')}</>;
    case 'owner':
      return <>{t('visibility.grants.owner')}</>;
    case 'role_scope':
      return <>{t('visibility.grants.role_scope', { role: grant.roleName, scope: scopeLabel(grant.scope) })}</>;
    default:
      return <>{t(`visibility.grants.${grant.rule}`, { access: t(`customers.members.accessLevels.${grant.access}`) })}</>;
  }
}

/**
 * "Why can this user see this customer?" — for administrators checking the
 * data permissions: the rules that grant it, or why nothing does.
 */
export default function Visibility() {
  const { t } = useTranslation();
  const { form, field, submit, submitting } = useSchemaForm(ExplainQuery);
  const [result, setResult] = useState<ExplainResult>();

  const explain = submit(async (query) => {
    setResult(await api.get<ExplainResult>('/access/explain', query));
  });

  return (
    <PageContainer title={t('menu.visibility')} subTitle={t('visibility.subtitle')}>
      <Card className="page-card">
        <Form form={form} name="explain" layout="vertical" onFinish={explain} initialValues={{ entity: 'customer' }}>
          <Form.Item {...field('entity')} hidden>
            <Input />
          </Form.Item>
          <Row gutter={16} align="bottom">
            <Col xs={24} md={10}>
              <Form.Item label={t('visibility.user')} {...field('userId')}>
                <UserSelect placeholder={t('common.searchUser')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item label={t('visibility.customer')} {...field('recordId')}>
                <CustomerSelect placeholder={t('visibility.customerPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={4}>
              <Form.Item>
                <Button type="primary" htmlType="submit" icon={<SearchOutlined />} loading={submitting} block>
                  {t('visibility.check')}
                </Button>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      {result && (
        <Card className="page-card">
          <Result
            icon={result.visible ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />}
            title={t(result.visible ? 'visibility.visible' : 'visibility.invisible', {
              user: result.user.name,
              record: result.record.name,
            })}
            subTitle={result.record.ownerName ? t('visibility.owner', { owner: result.record.ownerName }) : undefined}
          />
          {!result.hasViewPermission && (
            <Alert type="warning" showIcon message={t('visibility.noViewPermission')} style={{ marginBottom: 16 }} />
          )}
          <List
            header={t('visibility.grantsTitle')}
            bordered
            dataSource={result.grants}
            locale={{ emptyText: t('visibility.noGrants') }}
            renderItem={(g) => (
              <List.Item>
                <span>
                  <Tag color={result.hasViewPermission ? 'green' : 'default'}>{t(`visibility.rules.${g.rule}`)}</Tag>
                  <GrantText grant={g} />
                </span>
              </List.Item>
            )}
          />
        </Card>
      )}
    </PageContainer>
  );
}
