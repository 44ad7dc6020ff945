import { CheckOutlined, CloseOutlined, DownloadOutlined, InboxOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Result, Segmented, Select, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type QueryParams } from '../../api/client';
import type { ApplicationStatus, Page, PoolApplication, PoolCustomerDto, PoolDto } from '../../api/types';
import { useMe, useSession } from '../../app/session';
import { DictSelect, useDictionaries, useIndustryPath } from '../../components/dictionaries';
import { useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { refreshPools, usePools } from './pool';
import { DecisionModal, PoolApplyModal, PoolAssignModal } from './PoolModals';
import { PoolRules } from './PoolRules';

interface Filters {
  q?: string;
  levelCode?: string | null;
}

const toParams = (f: Filters): QueryParams => ({ q: f.q?.trim(), levelCode: f.levelCode });

/** The customers waiting in a pool: claim, apply, and (administrators) assign. */
function PoolCustomers({ pool }: { pool: PoolDto }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const industryPath = useIndustryPath();
  const [selected, setSelected] = useState<number[]>([]);
  const [dialog, setDialog] = useState<{ kind: 'assign' } | { kind: 'apply'; customer: PoolCustomerDto } | null>(null);
  const [claiming, setClaiming] = useState(false);
  const mayClaim = pool.isMember && can('pool.claim');
  const mayAssign = pool.isAdmin || can('pool.manage');

  const claim = async (ids: number[]) => {
    setClaiming(true);
    try {
      const r = await api.post<{ claimed: number }>(`/pools/${pool.id}/claim`, { customerIds: ids });
      setSelected([]);
      await Promise.all([refreshPools(queryClient), queryClient.invalidateQueries({ queryKey: ['customers'] })]);
      message.success(t('pool.claimed', { count: r.claimed }));
    } catch (err) {
      // the server says why (daily limit, owned limit, re-claim delay, taken meanwhile)
      showError(err);
    } finally {
      setClaiming(false);
    }
  };

  const columns = useMemo<ColumnsType<PoolCustomerDto>>(
    () => [
      { title: t('customers.name'), dataIndex: 'name', key: 'name', render: (name: string, c) => <Link to={`/customers/${c.id}`}>{name}</Link> },
      { title: t('customers.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      { title: t('customers.level'), dataIndex: 'levelCode', key: 'level', render: (v: string | null) => dict.label('customer_level', v) ?? '-' },
      { title: t('customers.industry'), dataIndex: 'industryCode', key: 'industry', render: (v: string | null) => industryPath(v) ?? '-' },
      { title: t('customers.region'), dataIndex: 'regionName', key: 'region', render: (v: string | null) => v ?? '-' },
      { title: t('pool.pooledAt'), dataIndex: 'pooledAt', key: 'pooledAt', render: formatTime },
      { title: t('customers.lastFollowup'), dataIndex: 'lastFollowupAt', key: 'lastFollowup', render: formatTime },
      { title: t('pool.previousOwner'), dataIndex: 'previousOwnerName', key: 'previousOwner', render: (v: string | null) => v ?? '-' },
      ...(mayClaim
        ? [
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, c: PoolCustomerDto) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => void claim([c.id])} disabled={claiming} data-testid="pool-claim-one">
                    {t('pool.claim')}
                  </Button>
                  <Button type="link" size="small" onClick={() => setDialog({ kind: 'apply', customer: c })}>
                    {t('pool.apply')}
                  </Button>
                </Space>
              ),
            },
          ]
        : []),
    ],
    [t, dict, industryPath, mayClaim, claiming],
  );

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('customers.searchPlaceholder')} aria-label={t('customers.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="levelCode" key="level">
      <DictSelect kind="customer_level" all allowClear placeholder={t('customers.level')} aria-label={t('customers.level')} />
    </Form.Item>,
  ];

  return (
    <>
      <ListPage<PoolCustomerDto, Filters>
        testId="pool-customers"
        queryKey={`pool-customers-${pool.id}`}
        fetchPage={(p) => api.get<Page<PoolCustomerDto>>(`/pools/${pool.id}/customers`, p)}
        columns={columns}
        rowKey="id"
        filters={filters}
        toParams={toParams}
        rowSelection={
          mayClaim || mayAssign
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (c) => ({ name: c.name, 'aria-label': c.name }) }
            : undefined
        }
        toolbar={
          <>
            {mayClaim && (
              <Button
                type="primary"
                icon={<DownloadOutlined />}
                disabled={!selected.length}
                loading={claiming}
                onClick={() => void claim(selected)}
                data-testid="pool-claim"
              >
                {selected.length ? t('pool.claimSelected', { count: selected.length }) : t('pool.claim')}
              </Button>
            )}
            {mayAssign && (
              <Button icon={<UserSwitchOutlined />} disabled={!selected.length} onClick={() => setDialog({ kind: 'assign' })} data-testid="pool-assign">
                {selected.length ? t('pool.assignSelected', { count: selected.length }) : t('pool.assign')}
              </Button>
            )}
          </>
        }
      />
      {dialog?.kind === 'assign' && (
        <PoolAssignModal poolId={pool.id} customerIds={selected} onClose={() => setDialog(null)} onDone={() => setSelected([])} />
      )}
      {dialog?.kind === 'apply' && <PoolApplyModal poolId={pool.id} customer={dialog.customer} onClose={() => setDialog(null)} />}
    </>
  );
}

