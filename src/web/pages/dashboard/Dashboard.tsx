import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, DatePicker, Empty, Progress, Row, Segmented, Select, Space, Statistic, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../common/money';
import type { DashboardDto, DashboardRange, KpiDto } from '../../../common/schemas/dashboard';
import { DASHBOARD_RANGES } from '../../../common/schemas/dashboard';
import { api } from '../../api/client';
import { PageContainer } from '../../components/PageContainer';
import { usePipelines } from '../opportunities/opportunities';
import { Chart } from './Chart';
import { useSubjects } from './subjects';

/** Charts plot numbers; the exact decimal strings stay in the cards and tooltips' labels. */
const plot = (v: string) => Number(v);

/** The home page (ANA-1): brief, target achievement, funnel and trend of a range, within the viewer's data scopes. */
export default function Dashboard() {
  const { t } = useTranslation();
  const [range, setRange] = useState<DashboardRange>('this_month');
  const [custom, setCustom] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().startOf('month'), dayjs()]);
  const [subject, setSubject] = useState<string>('');
  const [pipelineId, setPipelineId] = useState<number | undefined>();
  const subjects = useSubjects();
  const pipelines = usePipelines();

  const params = {
    range,
    ...(range === 'custom' ? { from: custom[0].format('YYYY-MM-DD'), to: custom[1].format('YYYY-MM-DD') } : {}),
    ...(subject.startsWith('user:') ? { userId: Number(subject.slice(5)) } : {}),
    ...(subject.startsWith('department:') ? { departmentId: Number(subject.slice(11)) } : {}),
    ...(pipelineId ? { pipelineId } : {}),
  };
  const dashboard = useQuery({ queryKey: ['dashboard', params], queryFn: () => api.get<DashboardDto>('/dashboard', params), placeholderData: (previous) => previous });
  const d = dashboard.data;
  const money = (v: string) => formatMoney(v);

  const subjectOptions = [
    { value: '', label: t('dashboard.subjectAll') },
    ...(subjects.data?.departments.length ? [{ label: t('dashboard.departmentGroup'), options: subjects.data.departments.map((x) => ({ value: `department:${x.id}`, label: x.name })) }] : []),
    ...(subjects.data?.users.length ? [{ label: t('dashboard.userGroup'), options: subjects.data.users.map((x) => ({ value: `user:${x.id}`, label: x.name })) }] : []),
  ];

  return (
    <PageContainer
      title={t('dashboard.title')}
      subTitle={d && `${d.range.from} ~ ${d.range.to} · ${t('dashboard.currencyNote', { currency: d.companyCurrency })}`}
      extra={
        <Space wrap>
          <Segmented<DashboardRange>
            data-testid="dashboard-range"
            value={range}
            onChange={setRange}
            options={DASHBOARD_RANGES.map((r) => ({ value: r, label: t(`dashboard.ranges.${r}`) }))}
          />
          {range === 'custom' && (
            <DatePicker.RangePicker
              data-testid="dashboard-custom-range"
              allowClear={false}
              value={custom}
              onChange={(v) => v?.[0] && v[1] && setCustom([v[0], v[1]])}
              aria-label={t('dashboard.rangeLabel')}
            />
          )}
          <Select
            data-testid="dashboard-subject"
            aria-label={t('dashboard.subject')}
            style={{ minWidth: 180 }}
            value={subject}
            onChange={setSubject}
            options={subjectOptions}
            showSearch
            optionFilterProp="label"
          />
        </Space>
      }
    >
      {dashboard.error && <Alert type="error" showIcon message={dashboard.error.message} style={{ marginBottom: 12 }} />}
      {d && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Brief d={d} money={money} />
          {(d.visible.contracts || d.visible.receivables) && <Kpis d={d} money={money} />}
          <Row gutter={[16, 16]}>
            {d.visible.opportunities && (
              <Col xs={24} lg={10}>
                <Card
                  title={t('dashboard.funnel')}
                  size="small"
                  extra={
                    <Select
                      size="small"
                      data-testid="dashboard-pipeline"
                      aria-label={t('dashboard.pipeline')}
                      style={{ minWidth: 140 }}
                      value={pipelineId ?? d.funnel.pipelineId ?? undefined}
                      onChange={setPipelineId}
                      options={(pipelines.data ?? []).filter((p) => p.enabled).map((p) => ({ value: p.id, label: p.name }))}
                    />
                  }
                >
                  <Funnel d={d} money={money} />
                </Card>
              </Col>
            )}
            {(d.visible.contracts || d.visible.receivables) && (
              <Col xs={24} lg={d.visible.opportunities ? 14 : 24}>
                <Card title={t('dashboard.trend')} size="small" extra={<Typography.Text type="secondary">{t('dashboard.trendNote')}</Typography.Text>}>
                  <Trend d={d} />
                </Card>
              </Col>
            )}
          </Row>
        </Space>
      )}
    </PageContainer>
  );
}

interface BlockProps {
  d: DashboardDto;
  money: (v: string) => string;
}

