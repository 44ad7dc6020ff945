import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, StarOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LostReasonDto, PipelineDto, StageDto } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { FormModal } from '../../components/FormModal';
import { showError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';
import { usePipelines, useLostReasons, useRefreshOpportunities } from '../opportunities/opportunities';

interface Row {
  key: string;
  id?: number;
  name: string;
  enabled: boolean;
  winRate?: number;
  opportunityCount?: number;
}

let keys = 0;
const rowKey = () => `n${++keys}`;

/** An ordered list edited in place: rename, move up and down, switch on and off, add and remove; `extra` adds per-row fields. */
function EditableList({ rows, onChange, extra, removable, addLabel, newRow }: {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  extra?: (row: Row, set: (patch: Partial<Row>) => void) => ReactNode;
  /** The remove control of a row (default: a plain remove button). */
  removable?: (row: Row, remove: () => void) => ReactNode;
  addLabel: string;
  newRow: () => Row;
}) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<Row>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...rows];
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    onChange(next);
  };
  const remove = (i: number) => onChange(rows.filter((_, j) => j !== i));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {rows.map((r, i) => (
        <Space key={r.key} wrap data-testid="editable-row">
          <Input value={r.name} maxLength={30} style={{ width: 180 }} aria-label={t('opportunities.pipelines.stageName')} onChange={(e) => set(i, { name: e.target.value })} />
          {extra?.(r, (patch) => set(i, patch))}
          <Switch checked={r.enabled} onChange={(enabled) => set(i, { enabled })} aria-label={t('opportunities.pipelines.enabled')} />
          <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label="up" />
          <Button size="small" icon={<ArrowDownOutlined />} disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label="down" />
          {removable ? removable(r, () => remove(i)) : <Button size="small" danger icon={<DeleteOutlined />} onClick={() => remove(i)} aria-label={t('common.delete')} />}
        </Space>
      ))}
      <Button icon={<PlusOutlined />} onClick={() => onChange([...rows, newRow()])}>
        {addLabel}
      </Button>
    </Space>
  );
}

const stageRows = (stages: StageDto[]): Row[] =>
  stages.filter((s) => s.kind === 'open').map((s) => ({ key: `s${s.id}`, id: s.id, name: s.name, enabled: s.enabled, winRate: s.winRate, opportunityCount: s.opportunityCount }));

