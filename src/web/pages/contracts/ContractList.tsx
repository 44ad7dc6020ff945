import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import { CONTRACT_EXECUTIONS, CONTRACT_STATUSES, type ContractDto, type ContractExecution, type ContractStatus } from '../../../common/schemas/contracts';
import { api, type QueryParams } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { ContractFormModal } from './ContractForm';
import { ContractStatusTag, ExecutionTag } from './contracts';

interface Filters {
  q?: string;
  view?: 'scope' | 'mine';
  status?: ContractStatus | null;
  execution?: ContractExecution | null;
  ownerId?: number | null;
  expiring?: boolean;
}

export const contractColumns = (t: TFunction): ColumnsType<ContractDto> => [
  { title: t('contracts.name'), dataIndex: 'name', key: 'name', render: (v: string, c) => <Link to={`/contracts/${c.id}`}>{v}</Link> },
  { title: t('contracts.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
  { title: t('contracts.customer'), dataIndex: 'customerName', key: 'customer', render: (v: string, c) => <Link to={`/customers/${c.customerId}`}>{v}</Link> },
  { title: t('contracts.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string, c) => formatMoney(v, c.currency) },
  { title: t('contracts.paid'), dataIndex: 'paid', key: 'paid', align: 'right', render: (v: string, c) => formatMoney(v, c.currency) },
  { title: t('contracts.outstanding'), dataIndex: 'outstanding', key: 'outstanding', align: 'right', render: (v: string, c) => formatMoney(v, c.currency) },
  { title: t('contracts.status'), dataIndex: 'status', key: 'status', render: (v: ContractStatus) => <ContractStatusTag status={v} /> },
  { title: t('contracts.execution'), dataIndex: 'execution', key: 'execution', render: (v: ContractExecution) => <ExecutionTag execution={v} /> },
  { title: t('contracts.endsOn'), dataIndex: 'endsOn', key: 'endsOn', render: (v: string | null) => v ?? '-' },
  { title: t('contracts.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
  { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
];

/** Contracts in the user's scope: search, filters (approval, execution, ending soon), create. */
export default function ContractList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const columns = useMemo(() => contractColumns(t), [t]);
  const toParams = (f: Filters): QueryParams => ({
    q: f.q?.trim(),
    view: f.view,
    status: f.status,
    execution: f.execution,
    ownerId: f.ownerId,
    expiringWithin: f.expiring ? 30 : undefined,
  });
  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('contracts.searchPlaceholder')} aria-label={t('contracts.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="view" key="view">
      <Select aria-label={t('customers.view')} options={(['scope', 'mine'] as const).map((v) => ({ value: v, label: t(`contracts.views.${v}`) }))} />
    </Form.Item>,
    <Form.Item name="status" key="status">
      <Select allowClear placeholder={t('contracts.status')} aria-label={t('contracts.status')} options={CONTRACT_STATUSES.map((s) => ({ value: s, label: t(`contracts.statuses.${s}`) }))} />
    </Form.Item>,
    <Form.Item name="execution" key="execution">
      <Select allowClear placeholder={t('contracts.execution')} aria-label={t('contracts.execution')} options={CONTRACT_EXECUTIONS.map((s) => ({ value: s, label: t(`contracts.executions.${s}`) }))} />
    </Form.Item>,
  ];
  const moreFilters = [
    <Form.Item name="ownerId" key="owner" label={t('contracts.owner')}>
      <UserSelect allowClear />
    </Form.Item>,
    <Form.Item name="expiring" key="expiring" valuePropName="checked">
      <Checkbox>{t('contracts.expiringWithin')}</Checkbox>
    </Form.Item>,
  ];
  return (
    <PageContainer
      title={t('contracts.listMenu')}
      extra={
        can('contract.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contract-create">
            {t('contracts.create')}
          </Button>
        )
      }
    >
      <ListPage<ContractDto, Filters>
        testId="contract-list"
        queryKey="contracts"
        fetchPage={(p) => api.get<Page<ContractDto>>('/contracts', p)}
        fetchTotal={(p) => api.get<{ total: number }>('/contracts/count', p).then((r) => r.total)}
        columns={columns}
        rowKey="id"
        filters={filters}
        moreFilters={moreFilters}
        initialFilters={{ view: 'scope' }}
        toParams={toParams}
        defaultSort={{ field: 'updatedAt', order: 'desc' }}
      />
      {creating && <ContractFormModal onClose={() => setCreating(false)} onSaved={(c) => navigate(`/contracts/${c.id}`)} />}
    </PageContainer>
  );
}
