import { PlusOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import { OPPORTUNITY_STATUSES, type OpportunityDto, type OpportunityStatus } from '../../../common/schemas/opportunities';
import { api, type QueryParams } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { formatTime } from '../../components/format';
import { ExportButton, useLatestParams } from '../../components/ExportButton';
import { ImportButton } from '../../components/ImportWizard';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { OpportunityFormModal } from './OpportunityForm';
import { OpportunityStatusTag, usePipelines } from './opportunities';
import { TransferModal } from './TransferModal';

type View = 'scope' | 'mine' | 'shared_with_me';

interface Filters {
  q?: string;
  view?: View;
  status?: OpportunityStatus | null;
  pipelineId?: number | null;
  stageId?: number | null;
  ownerId?: number | null;
  departmentId?: number | null;
  close?: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null;
  amountMin?: string;
  amountMax?: string;
}

export const opportunityColumns = (t: TFunction): ColumnsType<OpportunityDto> => [
  { title: t('opportunities.name'), dataIndex: 'name', key: 'name', render: (name: string, o) => <Link to={`/opportunities/${o.id}`}>{name}</Link> },
  { title: t('opportunities.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
  { title: t('opportunities.customer'), dataIndex: 'customerName', key: 'customer', render: (v: string, o) => <Link to={`/customers/${o.customerId}`}>{v}</Link> },
  { title: t('opportunities.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string, o) => formatMoney(v, o.currency) },
  { title: t('opportunities.stage'), dataIndex: 'stageName', key: 'stage', render: (v: string, o) => `${v} (${o.winRate}%)` },
  { title: t('opportunities.status'), dataIndex: 'status', key: 'status', render: (v: OpportunityStatus) => <OpportunityStatusTag status={v} /> },
  { title: t('opportunities.expectedCloseDate'), dataIndex: 'expectedCloseDate', key: 'close', render: (v: string | null) => v ?? '-' },
  { title: t('opportunities.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
  { title: t('opportunities.department'), dataIndex: 'departmentName', key: 'department', render: (v: string | null) => v ?? '-' },
  { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
];

/** Opportunities: search and filters, create, bulk transfer for those who may. */
export default function OpportunityList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const pipelines = usePipelines();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [transferring, setTransferring] = useState(false);
  const transferrer = can('opportunity.transfer');
  const columns = useMemo(() => opportunityColumns(t), [t]);
  const listParams = useLatestParams();
  const toParams = (f: Filters): QueryParams => ({
    q: f.q?.trim(),
    view: f.view,
    status: f.status,
    pipelineId: f.pipelineId,
    stageId: f.stageId,
    ownerId: f.ownerId,
    departmentId: f.departmentId,
    closeFrom: f.close?.[0]?.format('YYYY-MM-DD'),
    closeTo: f.close?.[1]?.format('YYYY-MM-DD'),
    amountMin: f.amountMin?.trim() || undefined,
    amountMax: f.amountMax?.trim() || undefined,
  });
  const stages = (pipelines.data ?? []).flatMap((p) => p.stages.map((s) => ({ value: s.id, label: `${p.name} · ${s.name}` })));

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('opportunities.searchPlaceholder')} aria-label={t('opportunities.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="view" key="view">
      <Select<View> aria-label={t('customers.view')} options={(['scope', 'mine', 'shared_with_me'] as const).map((v) => ({ value: v, label: t(`opportunities.views.${v}`) }))} />
    </Form.Item>,
    <Form.Item name="status" key="status">
      <Select<OpportunityStatus>
        allowClear
        placeholder={t('opportunities.status')}
        aria-label={t('opportunities.status')}
        options={OPPORTUNITY_STATUSES.map((s) => ({ value: s, label: t(`opportunities.statuses.${s}`) }))}
      />
    </Form.Item>,
    <Form.Item name="pipelineId" key="pipeline">
      <Select allowClear placeholder={t('opportunities.pipeline')} aria-label={t('opportunities.pipeline')} options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))} />
    </Form.Item>,
  ];
  const moreFilters = [
    <Form.Item name="stageId" key="stage" label={t('opportunities.stage')}>
      <Select allowClear showSearch optionFilterProp="label" options={stages} />
    </Form.Item>,
    <Form.Item name="ownerId" key="owner" label={t('opportunities.owner')}>
      <UserSelect allowClear />
    </Form.Item>,
    <Form.Item name="departmentId" key="department" label={t('opportunities.department')}>
      <DepartmentTreeSelect allowClear />
    </Form.Item>,
    <Form.Item name="close" key="close" label={t('opportunities.closeRange')}>
      <DatePicker.RangePicker allowEmpty={[true, true]} />
    </Form.Item>,
    <Form.Item name="amountMin" key="amountMin" label={t('opportunities.amountMin')}>
      <Input />
    </Form.Item>,
    <Form.Item name="amountMax" key="amountMax" label={t('opportunities.amountMax')}>
      <Input />
    </Form.Item>,
  ];

  return (
    <PageContainer
      title={t('opportunities.listMenu')}
      extra={
        <Space>
          {can('opportunity.export') && (
            <ExportButton path="/opportunities/export" testId="opportunity-export" params={listParams.current} columns={columns.map((c) => String(c.key))} selectedIds={selected} />
          )}
          <ImportButton entity="opportunity" onDone={() => void queryClient.invalidateQueries({ queryKey: ['opportunities'] })} />
          {can('opportunity.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="opportunity-create">
              {t('opportunities.create')}
            </Button>
          )}
        </Space>
      }
    >
      <ListPage<OpportunityDto, Filters>
        testId="opportunity-list"
        queryKey="opportunities"
        fetchPage={(p) => api.get<Page<OpportunityDto>>('/opportunities', p)}
        fetchTotal={(p) => api.get<{ total: number }>('/opportunities/count', p).then((r) => r.total)}
        columns={columns}
        rowKey="id"
        filters={filters}
        moreFilters={moreFilters}
        initialFilters={{ view: 'scope' }}
        toParams={toParams}
        onParamsChange={listParams.track}
        defaultSort={{ field: 'updatedAt', order: 'desc' }}
        rowSelection={transferrer ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]) } : undefined}
        toolbar={
          transferrer && (
            <Button icon={<UserSwitchOutlined />} disabled={!selected.length} onClick={() => setTransferring(true)}>
              {t('opportunities.transfer')}
            </Button>
          )
        }
      />
      {creating && <OpportunityFormModal onClose={() => setCreating(false)} onSaved={(o) => navigate(`/opportunities/${o.id}`)} />}
      {transferring && <TransferModal ids={selected} onClose={() => setTransferring(false)} onDone={() => setSelected([])} />}
    </PageContainer>
  );
}
