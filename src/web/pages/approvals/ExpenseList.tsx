import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { APPROVAL_STATUSES, type ExpenseCategory, type ExpenseDto, type ExpenseStatus } from '../../../common/schemas/approvals';
import { formatMoney } from '../../../common/money';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { ApprovalStatusTag } from '../../components/ApprovalPanel';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { EXPENSES_KEY, ExpenseFormModal } from './ExpenseForm';

interface Filters {
  view?: 'mine' | 'all';
  status?: ExpenseStatus | null;
}

/** My expense claims (and everybody's, for those who see all approvals). */
export default function ExpenseList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  const columns = useMemo<ColumnsType<ExpenseDto>>(
    () => [
      { title: t('approvals.expenses.name'), dataIndex: 'title', key: 'title', render: (v: string, e) => <Link to={`/expenses/${e.id}`}>{v}</Link> },
      { title: t('approvals.expenses.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      { title: t('approvals.expenses.category'), dataIndex: 'category', key: 'category', render: (v: ExpenseCategory) => t(`approvals.expenses.categories.${v}`) },
      { title: t('approvals.expenses.amount'), key: 'amount', align: 'right', render: (_: unknown, e) => formatMoney(e.amount, e.currency) },
      { title: t('approvals.expenses.occurredOn'), dataIndex: 'occurredOn', key: 'occurredOn' },
      { title: t('approvals.status'), dataIndex: 'status', key: 'status', render: (v: ExpenseStatus) => <ApprovalStatusTag status={v} /> },
      { title: t('approvals.expenses.owner'), dataIndex: 'ownerName', key: 'owner' },
      { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', render: formatTime },
    ],
    [t],
  );

  const filters = [
    ...(can('approval.view_all')
      ? [
          <Form.Item name="view" key="view">
            <Select
              aria-label={t('customers.view')}
              options={[
                { value: 'mine', label: t('approvals.expenses.title') },
                { value: 'all', label: t('approvals.expenses.all') },
              ]}
            />
          </Form.Item>,
        ]
      : []),
    <Form.Item name="status" key="status">
      <Select<ExpenseStatus>
        allowClear
        placeholder={t('approvals.status')}
        aria-label={t('approvals.status')}
        options={(['draft', ...APPROVAL_STATUSES] as const).map((s) => ({ value: s, label: t(`approvals.statuses.${s}`) }))}
      />
    </Form.Item>,
  ];

  return (
    <PageContainer
      title={t('approvals.expenses.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="expense-create">
          {t('approvals.expenses.create')}
        </Button>
      }
    >
      <ListPage<ExpenseDto, Filters>
        testId="expense-list"
        queryKey={EXPENSES_KEY[0]}
        fetchPage={(p) => api.get<Page<ExpenseDto>>('/expenses', p)}
        columns={columns}
        rowKey="id"
        filters={filters}
        initialFilters={{ view: 'mine' }}
      />
      {creating && <ExpenseFormModal onClose={() => setCreating(false)} onSaved={(e) => navigate(`/expenses/${e.id}`)} />}
    </PageContainer>
  );
}
