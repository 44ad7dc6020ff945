import { useQuery } from '@tanstack/react-query';
import { Alert, DatePicker, Segmented, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../common/money';
import type { ForecastDto, ForecastRowDto } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import { PageContainer } from '../../components/PageContainer';

/** The weighted forecast (SAL-3): a table per period × owner or department, in the viewer's data scope. */
export default function Forecast() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<'month' | 'quarter'>('month');
  const [groupBy, setGroupBy] = useState<'owner' | 'department'>('owner');
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([dayjs().startOf('year'), dayjs().endOf('year')]);
  const params = { period, groupBy, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const forecast = useQuery({ queryKey: ['opportunities', 'forecast', params], queryFn: () => api.get<ForecastDto>('/opportunities/forecast', params) });
  const money = (v: string) => formatMoney(v);
  const totals = forecast.data?.totals;
  return (
    <PageContainer title={t('opportunities.forecastMenu')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented value={period} onChange={(v) => setPeriod(v as typeof period)} options={[{ value: 'month', label: t('opportunities.forecast.month') }, { value: 'quarter', label: t('opportunities.forecast.quarter') }]} />
        <Segmented value={groupBy} onChange={(v) => setGroupBy(v as typeof groupBy)} options={[{ value: 'owner', label: t('opportunities.forecast.byOwner') }, { value: 'department', label: t('opportunities.forecast.byDepartment') }]} />
        <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} aria-label={t('opportunities.forecast.range')} />
      </Space>
      {forecast.error && <Alert type="error" showIcon message={forecast.error.message} />}
      <Table<ForecastRowDto>
        size="small"
        data-testid="forecast-table"
        rowKey={(r) => `${r.period}-${r.groupId}`}
        loading={forecast.isPending}
        dataSource={forecast.data?.rows ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('opportunities.forecast.periodCol'), dataIndex: 'period' },
          { title: t('opportunities.forecast.group'), dataIndex: 'groupName', render: (v: string | null) => v ?? '-' },
          { title: t('opportunities.forecast.openCount'), dataIndex: 'openCount', align: 'right' },
          { title: t('opportunities.forecast.openAmount'), dataIndex: 'openAmount', align: 'right', render: money },
          { title: t('opportunities.forecast.weighted'), dataIndex: 'weighted', align: 'right', render: money },
          { title: t('opportunities.forecast.wonCount'), dataIndex: 'wonCount', align: 'right' },
          { title: t('opportunities.forecast.wonAmount'), dataIndex: 'wonAmount', align: 'right', render: money },
        ]}
        summary={() =>
          totals && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}><Typography.Text strong>{t('opportunities.forecast.total')}</Typography.Text></Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">{totals.openCount}</Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">{money(totals.openAmount)}</Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right"><Typography.Text strong>{money(totals.weighted)}</Typography.Text></Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">{totals.wonCount}</Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">{money(totals.wonAmount)}</Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('opportunities.forecast.note')}</Typography.Paragraph>
    </PageContainer>
  );
}
