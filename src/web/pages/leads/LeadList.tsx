import { PlusOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { LEAD_STATUSES } from '../../../common/schemas/leads';
import { api, type QueryParams } from '../../api/client';
import type { LeadDto, LeadStatus, Page } from '../../api/types';
import { useSession } from '../../app/session';
import { customFieldColumns, customFilterItems, customFilterParam, useCustomFields } from '../../components/customFields';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { DictSelect, useDictionaries } from '../../components/dictionaries';
import { ExportButton, exportedColumns, useLatestParams } from '../../components/ExportButton';
import { ImportButton } from '../../components/ImportWizard';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { NextFollowup } from '../customers/NextFollowup';
import { AssignLeadsModal } from './AssignLeadsModal';
import { LeadFormDrawer } from './LeadForm';
import { LeadStatusTag } from './leads';

type View = 'scope' | 'mine' | 'unassigned';

interface Filters {
  q?: string;
  view?: View;
  status?: LeadStatus | null;
  sourceCode?: string | null;
  /** Custom-field filters, named by their keys. */
  [key: `cf_${string}`]: unknown;
}

/** Leads: search and filters, create, bulk assignment for those who assign. */
export default function LeadList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const dict = useDictionaries();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<number[]>([]);
  const [assigning, setAssigning] = useState(false);
  const assigner = can('lead.transfer');
  const customFields = useCustomFields('lead');
  const toParams = useCallback(
    (f: Filters): QueryParams => ({ q: f.q?.trim(), view: f.view, status: f.status, sourceCode: f.sourceCode, custom: customFilterParam(customFields.enabled, f) }),
    [customFields.enabled],
  );
  const listParams = useLatestParams();
  const queryClient = useQueryClient();

  const access = useFieldAccess('lead');
  const columns = useMemo<ColumnsType<LeadDto>>(
    () => withoutHidden(access, [
      {
        title: t('leads.name'),
        dataIndex: 'name',
        key: 'name',
        render: (name: string, l) => <Link to={`/leads/${l.id}`}>{name}</Link>,
      },
      { title: t('leads.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      { title: t('leads.company'), dataIndex: 'company', key: 'company', render: (v: string | null) => v ?? '-' },
      { title: t('leads.status'), dataIndex: 'status', key: 'status', render: (v: LeadStatus) => <LeadStatusTag status={v} /> },
      { title: t('leads.score'), dataIndex: 'score', key: 'score', sorter: true, align: 'right' },
      { title: t('leads.mobile'), dataIndex: 'mobile', key: 'mobile', render: (v: string | null) => v ?? '-' },
      { title: t('leads.source'), dataIndex: 'sourceCode', key: 'source', render: (v: string | null) => dict.label('customer_source', v) ?? '-' },
      {
        title: t('leads.owner'),
        dataIndex: 'ownerName',
        key: 'owner',
        render: (v: string | null) => v ?? <Typography.Text type="warning">{t('leads.unassigned')}</Typography.Text>,
      },
      { title: t('customers.lastFollowup'), dataIndex: 'lastFollowupAt', key: 'lastFollowup', render: formatTime },
      { title: t('customers.nextFollowup'), dataIndex: 'nextFollowupAt', key: 'nextFollowup', render: (v: string | null) => <NextFollowup at={v} /> },
      ...customFieldColumns<LeadDto>(customFields.enabled, 'lead'),
      { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, render: formatTime },
      { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
    ]),
    [t, dict, customFields.enabled, access],
  );

  const views: { value: View; label: string }[] = [
    { value: 'scope', label: t('leads.views.scope') },
    { value: 'mine', label: t('leads.views.mine') },
    ...(assigner ? [{ value: 'unassigned' as const, label: t('leads.views.unassigned') }] : []),
  ];

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('leads.searchPlaceholder')} aria-label={t('leads.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="view" key="view">
      <Select<View> aria-label={t('customers.view')} options={views} />
    </Form.Item>,
    <Form.Item name="status" key="status">
      <Select<LeadStatus>
        allowClear
        placeholder={t('leads.status')}
        aria-label={t('leads.status')}
        options={LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.statuses.${s}`) }))}
      />
    </Form.Item>,
    <Form.Item name="sourceCode" key="source">
      <DictSelect kind="customer_source" all allowClear placeholder={t('leads.source')} aria-label={t('leads.source')} />
    </Form.Item>,
  ];

  return (
    <PageContainer
      title={t('menu.leads')}
      extra={
        <Space>
          {can('lead.export') && (
            <ExportButton
              path="/leads/export"
              testId="lead-export"
              params={listParams.current}
              columns={exportedColumns(columns.map((c) => String(c.key)), customFields.enabled)}
              selectedIds={selected}
            />
          )}
          <ImportButton entity="lead" onDone={() => void queryClient.invalidateQueries({ queryKey: ['leads'] })} />
          {can('lead.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="lead-create">
              {t('leads.create')}
            </Button>
          )}
        </Space>
      }
    >
      <ListPage<LeadDto, Filters>
        testId="lead-list"
        queryKey="leads"
        fetchPage={(p) => api.get<Page<LeadDto>>('/leads', p)}
        fetchTotal={(p) => api.get<{ total: number }>('/leads/count', p).then((r) => r.total)}
        columns={columns}
        rowKey="id"
        filters={filters}
        moreFilters={customFilterItems(customFields.enabled)}
        initialFilters={{ view: 'scope' }}
        toParams={toParams}
        onParamsChange={listParams.track}
        defaultSort={{ field: 'updatedAt', order: 'desc' }}
        rowSelection={
          assigner
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as number[]),
                getCheckboxProps: (l) => ({ disabled: l.status === 'converted', 'aria-label': l.name }),
              }
            : undefined
        }
        toolbar={
          assigner && (
            <Button icon={<UserSwitchOutlined />} disabled={!selected.length} onClick={() => setAssigning(true)} data-testid="lead-assign">
              {selected.length ? t('leads.assignSelected', { count: selected.length }) : t('leads.assign')}
            </Button>
          )
        }
      />
      {creating && <LeadFormDrawer onClose={() => setCreating(false)} onSaved={(l) => navigate(`/leads/${l.id}`)} />}
      {assigning && <AssignLeadsModal leadIds={selected} onClose={() => setAssigning(false)} onDone={() => setSelected([])} />}
    </PageContainer>
  );
}