function Brief({ d, money }: BlockProps) {
  const { t } = useTranslation();
  const b = d.brief;
  const cards = [
    d.visible.customers && { key: 'new-customers', title: t('dashboard.newCustomers'), value: String(b.newCustomers) },
    d.visible.customers && { key: 'followups', title: t('dashboard.followups'), value: String(b.followups) },
    d.visible.opportunities && { key: 'new-opportunities', title: t('dashboard.newOpportunities'), value: money(b.newOpportunities.amount), sub: t('dashboard.count', { count: b.newOpportunities.count }) },
    d.visible.opportunities && { key: 'won-opportunities', title: t('dashboard.wonOpportunities'), value: money(b.wonOpportunities.amount), sub: t('dashboard.count', { count: b.wonOpportunities.count }) },
    d.visible.contracts && { key: 'contracts', title: t('dashboard.contracts'), value: money(b.contracts.amount), sub: t('dashboard.count', { count: b.contracts.count }) },
    d.visible.receivables && { key: 'receivables', title: t('dashboard.receivables'), value: money(b.receivables) },
  ].filter((c): c is { key: string; title: string; value: string; sub?: string } => !!c);
  return (
    <Card title={t('dashboard.brief')} size="small">
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col key={c.key} xs={12} md={8} xl={4}>
            <Statistic title={c.title} value={c.value} valueRender={() => <span data-testid={`brief-${c.key}`}>{c.value}</span>} />
            {c.sub && <Typography.Text type="secondary" data-testid={`brief-${c.key}-count`}>{c.sub}</Typography.Text>}
          </Col>
        ))}
      </Row>
    </Card>
  );
}

function Kpis({ d, money }: BlockProps) {
  const { t } = useTranslation();
  const p = d.kpi.period;
  const period = t(`dashboard.periods.${p.kind}`, { year: p.year, period: p.period });
  const item = (key: string, title: string, k: KpiDto) => (
    <Col xs={24} md={12} key={key}>
      <Typography.Text strong>{title}</Typography.Text>
      <Progress percent={k.percent === null ? 0 : Math.min(100, Number(k.percent))} format={() => (k.percent === null ? '—' : `${k.percent}%`)} data-testid={`kpi-${key}-progress`} />
      <Space size={16} wrap>
        <span>
          {t('dashboard.target')}：<span data-testid={`kpi-${key}-target`}>{k.target === null ? t('dashboard.noTarget') : money(k.target)}</span>
        </span>
        <span>
          {t('dashboard.achieved')}：<span data-testid={`kpi-${key}-achieved`}>{money(k.achieved)}</span>
        </span>
      </Space>
    </Col>
  );
  return (
    <Card title={t('dashboard.kpi')} size="small" extra={<Typography.Text type="secondary" data-testid="kpi-subject">{t('dashboard.kpiFor', { name: d.kpi.subject.name, period })}</Typography.Text>}>
      <Row gutter={[24, 16]}>
        {d.visible.contracts && item('contract', t('dashboard.contractAmount'), d.kpi.contractAmount)}
        {d.visible.receivables && item('receivable', t('dashboard.receivableAmount'), d.kpi.receivableAmount)}
      </Row>
    </Card>
  );
}

function Funnel({ d, money }: BlockProps) {
  const { t } = useTranslation();
  const stages = d.funnel.stages;
  const option = useMemo(
    () => ({
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const s = stages[p.dataIndex]!;
          return `${s.name}（${s.winRate}%）<br/>${t('dashboard.count', { count: s.count })}<br/>${t('dashboard.amount')}：${money(s.amount)}<br/>${t('dashboard.weighted')}：${money(s.weighted)}`;
        },
      },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          minSize: '20%',
          label: { show: true, position: 'inside', formatter: (p: { dataIndex: number }) => `${stages[p.dataIndex]!.name} ${stages[p.dataIndex]!.count}` },
          // equal steps, the funnel's shape; the figures are in the labels and the tooltip
          data: stages.map((s, i) => ({ name: s.name, value: stages.length - i })),
        },
      ],
    }),
    [stages, money, t],
  );
  if (!stages.length) return <Empty description={t('dashboard.empty')} />;
  return (
    <>
      <Chart option={option} testId="dashboard-funnel-chart" />
      <Typography.Text type="secondary">{t('dashboard.funnelNote')}</Typography.Text>
    </>
  );
}

function Trend({ d }: { d: DashboardDto }) {
  const { t } = useTranslation();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('dashboard.contractAmount'), t('dashboard.receivableAmount')] },
      grid: { left: 8, right: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: d.trend.map((m) => m.month) },
      yAxis: { type: 'value' },
      series: [
        ...(d.visible.contracts ? [{ name: t('dashboard.contractAmount'), type: 'bar', data: d.trend.map((m) => plot(m.contractAmount)) }] : []),
        ...(d.visible.receivables ? [{ name: t('dashboard.receivableAmount'), type: 'line', smooth: true, data: d.trend.map((m) => plot(m.receivableAmount)) }] : []),
      ],
    }),
    [d, t],
  );
  return <Chart option={option} testId="dashboard-trend-chart" />;
}
