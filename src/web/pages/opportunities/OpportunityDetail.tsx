import { CheckCircleOutlined, CloseCircleOutlined, DeleteOutlined, EditOutlined, RightOutlined, RollbackOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, List, Popconfirm, Select, Space, Steps, Table, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import type { OpportunityDetailDto, StageHistoryDto } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import { Attachments } from '../../components/Attachments';
import { useAction } from '../../components/actions';
import { useDictionaries } from '../../components/dictionaries';
import { useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { UserSelect } from '../../components/UserSelect';
import { type EditLine, LinesEditor, linesBody } from './LinesEditor';
import { OpportunityFormModal, toEditLines } from './OpportunityForm';
import { OpportunityStatusTag, type StageMove, StageMoveModal, usePipelines, useRefreshOpportunities } from './opportunities';
import { TransferModal } from './TransferModal';
import { useSession } from '../../app/session';
import { RecordQuotes } from '../quotes/RecordQuotes';

const TABS = ['profile', 'lines', 'quotes', 'contacts', 'team', 'stages', 'history', 'files'] as const;
type TabKey = (typeof TABS)[number];

interface Member {
  userId: number;
  userName: string;
  kind: 'team' | 'share';
  access: 'read' | 'write';
}

/** Team members and shares; who manages the opportunity adds and removes them. */
function Team({ o }: { o: OpportunityDetailDto }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ userId: number; kind: 'team' | 'share'; access: 'read' | 'write' }>();
  const members = useQuery({ queryKey: ['opportunities', 'members', o.id], queryFn: () => api.get<{ items: Member[] }>(`/opportunities/${o.id}/members`).then((r) => r.items) });
  const { running, run } = useAction(() => members.refetch());
  return (
    <>
      {o.allowed.share && (
        <Form form={form} layout="inline" initialValues={{ kind: 'team', access: 'read' }} style={{ marginBottom: 12 }}
          onFinish={(v) => void run('add', () => api.post(`/opportunities/${o.id}/members`, v).then(() => form.resetFields(['userId'])), t('opportunities.team.added'))}>
          <Form.Item name="userId" rules={[{ required: true, message: t('validation.required') }]} style={{ width: 220 }}>
            <UserSelect aria-label={t('opportunities.team.user')} />
          </Form.Item>
          <Form.Item name="kind">
            <Select style={{ width: 120 }} options={(['team', 'share'] as const).map((k) => ({ value: k, label: t(`opportunities.team.${k}`) }))} />
          </Form.Item>
          <Form.Item name="access">
            <Select style={{ width: 100 }} options={(['read', 'write'] as const).map((k) => ({ value: k, label: t(`opportunities.team.${k}`) }))} />
          </Form.Item>
          <Button htmlType="submit" loading={running === 'add'}>
            {t('opportunities.team.add')}
          </Button>
        </Form>
      )}
      <Table<Member>
        size="small"
        rowKey={(m) => `${m.kind}-${m.userId}`}
        loading={members.isPending}
        dataSource={members.data ?? []}
        pagination={false}
        columns={[
          { title: t('opportunities.team.user'), dataIndex: 'userName' },
          { title: t('opportunities.team.kind'), dataIndex: 'kind', render: (k: Member['kind']) => t(`opportunities.team.${k}`) },
          { title: t('opportunities.team.access'), dataIndex: 'access', render: (a: Member['access']) => t(`opportunities.team.${a}`) },
          ...(o.allowed.share
            ? [{
                key: 'remove',
                render: (_: unknown, m: Member) => (
                  <Button type="link" danger loading={running === `rm${m.userId}${m.kind}`}
                    onClick={() => void run(`rm${m.userId}${m.kind}`, () => api.delete(`/opportunities/${o.id}/members/${m.userId}`, { kind: m.kind }), t('opportunities.team.removed'))}>
                    {t('opportunities.team.remove')}
                  </Button>
                ),
              }]
            : []),
        ]}
      />
    </>
  );
}

/** The product lines, edited in place with live totals; saving replaces them. */
function Lines({ o }: { o: OpportunityDetailDto }) {
  const { t } = useTranslation();
  const refresh = useRefreshOpportunities();
  const [lines, setLines] = useState<EditLine[]>(() => toEditLines(o));
  const { running, run } = useAction(refresh);
  return (
    <>
      <LinesEditor value={lines} onChange={setLines} currency={o.currency} readOnly={!o.allowed.edit} />
      {o.allowed.edit && (
        <Button type="primary" style={{ marginTop: 8 }} loading={running === 'save'} data-testid="lines-save"
          onClick={() => void run('save', () => api.patch(`/opportunities/${o.id}`, { lines: linesBody(lines) }), t('opportunities.lines.saved'))}>
          {t('opportunities.lines.save')}
        </Button>
      )}
    </>
  );
}

/** One opportunity: its stage steps with advance / win / lose / reopen, profile, products, contacts, team, stage and operation history, files. */
export default function OpportunityDetail() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const refresh = useRefreshOpportunities();
  const dict = useDictionaries();
  const pipelines = usePipelines();
  const { can } = useSession();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<StageMove | 'edit' | 'transfer' | null>(null);
  const requested = params.get('tab') as TabKey | null;
  const tab: TabKey = requested && TABS.includes(requested) ? requested : 'profile';
  const detail = useQuery({ queryKey: ['opportunities', 'detail', id], queryFn: () => api.get<OpportunityDetailDto>(`/opportunities/${id}`) });
  const stageHistory = useQuery({
    queryKey: ['opportunities', 'stage-history', id],
    queryFn: () => api.get<{ items: StageHistoryDto[] }>(`/opportunities/${id}/stage-history`).then((r) => r.items),
    enabled: tab === 'stages',
  });
  const history = useRecordHistory(['opportunities', 'history', id], `/opportunities/${id}`, tab === 'history');

  const back = <BackToList to="/opportunities" />;
  const fallback = recordFallback(detail, back);
  if (fallback || !detail.data) return fallback;
  const o = detail.data;
  const stages = pipelines.data?.find((p) => p.id === o.pipelineId)?.stages ?? [];
  const open = stages.filter((s) => s.kind === 'open' && (s.enabled || s.id === o.stageId));
  const current = open.findIndex((s) => s.id === o.stageId);
  const next = o.status === 'open' ? open.slice(current + 1).find((s) => s.enabled) : undefined;
  const outcome = stages.find((s) => s.kind === (o.status === 'lost' ? 'lost' : 'won'));
  const steps = [...open, ...(outcome ? [outcome] : [])];

  const remove = async () => {
    try {
      await api.delete(`/opportunities/${id}`);
      await refresh();
      message.success(t('common.deleted'));
      navigate('/opportunities');
    } catch (err) {
      showError(err);
    }
  };
  const setTab = (key: string) => setParams((p) => { const n = new URLSearchParams(p); n.set('tab', key); return n; }, { replace: true });
  const dash = (v: string | null | undefined) => v || '-';

  return (
    <PageContainer
      title={<Space size={8} wrap><span>{o.name}</span><OpportunityStatusTag status={o.status} /></Space>}
      subTitle={`${t('opportunities.detailTitle')} · ${o.code}`}
      extra={
        <>
          {back}
          {o.allowed.edit && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="opportunity-edit">
              {t('common.edit')}
            </Button>
          )}
          {o.allowed.edit && next && (
            <Button type="primary" icon={<RightOutlined />} data-testid="opportunity-advance" onClick={() => setDialog({ kind: 'stage', stageId: next.id, stageName: next.name })}>
              {t('opportunities.advanceTo', { stage: next.name })}
            </Button>
          )}
          {o.allowed.edit && o.status === 'open' && (
            <>
              <Button icon={<CheckCircleOutlined />} data-testid="opportunity-win" onClick={() => setDialog({ kind: 'win' })}>{t('opportunities.win')}</Button>
              <Button danger icon={<CloseCircleOutlined />} data-testid="opportunity-lose" onClick={() => setDialog({ kind: 'lose' })}>{t('opportunities.lose')}</Button>
            </>
          )}
          {o.allowed.edit && o.status !== 'open' && (
            <Button icon={<RollbackOutlined />} data-testid="opportunity-reopen" onClick={() => setDialog({ kind: 'reopen' })}>{t('opportunities.reopen')}</Button>
          )}
          {o.allowed.transfer && (
            <Button icon={<UserSwitchOutlined />} onClick={() => setDialog('transfer')}>{t('opportunities.transfer')}</Button>
          )}
          {o.allowed.delete && (
            <Popconfirm title={t('opportunities.deleteConfirm', { name: o.name })} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={remove}>
              <Button danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
            </Popconfirm>
          )}
        </>
      }
    >
      <Card className="page-card">
        <Steps
          size="small"
          data-testid="opportunity-steps"
          current={o.status === 'open' ? current : steps.length - 1}
          status={o.status === 'lost' ? 'error' : o.status === 'won' ? 'finish' : 'process'}
          items={steps.map((s) => ({ title: s.name, description: `${s.winRate}%` }))}
        />
      </Card>
      <Card className="page-card">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 4 }}
          data-testid="opportunity-detail"
          items={[
            { key: 'customer', label: t('opportunities.customer'), children: <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link> },
            { key: 'amount', label: t('opportunities.amount'), children: <span data-testid="opportunity-amount-value">{formatMoney(o.amount, o.currency)}</span> },
            { key: 'stage', label: t('opportunities.stage'), children: `${o.stageName} (${o.winRate}%)` },
            { key: 'close', label: t('opportunities.expectedCloseDate'), children: dash(o.expectedCloseDate) },
            { key: 'owner', label: t('opportunities.owner'), children: dash(o.ownerName) },
            { key: 'department', label: t('opportunities.department'), children: dash(o.departmentName) },
            { key: 'pipeline', label: t('opportunities.pipeline'), children: o.pipelineName },
            ...(o.status === 'lost' ? [{ key: 'lost', label: t('opportunities.lostReason'), children: `${dash(o.lostReasonName)}${o.lostNote ? `：${o.lostNote}` : ''}` }] : []),
            ...(o.status === 'won' ? [{ key: 'won', label: t('opportunities.wonAt'), children: formatTime(o.wonAt) }] : []),
          ]}
        />
      </Card>
      <Card className="page-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'profile',
              label: t('opportunities.tabs.profile'),
              children: (
                <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small" bordered items={[
                  { key: 'code', label: t('opportunities.code'), children: o.code },
                  { key: 'name', label: t('opportunities.name'), children: o.name },
                  { key: 'currency', label: t('opportunities.currency'), children: o.currency },
                  { key: 'amountCompany', label: t('opportunities.amountCompany'), children: formatMoney(o.amountCompany) },
                  { key: 'source', label: t('opportunities.source'), children: dash(dict.label('customer_source', o.sourceCode)) },
                  { key: 'createdAt', label: t('common.createdAt'), children: formatTime(o.createdAt) },
                  { key: 'updatedAt', label: t('common.updatedAt'), children: formatTime(o.updatedAt) },
                  { key: 'description', label: t('opportunities.description'), span: 'filled', children: <span className="pre-wrap">{dash(o.description)}</span> },
                ]} />
              ),
            },
            { key: 'lines', label: t('opportunities.tabs.lines'), children: <Lines key={o.updatedAt} o={o} /> },
            ...(can('quote.view') ? [{ key: 'quotes', label: t('quotes.tab'), children: <RecordQuotes customerId={o.customerId} opportunityId={o.id} /> }] : []),
            {
              key: 'contacts',
              label: t('opportunities.tabs.contacts'),
              children: <List dataSource={o.contacts} locale={{ emptyText: '-' }} renderItem={(c) => <List.Item>{c.name}{c.title ? ` · ${c.title}` : ''}{c.mobile ? ` · ${c.mobile}` : ''}</List.Item>} />,
            },
            { key: 'team', label: t('opportunities.tabs.team'), children: <Team o={o} /> },
            {
              key: 'stages',
              label: t('opportunities.tabs.stages'),
              children: (
                <Table<StageHistoryDto>
                  size="small"
                  rowKey="id"
                  data-testid="stage-history"
                  loading={stageHistory.isPending}
                  dataSource={stageHistory.data ?? []}
                  pagination={false}
                  columns={[
                    { title: t('opportunities.stageHistory.at'), dataIndex: 'changedAt', render: formatTime },
                    { title: t('opportunities.stageHistory.from'), dataIndex: 'fromStageName', render: (v: string | null) => v ?? t('opportunities.stageHistory.created') },
                    { title: t('opportunities.stageHistory.to'), dataIndex: 'toStageName' },
                    { title: t('opportunities.note'), dataIndex: 'note', render: (v: string | null) => v ?? '-' },
                    { title: t('opportunities.stageHistory.by'), dataIndex: 'changedByName', render: (v: string | null) => v ?? '-' },
                  ]}
                />
              ),
            },
            { key: 'history', label: t('opportunities.tabs.history'), children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} /> },
            { key: 'files', label: t('opportunities.tabs.files'), children: <Attachments entityType="opportunity" entityId={o.id} writable={o.allowed.edit} /> },
          ]}
        />
      </Card>
      {dialog === 'edit' && <OpportunityFormModal opportunity={o} onClose={() => setDialog(null)} />}
      {dialog === 'transfer' && <TransferModal ids={[o.id]} onClose={() => setDialog(null)} />}
      {dialog && typeof dialog === 'object' && <StageMoveModal opportunity={o} move={dialog} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
