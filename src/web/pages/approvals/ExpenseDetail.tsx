import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { ExpenseDetailDto } from '../../../common/schemas/approvals';
import { formatMoney } from '../../../common/money';
import { api } from '../../api/client';
import { ApprovalPanel, ApprovalStatusTag } from '../../components/ApprovalPanel';
import { Attachments } from '../../components/Attachments';
import { formatTime } from '../../components/format';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { EXPENSES_KEY, ExpenseFormModal } from './ExpenseForm';

/** One expense claim: its facts, its approval (submit, progress, decisions), files and history. */
export default function ExpenseDetail() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState('approval');
  const detail = useQuery({ queryKey: [...EXPENSES_KEY, 'detail', id], queryFn: () => api.get<ExpenseDetailDto>(`/expenses/${id}`) });
  const history = useRecordHistory([...EXPENSES_KEY, 'history', id], `/expenses/${id}`, tab === 'history');
  const back = <BackToList to="/expenses" />;
  const fallback = recordFallback(detail, back);
  if (fallback || !detail.data) return fallback;
  const e = detail.data;
  return (
    <PageContainer
      title={
        <Space size={8} wrap>
          <span>{e.title}</span>
          <ApprovalStatusTag status={e.status} />
        </Space>
      }
      subTitle={`${t('approvals.expenses.detailTitle')} · ${e.code}`}
      extra={
        <>
          {back}
          {e.allowed.edit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="expense-edit">
              {t('common.edit')}
            </Button>
          )}
        </>
      }
    >
      {e.status === 'pending' && <Alert type="info" showIcon className="page-alert" message={t('approvals.expenses.lockedNotice')} />}
      <Card className="page-card">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 3 }}
          data-testid="expense-detail"
          items={[
            { key: 'amount', label: t('approvals.expenses.amount'), children: formatMoney(e.amount, e.currency) },
            { key: 'category', label: t('approvals.expenses.category'), children: t(`approvals.expenses.categories.${e.category}`) },
            { key: 'occurredOn', label: t('approvals.expenses.occurredOn'), children: e.occurredOn },
            { key: 'owner', label: t('approvals.expenses.owner'), children: e.ownerName },
            { key: 'customer', label: t('approvals.expenses.customer'), children: e.customerId ? <Link to={`/customers/${e.customerId}`}>{e.customerName}</Link> : '-' },
            { key: 'createdAt', label: t('common.createdAt'), children: formatTime(e.createdAt) },
            { key: 'description', label: t('approvals.expenses.description'), span: 'filled', children: <span className="pre-wrap">{e.description || '-'}</span> },
          ]}
        />
      </Card>
      <Card className="page-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'approval',
              label: t('approvals.expenses.approval'),
              children: <ApprovalPanel type="expense" recordId={e.id} submitPath={e.allowed.submit ? `/expenses/${e.id}/submit` : undefined} />,
            },
            { key: 'files', label: t('approvals.expenses.files'), children: <Attachments entityType="expense" entityId={e.id} writable={e.allowed.edit} /> },
            { key: 'history', label: t('approvals.expenses.history'), children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} /> },
          ]}
        />
      </Card>
      {editing && <ExpenseFormModal expense={e} onClose={() => setEditing(false)} />}
    </PageContainer>
  );
}
