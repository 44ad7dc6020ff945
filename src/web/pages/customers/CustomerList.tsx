import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { BULK_MAX, CUSTOMER_KINDS, CUSTOMER_LIST_VIEWS } from '../../../common/schemas/customers';
import type { SavedViewDto } from '../../../common/schemas/views';
import { api, type QueryParams } from '../../api/client';
import type { CustomerDto, Page } from '../../api/types';
import { useSession } from '../../app/session';
import { BulkActionBar } from '../../components/BulkActionBar';
import { customFieldColumns, customFilterItems, useCustomFields } from '../../components/customFields';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { DictSelect, IndustryTreeSelect, StatusTag, useDictionaries, useIndustryPath } from '../../components/dictionaries';
import { ExportButton, exportedColumns } from '../../components/ExportButton';
import { ImportButton } from '../../components/ImportWizard';
import { formatTime } from '../../components/format';
import { ColumnChooser, knownColumns, useListColumns } from '../../components/ListColumns';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { PageLoading } from '../../components/PageLoading';
import { RegionCascader } from '../../components/RegionCascader';
import { SavedViews, savedViewKey, useSavedViews, type ViewState } from '../../components/SavedViews';
import { UserSelect } from '../../components/UserSelect';
import { useCustomerBulkActions } from './CustomerBulkActions';
import { type CustomerFilters, fromParams, type ListView, toParams } from './customerListParams';
import { CustomerFormDrawer } from './CustomerForm';
import { NextFollowup } from './NextFollowup';

type Kind = (typeof CUSTOMER_KINDS)[number];
const DEFAULT_SORT = { field: 'updatedAt', order: 'desc' } as const;
const SAVED_VIEW_PARAM = 'sv';

/** Query parameters worth keeping (a view's filters, the address): the set ones, without the defaults. */
function keptParams(params: QueryParams): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') kept[k] = v;
  if (kept.view === 'scope') delete kept.view;
  if (kept.sort === DEFAULT_SORT.field && kept.order === DEFAULT_SORT.order) {
    delete kept.sort;
    delete kept.order;
  }
  return kept;
}

/** A saved view as query parameters: its filters and its sort ("field:order"). */
function viewParams(v: SavedViewDto): Record<string, unknown> {
  const [sort, order] = (v.sort ?? '').split(':');
  return { ...v.filters, ...(sort ? { sort, order } : {}) };
}

