import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Input, Select, Space, Table } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, percentOf } from '../../../common/money';
import type { TargetGridInput, TargetListDto, TargetMetric, TargetRowDto } from '../../../common/schemas/targets';
import { TARGET_METRICS } from '../../../common/schemas/targets';
import { api, ApiError } from '../../api/client';
import { PageContainer } from '../../components/PageContainer';
import { useSession } from '../../app/session';
import { useSubjects } from '../dashboard/subjects';

/** A grid's cells in column order: 12 months, 4 quarters, the year. */
type Cells = (string | null)[];
const COLUMNS = [...Array.from({ length: 12 }, (_, i) => `m${i + 1}`), ...[1, 2, 3, 4].map((n) => `q${n}`), 'year'];
const storedCells = (r: TargetRowDto): Cells => [...r.months, ...r.quarters, r.total];
const effectiveCells = (r: TargetRowDto): Cells => [...r.months, ...r.effective.quarters, r.effective.total];
const achievedCells = (r: TargetRowDto): string[] => [...r.achieved.months, ...r.achieved.quarters, r.achieved.total];

/** Sales targets (SAL-9): per subject and year, a grid per metric with target, achievement and rate; editable with target.manage. */
export default function Targets() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [year, setYear] = useState(dayjs().year());
  const subjects = useSubjects();
  const [subject, setSubject] = useState<string | undefined>();
  // the viewer themself when they are in scope, else the first choice
  useEffect(() => {
    if (subject || !subjects.data) return;
    const self = subjects.data.users.find((u) => u.id === me?.user.id);
    const first = self ? `user:${self.id}` : subjects.data.departments[0] ? `department:${subjects.data.departments[0].id}` : subjects.data.users[0] && `user:${subjects.data.users[0].id}`;
    setSubject(first);
  }, [subjects.data, subject, me]);
  const [type, id] = subject ? (subject.split(':') as ['user' | 'department', string]) : [undefined, undefined];
  const params = { year, ...(type ? { subjectType: type, subjectId: Number(id) } : {}) };
  const list = useQuery({ queryKey: ['targets', params], queryFn: () => api.get<TargetListDto>('/targets', params), enabled: !!subject });

  const options = [
    ...(subjects.data?.departments.length ? [{ label: t('dashboard.departmentGroup'), options: subjects.data.departments.map((x) => ({ value: `department:${x.id}`, label: x.name })) }] : []),
    ...(subjects.data?.users.length ? [{ label: t('dashboard.userGroup'), options: subjects.data.users.map((x) => ({ value: `user:${x.id}`, label: x.name })) }] : []),
  ];

  return (
    <PageContainer
      title={t('dashboard.targets.title')}
      extra={
        <Space wrap>
          <DatePicker picker="year" allowClear={false} value={dayjs(`${year}-01-01`)} onChange={(v) => v && setYear(v.year())} aria-label={t('dashboard.targets.year')} data-testid="targets-year" />
          <Select
            data-testid="targets-subject"
            aria-label={t('dashboard.targets.subject')}
            placeholder={t('dashboard.targets.pickSubject')}
            style={{ minWidth: 200 }}
            value={subject}
            onChange={setSubject}
            options={options}
            showSearch
            optionFilterProp="label"
          />
        </Space>
      }
    >
      {subjects.data && !options.length && <Empty description={t('dashboard.targets.noneInScope')} />}
      {list.error && <Alert type="error" showIcon message={list.error.message} />}
      {list.data && !list.data.canEdit && <Alert type="info" showIcon message={t('dashboard.targets.readOnly')} style={{ marginBottom: 12 }} />}
      {list.data && type && (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {TARGET_METRICS.map((metric) => {
            const row = list.data.items.find((r) => r.metric === metric);
            return row ? <MetricGrid key={`${subject}-${year}-${metric}`} row={row} year={year} canEdit={list.data.canEdit} /> : null;
          })}
        </Space>
      )}
    </PageContainer>
  );
}