/** One pipeline: name, default, enabled, and its stages with win rates. */
function PipelineCard({ pipeline }: { pipeline: PipelineDto }) {
  const { t } = useTranslation();
  const refresh = useRefreshOpportunities();
  const [rows, setRows] = useState(() => stageRows(pipeline.stages));
  const [name, setName] = useState(pipeline.name);
  const [moveTo, setMoveTo] = useState<number | undefined>();
  const { running, run } = useAction(refresh);
  const openStages = pipeline.stages.filter((s) => s.kind === 'open' && s.enabled);
  const reset = (p: PipelineDto) => setRows(stageRows(p.stages));
  return (
    <Card
      className="page-card"
      data-testid="pipeline-card"
      title={
        <Space>
          <Input value={name} onChange={(e) => setName(e.target.value)} onBlur={() => name !== pipeline.name && void run('name', () => api.patch(`/pipelines/${pipeline.id}`, { name }), t('opportunities.pipelines.saved'))} style={{ width: 200 }} aria-label={t('opportunities.pipelines.name')} />
          {pipeline.isDefault && <Tag color="blue">{t('opportunities.pipelines.default')}</Tag>}
        </Space>
      }
      extra={
        <Space>
          {!pipeline.isDefault && (
            <Button icon={<StarOutlined />} loading={running === 'default'} onClick={() => void run('default', () => api.patch(`/pipelines/${pipeline.id}`, { isDefault: true }), t('opportunities.pipelines.saved'))}>
              {t('opportunities.pipelines.setDefault')}
            </Button>
          )}
          <Switch
            checked={pipeline.enabled}
            disabled={pipeline.isDefault}
            checkedChildren={t('opportunities.pipelines.enabled')}
            onChange={(enabled) => void run('enabled', () => api.patch(`/pipelines/${pipeline.id}`, { enabled }), t('opportunities.pipelines.saved'))}
          />
        </Space>
      }
    >
      <EditableList
        rows={rows}
        onChange={setRows}
        addLabel={t('opportunities.pipelines.addStage')}
        newRow={() => ({ key: rowKey(), name: '', enabled: true, winRate: 50 })}
        extra={(r, set) => (
          <>
            <InputNumber min={0} max={100} precision={0} value={r.winRate} addonAfter="%" style={{ width: 110 }} onChange={(v) => set({ winRate: v ?? 0 })} aria-label={t('opportunities.winRate')} />
            {!!r.opportunityCount && <Typography.Text type="secondary">{t('opportunities.pipelines.inUse', { count: r.opportunityCount })}</Typography.Text>}
          </>
        )}
        removable={(r, remove) =>
          r.opportunityCount ? (
            // a stage holding opportunities goes only after they move elsewhere
            <Popconfirm
              title={t('opportunities.pipelines.deleteStage')}
              description={
                <Space direction="vertical">
                  {t('opportunities.pipelines.moveTo', { count: r.opportunityCount })}
                  <Select style={{ width: 200 }} value={moveTo} onChange={setMoveTo} options={openStages.filter((s) => s.id !== r.id).map((s) => ({ value: s.id, label: s.name }))} />
                </Space>
              }
              okText={t('opportunities.pipelines.moveAndDelete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ disabled: moveTo === undefined, danger: true }}
              onConfirm={() =>
                void run('delete', async () => reset(await api.delete<PipelineDto>(`/pipelines/${pipeline.id}/stages/${r.id}`, { moveTo })), t('opportunities.pipelines.saved'))
              }
            >
              <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
            </Popconfirm>
          ) : (
            <Button size="small" danger icon={<DeleteOutlined />} onClick={remove} aria-label={t('common.delete')} />
          )
        }
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          loading={running === 'stages'}
          onClick={() =>
            void run(
              'stages',
              async () => reset(await api.put<PipelineDto>(`/pipelines/${pipeline.id}/stages`, { stages: rows.map((r) => ({ id: r.id, name: r.name, winRate: r.winRate ?? 0, enabled: r.enabled })) })),
              t('opportunities.pipelines.saved'),
            )
          }
        >
          {t('opportunities.pipelines.saveStages')}
        </Button>
        <Typography.Text type="secondary">{t('opportunities.pipelines.outcomes')}</Typography.Text>
      </Space>
    </Card>
  );
}

function LostReasons({ reasons }: { reasons: LostReasonDto[] }) {
  const { t } = useTranslation();
  const refresh = useRefreshOpportunities();
  const [rows, setRows] = useState<Row[]>(() => reasons.map((r) => ({ key: `r${r.id}`, id: r.id, name: r.name, enabled: r.enabled })));
  const { running, run } = useAction(refresh);
  return (
    <Card className="page-card" title={t('opportunities.pipelines.lostReasons')}>
      <EditableList rows={rows} onChange={setRows} addLabel={t('opportunities.pipelines.addReason')} newRow={() => ({ key: rowKey(), name: '', enabled: true })} />
      <Button
        type="primary"
        style={{ marginTop: 12 }}
        loading={running === 'save'}
        onClick={() => void run('save', () => api.put('/opportunity-lost-reasons', { reasons: rows.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled })) }), t('opportunities.pipelines.saved'))}
      >
        {t('opportunities.pipelines.saveReasons')}
      </Button>
    </Card>
  );
}

function CreatePipeline({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshOpportunities();
  const [form] = Form.useForm<{ name: string }>();
  const [submitting, setSubmitting] = useState(false);
  const save = async (v: { name: string }) => {
    setSubmitting(true);
    try {
      await api.post('/pipelines', { name: v.name, stages: [{ name: '初步接洽', winRate: 10 }, { name: '方案报价', winRate: 50 }] });
      await refresh();
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('opportunities.pipelines.create')}>
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item name="name" label={t('opportunities.pipelines.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** 销售流程: pipelines with their stages and win rates (reorder, rename, add, disable), and the lost reasons. */
export default function Pipelines() {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const reasons = useLostReasons();
  const [creating, setCreating] = useState(false);
  return (
    <PageContainer
      title={t('opportunities.pipelines.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('opportunities.pipelines.create')}
        </Button>
      }
    >
      {(pipelines.data ?? []).map((p) => (
        <PipelineCard key={`${p.id}-${JSON.stringify(p.stages)}`} pipeline={p} />
      ))}
      {reasons.data && <LostReasons key={JSON.stringify(reasons.data)} reasons={reasons.data} />}
      {creating && <CreatePipeline onClose={() => setCreating(false)} />}
    </PageContainer>
  );
}