export default function CustomerList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const dict = useDictionaries();
  const industryPath = useIndustryPath();
  const custom = useCustomFields('customer');
  const views = useSavedViews('customer');
  const [searchParams, setSearchParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<CustomerDto[]>([]);
  const bulk = useCustomerBulkActions(selected, () => setSelected([]));
  const canExport = can('customer.export');
  const queryClient = useQueryClient();

  // What the list starts from: the address on arrival, a view when one is
  // picked. Picking a view remounts the list (`n`) with the view's filters.
  const [start, setStart] = useState(() => {
    const params = Object.fromEntries(searchParams);
    const sv = Number(params[SAVED_VIEW_PARAM]);
    return { n: 0, selected: sv > 0 ? savedViewKey(sv) : fromParams(params).view, ...fromParams(params) };
  });
  // a saved view's own columns show until the user chooses columns again
  const [ownColumns, setOwnColumns] = useState(false);
  const activeView = views.data?.find((v) => savedViewKey(v.id) === start.selected);

  const pick = (key: string, view: SavedViewDto | undefined) => {
    const next = view ? fromParams(viewParams(view)) : { view: key as ListView, values: {}, sort: undefined };
    setStart((s) => ({ n: s.n + 1, selected: key, ...next }));
    setOwnColumns(false);
    setSelected([]);
  };

  const standardColumns = useMemo<ColumnsType<CustomerDto>>(
    () => [
      {
        title: t('customers.name'),
        dataIndex: 'name',
        key: 'name',
        sorter: true,
        render: (name: string, c) => (
          <Space size={4}>
            <Link to={`/customers/${c.id}`}>{name}</Link>
            {c.locked && (
              <Tooltip title={t('customers.locked')}>
                <LockOutlined aria-label={t('customers.locked')} className="muted-icon" />
              </Tooltip>
            )}
          </Space>
        ),
      },
      { title: t('customers.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      { title: t('customers.status'), dataIndex: 'statusCode', key: 'status', render: (v: string) => <StatusTag code={v} /> },
      { title: t('customers.level'), dataIndex: 'levelCode', key: 'level', render: (v: string | null) => dict.label('customer_level', v) ?? '-' },
      { title: t('customers.industry'), dataIndex: 'industryCode', key: 'industry', render: (v: string | null) => industryPath(v) ?? '-' },
      { title: t('customers.source'), dataIndex: 'sourceCode', key: 'source', render: (v: string | null) => dict.label('customer_source', v) ?? '-' },
      { title: t('customers.kind'), dataIndex: 'kind', key: 'kind', render: (v: Kind) => t(`customers.kinds.${v}`) },
      { title: t('customers.region'), dataIndex: 'regionName', key: 'region', render: (v: string | null) => v ?? '-' },
      { title: t('customers.phone'), dataIndex: 'phone', key: 'phone', render: (v: string | null) => v ?? '-' },
      { title: t('customers.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
      { title: t('customers.department'), dataIndex: 'departmentName', key: 'department', render: (v: string | null) => v ?? '-' },
      { title: t('customers.lastFollowup'), dataIndex: 'lastFollowupAt', key: 'lastFollowup', render: formatTime },
      {
        title: t('customers.nextFollowup'),
        dataIndex: 'nextFollowupAt',
        key: 'nextFollowup',
        render: (v: string | null) => <NextFollowup at={v} />,
      },
      {
        title: t('customers.tags'),
        dataIndex: 'tags',
        key: 'tags',
        render: (tags: string[]) =>
          tags.length ? (
            <span className="tag-cell">
              {tags.map((tag) => (
                <Tag key={tag} bordered={false}>
                  {tag}
                </Tag>
              ))}
            </span>
          ) : (
            '-'
          ),
      },
      { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, render: formatTime },
      { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
    ],
    [t, dict, industryPath],
  );
  const access = useFieldAccess('customer');
  const allColumns = useMemo(
    () => [...withoutHidden(access, standardColumns), ...customFieldColumns<CustomerDto>(custom.enabled, 'customer')],
    [access, standardColumns, custom.enabled],
  );
  const offered = useMemo(() => allColumns.map((c) => ({ key: String(c.key), title: String(c.title) })), [allColumns]);
  const defaults = useMemo(() => standardColumns.map((c) => String(c.key)).filter((k) => k !== 'source' && k !== 'kind' && k !== 'phone'), [standardColumns]);
  const listColumns = useListColumns('customer', offered, defaults);
  const shownKeys = (!ownColumns && knownColumns(activeView?.columns, offered)) || listColumns.columns;
  const columns = useMemo(() => shownKeys.map((k) => allColumns.find((c) => c.key === k)!).filter(Boolean), [shownKeys, allColumns]);

  const listToParams = useCallback((v: CustomerFilters) => toParams(v, start.view, custom.enabled), [start.view, custom.enabled]);

  // the list's parameters in the address, so a reload (or a shared link) shows the same list
  const lastParams = useRef<QueryParams>({});
  const address = useRef({ setSearchParams, selected: start.selected });
  address.current = { setSearchParams, selected: start.selected };
  const onParamsChange = useCallback((params: QueryParams) => {
    lastParams.current = params;
    const next = new URLSearchParams(Object.entries(keptParams(params)).map(([k, v]) => [k, String(v)]));
    const { selected: key } = address.current;
    if (key.startsWith('saved:')) next.set(SAVED_VIEW_PARAM, key.slice('saved:'.length));
    if (next.toString() !== window.location.search.replace(/^\?/, '')) address.current.setSearchParams(next, { replace: true });
  }, []);

  const currentView = (): ViewState => {
    const { sort, order, ...filters } = keptParams({ sort: DEFAULT_SORT.field, order: DEFAULT_SORT.order, ...lastParams.current });
    return { filters, sort: sort ? `${String(sort)}:${String(order)}` : null, columns: shownKeys };
  };

  const dateRange = (name: 'created' | 'updated' | 'lastFollowup' | 'nextFollowup') => (
    <Form.Item name={name} key={name}>
      <DatePicker.RangePicker
        style={{ width: '100%' }}
        allowEmpty={[true, true]}
        aria-label={t(`customers.ranges.${name}`)}
        placeholder={[t(`customers.ranges.${name}From`), t(`customers.ranges.${name}To`)]}
      />
    </Form.Item>
  );

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('customers.searchPlaceholder')} aria-label={t('customers.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="statusCode" key="status">
      <DictSelect kind="customer_status" all allowClear placeholder={t('customers.status')} aria-label={t('customers.status')} />
    </Form.Item>,
    <Form.Item name="levelCode" key="level">
      <DictSelect kind="customer_level" all allowClear placeholder={t('customers.level')} aria-label={t('customers.level')} />
    </Form.Item>,
  ];

  const moreFilters = [
    <Form.Item name="industryCode" key="industry">
      <IndustryTreeSelect all allowClear placeholder={t('customers.industry')} aria-label={t('customers.industry')} />
    </Form.Item>,
    <Form.Item name="sourceCode" key="source">
      <DictSelect kind="customer_source" all allowClear placeholder={t('customers.source')} aria-label={t('customers.source')} />
    </Form.Item>,
    <Form.Item name="region" key="region">
      <RegionCascader levels={2} placeholder={t('customers.regionFilter')} aria-label={t('customers.regionFilter')} />
    </Form.Item>,
    <Form.Item name="tag" key="tag">
      <Input allowClear placeholder={t('customers.tagFilter')} aria-label={t('customers.tagFilter')} maxLength={20} />
    </Form.Item>,
    <Form.Item name="kind" key="kind">
      <Select<Kind>
        allowClear
        placeholder={t('customers.kind')}
        aria-label={t('customers.kind')}
        options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))}
      />
    </Form.Item>,
    <Form.Item name="locked" key="locked">
      <Select<'true' | 'false'>
        allowClear
        placeholder={t('customers.lockedFilter')}
        aria-label={t('customers.lockedFilter')}
        options={[
          { value: 'true', label: t('customers.lockedOptions.true') },
          { value: 'false', label: t('customers.lockedOptions.false') },
        ]}
      />
    </Form.Item>,
    ...(can('user.view')
      ? [
          <Form.Item name="ownerId" key="owner">
            <UserSelect allowClear placeholder={t('customers.owner')} aria-label={t('customers.owner')} />
          </Form.Item>,
        ]
      : []),
    ...(can('department.view')
      ? [
          <Form.Item name="departmentId" key="department">
            <DepartmentTreeSelect allowClear placeholder={t('customers.department')} />
          </Form.Item>,
        ]
      : []),
    dateRange('created'),
    dateRange('updated'),
    dateRange('lastFollowup'),
    dateRange('nextFollowup'),
    ...customFilterItems(custom.enabled),
  ];

  return (
    <PageContainer
      title={t('menu.customers')}
      extra={
        <Space>
          {canExport && (
            <ExportButton
              path="/customers/export"
              testId="customer-export"
              params={() => lastParams.current}
              columns={exportedColumns(shownKeys, custom.enabled)}
              selectedIds={selected.map((c) => c.id)}
            />
          )}
          <ImportButton entity="customer" onDone={() => void queryClient.invalidateQueries({ queryKey: ['customers'] })} />
          {can('customer.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-create">
              {t('customers.create')}
            </Button>
          )}
        </Space>
      }
    >
      <SavedViews
        entity="customer"
        builtIns={CUSTOMER_LIST_VIEWS.map((v) => ({ key: v, label: t(`customers.views.${v}`) }))}
        selected={start.selected}
        onSelect={pick}
        current={currentView}
      />
      {custom.isPending || !listColumns.ready ? (
        <PageLoading />
      ) : (
        <ListPage<CustomerDto, CustomerFilters>
          key={start.n}
          testId="customer-list"
          queryKey="customers"
          fetchPage={(p) => api.get<Page<CustomerDto>>('/customers', p)}
          fetchTotal={(p) => api.get<{ total: number }>('/customers/count', p).then((r) => r.total)}
          columns={columns}
          rowKey="id"
          filters={filters}
          moreFilters={moreFilters}
          initialFilters={start.values}
          toParams={listToParams}
          defaultSort={DEFAULT_SORT}
          initialSort={start.sort}
          onParamsChange={onParamsChange}
          toolbar={
            <ColumnChooser
              offered={offered}
              value={shownKeys}
              defaults={defaults}
              onSave={async (keys) => {
                await listColumns.save(keys);
                setOwnColumns(true);
              }}
            />
          }
          rowSelection={
            bulk.actions.length || canExport
              ? {
                  selectedRowKeys: selected.map((c) => c.id),
                  onChange: (_keys, rows) => setSelected(rows),
                  preserveSelectedRowKeys: true,
                  getCheckboxProps: (c) => ({ name: c.name, 'aria-label': c.name }),
                }
              : undefined
          }
          selectionBar={<BulkActionBar count={selected.length} max={BULK_MAX} actions={bulk.actions} onClear={() => setSelected([])} />}
        />
      )}
      {bulk.dialog}
      {creating && <CustomerFormDrawer onClose={() => setCreating(false)} />}
    </PageContainer>
  );
}