function MetricGrid({ row, year, canEdit }: { row: TargetRowDto; year: number; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [cells, setCells] = useState<Cells>(() => storedCells(row));
  const [errors, setErrors] = useState<Set<number>>(new Set());
  // the cells follow the stored values when those change, not every refetch of the same ones (that would drop what is being typed)
  const stored = JSON.stringify(storedCells(row));
  useEffect(() => setCells(JSON.parse(stored) as Cells), [stored]);
  const metric: TargetMetric = row.metric;

  const save = useMutation({
    mutationFn: () => {
      const value = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
      const body: TargetGridInput = {
        year, subjectType: row.subjectType, subjectId: row.subjectId, metric,
        months: cells.slice(0, 12).map(value), quarters: cells.slice(12, 16).map(value), total: value(cells[16] ?? null),
      };
      return api.put<TargetListDto>('/targets', body);
    },
    onSuccess: async () => {
      setErrors(new Set());
      // the grid shows the saved values before saying so
      await Promise.all(['targets', 'dashboard'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
      message.success(t('dashboard.targets.saved'));
    },
    onError: (err) => {
      // field paths name the cell: months.3, quarters.1, total
      const bad = new Set<number>();
      if (err instanceof ApiError) {
        for (const f of err.fields ?? []) {
          const [group, index] = f.path.split('.');
          if (group === 'months') bad.add(Number(index));
          if (group === 'quarters') bad.add(12 + Number(index));
          if (group === 'total') bad.add(16);
        }
      }
      setErrors(bad);
      message.error(err.message);
    },
  });

  const label = (key: string) => (key === 'year' ? t('dashboard.targets.total') : key.startsWith('m') ? t('dashboard.targets.months', { n: key.slice(1) }) : t('dashboard.targets.quarters', { n: key.slice(1) }));
  const effective = effectiveCells(row);
  const achieved = achievedCells(row);
  const data = [{ key: 'target' }, { key: 'achieved' }, { key: 'rate' }] as const;
  return (
    <Card
      size="small"
      title={t(`dashboard.targets.metrics.${metric}`)}
      extra={canEdit && (
        <Button type="primary" size="small" loading={save.isPending} onClick={() => save.mutate()} data-testid={`target-save-${metric}`}>
          {t('dashboard.targets.save')}
        </Button>
      )}
    >
      <Table
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowKey="key"
        dataSource={[...data]}
        data-testid={`target-grid-${metric}`}
        columns={[
          { title: '', dataIndex: 'key', fixed: 'left', render: (k: string) => t(`dashboard.targets.${k as 'target' | 'achieved' | 'rate'}`) },
          ...COLUMNS.map((key, i) => ({
            title: label(key),
            key,
            align: 'right' as const,
            render: (_: unknown, r: { key: string }) => {
              if (r.key === 'achieved') return <span data-testid={`target-${metric}-${key}-achieved`}>{formatMoney(achieved[i]!)}</span>;
              if (r.key === 'rate') {
                const p = effective[i] ? percentOf(achieved[i]!, effective[i]!) : null;
                return p === null ? '—' : `${p}%`;
              }
              if (!canEdit) return effective[i] ? formatMoney(effective[i]!) : '—';
              return (
                <Input
                  size="small"
                  style={{ width: 100, textAlign: 'right' }}
                  status={errors.has(i) ? 'error' : undefined}
                  value={cells[i] ?? ''}
                  // a quarter or the year left empty takes the sum of its months
                  placeholder={i >= 12 && effective[i] ? effective[i]! : ''}
                  title={i >= 12 && !cells[i] && effective[i] ? t('dashboard.targets.derived') : undefined}
                  onChange={(e) => setCells((c) => c.map((v, j) => (j === i ? e.target.value : v)))}
                  data-testid={`target-${metric}-${key}`}
                  aria-label={`${t(`dashboard.targets.metrics.${metric}`)} ${label(key)}`}
                />
              );
            },
          })),
        ]}
      />
    </Card>
  );
}