const APPLICATION_STATUSES: ApplicationStatus[] = ['pending', 'approved', 'rejected', 'cancelled'];
const STATUS_COLORS: Record<ApplicationStatus, string> = { pending: 'blue', approved: 'green', rejected: 'red', cancelled: 'default' };

/** Applications for pool customers: the ones I decide as a pool administrator, and my own. */
function Applications({ pools }: { pools: PoolDto[] }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const me = useMe();
  const [status, setStatus] = useState<ApplicationStatus>('pending');
  const [deciding, setDeciding] = useState<{ application: PoolApplication; approve: boolean } | null>(null);
  const list = useQuery({
    queryKey: ['pool', 'applications', status],
    queryFn: () => api.get<{ items: PoolApplication[] }>('/pool-applications', { status }).then((r) => r.items),
  });
  const decides = (a: PoolApplication) => can('pool.manage') || pools.some((p) => p.id === a.poolId && p.isAdmin);
  const poolName = (id: number) => pools.find((p) => p.id === id)?.name ?? `#${id}`;

  const columns: ColumnsType<PoolApplication> = [
    { title: t('customers.name'), dataIndex: 'customerName', render: (v: string, a) => <Link to={`/customers/${a.customerId}`}>{v}</Link> },
    { title: t('pool.applicant'), dataIndex: 'applicantName', render: (v: string, a) => (a.applicantId === me.user.id ? t('pool.me', { name: v }) : v) },
    { title: t('pool.reason'), dataIndex: 'reason', render: (v: string) => <span className="pre-wrap">{v}</span> },
    ...(pools.length > 1 ? [{ title: t('pool.pool'), dataIndex: 'poolId', render: (id: number) => poolName(id) }] : []),
    { title: t('pool.appliedAt'), dataIndex: 'createdAt', render: formatTime },
    {
      title: t('pool.status'),
      dataIndex: 'status',
      render: (s: ApplicationStatus) => (
        <Tag color={STATUS_COLORS[s]} bordered={false}>
          {t(`pool.applicationStatuses.${s}`)}
        </Tag>
      ),
    },
    ...(status === 'pending'
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, a: PoolApplication) =>
              decides(a) ? (
                <Space size={0}>
                  <Button type="link" size="small" icon={<CheckOutlined />} onClick={() => setDeciding({ application: a, approve: true })}>
                    {t('pool.approve')}
                  </Button>
                  <Button type="link" size="small" danger icon={<CloseOutlined />} onClick={() => setDeciding({ application: a, approve: false })}>
                    {t('pool.reject')}
                  </Button>
                </Space>
              ) : (
                '-'
              ),
          },
        ]
      : [
          { title: t('pool.decidedBy'), dataIndex: 'decidedByName', render: (v: string | null) => v ?? '-' },
          { title: t('pool.decidedAt'), dataIndex: 'decidedAt', render: formatTime },
          { title: t('pool.note'), dataIndex: 'decisionNote', render: (v: string | null) => v ?? '-' },
        ]),
  ];

  return (
    <div data-testid="pool-applications">
      <div className="list-toolbar">
        <Segmented<ApplicationStatus>
          value={status}
          onChange={setStatus}
          options={APPLICATION_STATUSES.map((s) => ({ value: s, label: t(`pool.applicationStatuses.${s}`) }))}
        />
      </div>
      {list.error && <Alert type="error" showIcon message={list.error.message} className="list-error" />}
      <Table<PoolApplication>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      {deciding && <DecisionModal {...deciding} onClose={() => setDeciding(null)} />}
    </div>
  );
}

/** The public pool (公海): pick a pool, its customers, applications, its rules. */
export default function PoolPage() {
  const { t } = useTranslation();
  const pools = usePools();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'customers';

  const set = (key: string, value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set(key, value);
        return next;
      },
      { replace: true },
    );

  if (pools.isPending) return <Skeleton active />;
  if (pools.error) return <Result status="error" title={pools.error.message} />;
  const list = pools.data;
  const pool = list.find((p) => p.id === Number(params.get('pool'))) ?? list.find((p) => p.isMember) ?? list[0];

  return (
    <PageContainer
      title={t('menu.pool')}
      subTitle={pool ? t('pool.subtitle', { count: pool.customerCount }) : undefined}
      extra={
        list.length > 1 && pool ? (
          <Select<number>
            value={pool.id}
            onChange={(id) => set('pool', String(id))}
            options={list.map((p) => ({ value: p.id, label: p.name }))}
            aria-label={t('pool.pool')}
            style={{ minWidth: 180 }}
            data-testid="pool-select"
          />
        ) : pool ? (
          <Tag icon={<InboxOutlined />} bordered={false} className="pool-name">
            {pool.name}
          </Tag>
        ) : null
      }
    >
      {!pool ? (
        <Card className="page-card">
          <Empty description={t('pool.none')} />
        </Card>
      ) : (
        <Card className="page-card">
          {!pool.enabled && <Alert type="warning" showIcon message={t('pool.disabledNotice')} className="page-alert" />}
          <Tabs
            activeKey={tab}
            onChange={(k) => set('tab', k)}
            items={[
              { key: 'customers', label: t('pool.tabs.customers'), children: <PoolCustomers key={pool.id} pool={pool} /> },
              { key: 'applications', label: t('pool.tabs.applications'), children: <Applications pools={list} /> },
              { key: 'rules', label: t('pool.tabs.rules'), children: <PoolRules pool={pool} /> },
            ]}
          />
        </Card>
      )}
    </PageContainer>
  );
}
