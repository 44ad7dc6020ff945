import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Popconfirm, Row, Select, Skeleton, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  APPROVAL_MODES,
  APPROVER_KINDS,
  type ApprovalCondition,
  ApprovalTemplateInput,
  CONDITION_FIELDS,
  type ApprovalTemplateDto,
  type ApproverKind,
} from '../../../common/schemas/approvals';
import { formatMoney } from '../../../common/money';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { issueMessage, showError } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { PageContainer } from '../../components/PageContainer';
import { UserMultiSelect } from '../../components/UserSelect';
import { useApprovalTypes } from './approvals';

const TEMPLATES_KEY = ['approval-templates'] as const;

interface StepValues {
  name?: string;
  approverKind?: ApproverKind;
  approverIds?: number[];
  levels?: number;
  mode?: 'all' | 'any';
  min?: string | null;
  field?: ConditionField;
}
interface Values {
  name?: string;
  enabled?: boolean;
  priority?: number;
  min?: string | null;
  field?: ConditionField;
  steps?: StepValues[];
}

type ConditionField = ApprovalCondition['field'];
// a condition is edited as its field and its minimum (≥)
const minOf = (c: ApprovalCondition | null) => c?.value ?? null;
const fieldOf = (c: ApprovalCondition | null): ConditionField => c?.field ?? 'amount';
const conditionOf = (min: string | null | undefined, field: ConditionField = 'amount'): ApprovalCondition | null => (min ? { field, op: 'gte', value: min } : null);

const toValues = (t: ApprovalTemplateDto): Values => ({
  name: t.name,
  enabled: t.enabled,
  priority: t.priority,
  min: minOf(t.condition),
  field: fieldOf(t.condition),
  steps: t.steps.map((s) => ({ ...s, min: minOf(s.condition), field: fieldOf(s.condition) })),
});

const toBody = (businessType: string, v: Values) => ({
  businessType,
  name: v.name,
  enabled: v.enabled ?? true,
  priority: v.priority ?? 0,
  condition: conditionOf(v.min, v.field),
  steps: (v.steps ?? []).map(({ min, field, ...s }) => ({ ...s, approverIds: s.approverIds ?? [], levels: s.levels ?? 1, condition: conditionOf(min, field) })),
});

/** What a condition compares (amount or discount), in front of its minimum. */
function ConditionFieldSelect({ name }: { name: string | (string | number)[] }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={name} noStyle initialValue="amount">
      <Select<ConditionField>
        style={{ width: 150 }}
        aria-label={t('approvals.conditionField')}
        data-testid="condition-field"
        options={CONDITION_FIELDS.map((f) => ({ value: f, label: `${t(`approvals.conditionFields.${f}`)} ≥` }))}
      />
    </Form.Item>
  );
}

/** A condition as the lists show it: ≥ ¥5,000.00 or 折扣 ≥ 15%. */
const conditionText = (c: ApprovalCondition, t: (k: 'approvals.conditionFields.discount') => string) =>
  c.field === 'discount' ? `${t('approvals.conditionFields.discount')} ≥ ${c.value}%` : `≥ ${formatMoney(c.value)}`;

/** The editor of one template: name, when it applies, and its ordered steps. */
function TemplateModal({ businessType, template, onClose }: { businessType: string; template?: ApprovalTemplateDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: Role[] }>('/roles').then((r) => r.items) });

  const save = async (v: Values) => {
    const parsed = ApprovalTemplateInput.safeParse(toBody(businessType, v));
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => {
          const path = i.path.map(String);
          // conditions are edited as their amount
          const name = path.at(-2) === 'condition' ? [...path.slice(0, -2), 'min'] : path.at(-1) === 'condition' ? [...path.slice(0, -1), 'min'] : path;
          return { name: name.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [issueMessage(i, undefined, t)] };
        }) as never,
      );
      return;
    }
    setSaving(true);
    try {
      if (template) await api.put(`/approval-templates/${template.id}`, parsed.data);
      else await api.post('/approval-templates', parsed.data);
      await queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      message.success(t('common.saved'));
      onClose();
    } catch (err) {
      showError(err, {
        message,
        t,
        form,
        mapPath: (p) => {
          const parts = p.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x));
          return parts;
        },
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormModal
      form={form}
      submitting={saving}
      onClose={onClose}
      width={860}
      title={t(template ? 'approvals.editTemplate' : 'approvals.newTemplate')}
      okButtonProps={{ 'data-testid': 'template-save' } as never}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={template ? toValues(template) : { enabled: true, priority: 0, steps: [{ name: '', approverKind: 'superior', levels: 1, mode: 'any' }] }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('approvals.templateName')} required>
              <Input maxLength={50} data-testid="template-name" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="priority" label={t('approvals.priority')} tooltip={t('approvals.priorityHelp')}>
              <InputNumber min={0} max={1000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="enabled" label={t('approvals.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="min" label={t('approvals.condition')} extra={t('approvals.conditionHelp')}>
          <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} placeholder={t('approvals.always')} addonBefore={<ConditionFieldSelect name="field" />} />
        </Form.Item>
        <Typography.Title level={5}>{t('approvals.steps')}</Typography.Title>
        <Form.List name="steps">
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((f, index) => (
                <Card
                  key={f.key}
                  size="small"
                  style={{ marginBottom: 12 }}
                  title={`${index + 1}`}
                  data-testid="template-step"
                  extra={
                    <Space size={0}>
                      <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('approvals.moveUp')} />
                      <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} aria-label={t('approvals.moveDown')} />
                      <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(index)} aria-label={t('common.delete')} />
                    </Space>
                  }
                >
                  <Row gutter={12}>
                    <Col xs={24} sm={8}>
                      <Form.Item name={[f.name, 'name']} label={t('approvals.stepName')} required>
                        <Input maxLength={50} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={8}>
                      <Form.Item name={[f.name, 'approverKind']} label={t('approvals.approverKind')} required>
                        <Select options={APPROVER_KINDS.map((k) => ({ value: k, label: t(`approvals.kinds.${k}`) }))} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} sm={8}>
                      <Form.Item name={[f.name, 'mode']} label={t('approvals.mode')} required>
                        <Select options={APPROVAL_MODES.map((m) => ({ value: m, label: t(`approvals.modes.${m}`) }))} />
                      </Form.Item>
                    </Col>
                    <Form.Item noStyle dependencies={[['steps', f.name, 'approverKind']]}>
                      {() => {
                        const kind = form.getFieldValue(['steps', f.name, 'approverKind']) as ApproverKind | undefined;
                        if (kind === 'user')
                          return (
                            <Col xs={24} sm={16}>
                              <Form.Item name={[f.name, 'approverIds']} label={t('approvals.approvers')} required>
                                <UserMultiSelect />
                              </Form.Item>
                            </Col>
                          );
                        if (kind === 'role')
                          return (
                            <Col xs={24} sm={16}>
                              <Form.Item name={[f.name, 'approverIds']} label={t('approvals.roles')} required>
                                <Select mode="multiple" options={(roles.data ?? []).map((r) => ({ value: r.id, label: r.name }))} optionFilterProp="label" />
                              </Form.Item>
                            </Col>
                          );
                        if (kind === 'superior')
                          return (
                            <Col xs={24} sm={16}>
                              <Form.Item name={[f.name, 'levels']} label={t('approvals.levelsLabel')}>
                                <InputNumber min={1} max={10} precision={0} style={{ width: '100%' }} />
                              </Form.Item>
                            </Col>
                          );
                        return <Col xs={24} sm={16} />;
                      }}
                    </Form.Item>
                    <Col xs={24} sm={8}>
                      <Form.Item name={[f.name, 'min']} label={t('approvals.stepCondition')} tooltip={t('approvals.stepConditionHelp')}>
                        <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} placeholder={t('approvals.always')} addonBefore={<ConditionFieldSelect name={[f.name, 'field']} />} />
                      </Form.Item>
                    </Col>
                  </Row>
                </Card>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} disabled={fields.length >= 10} onClick={() => add({ name: '', approverKind: 'user', mode: 'any', levels: 1 })}>
                {t('approvals.addStep')}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </FormModal>
  );
}

/** The templates of one business type, by priority. */
function TemplatesOfType({ businessType }: { businessType: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<ApprovalTemplateDto | 'new' | null>(null);
  const list = useQuery({
    queryKey: [...TEMPLATES_KEY, businessType],
    queryFn: () => api.get<{ items: ApprovalTemplateDto[] }>('/approval-templates', { businessType }).then((r) => r.items),
  });
  const settle = () => queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
  const run = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
    } catch (err) {
      showError(err, { message, t });
    } finally {
      await settle();
    }
  };
  const stepText = (s: ApprovalTemplateDto['steps'][number]) =>
    `${s.name}（${s.approverKind === 'superior' ? t('approvals.levels', { levels: s.levels }) : t(`approvals.kinds.${s.approverKind}`)} · ${t(`approvals.modesShort.${s.mode}`)}${
      s.condition ? ` · ${conditionText(s.condition, t)}` : ''
    }）`;

  if (list.error) return <Alert type="error" showIcon message={list.error.message} />;
  if (list.isPending) return <Skeleton active />;
  return (
    <>
      <div style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="template-create">
          {t('approvals.newTemplate')}
        </Button>
      </div>
      {list.data.length === 0 ? (
        <Empty />
      ) : (
        <Table<ApprovalTemplateDto>
          rowKey="id"
          pagination={false}
          dataSource={list.data}
          scroll={{ x: true }}
          data-testid="template-list"
          columns={[
            { title: t('approvals.templateName'), dataIndex: 'name', key: 'name' },
            { title: t('approvals.priority'), dataIndex: 'priority', key: 'priority' },
            { title: t('approvals.condition'), key: 'condition', render: (_, r) => (r.condition ? conditionText(r.condition, t) : t('approvals.always')) },
            {
              title: t('approvals.steps'),
              key: 'steps',
              render: (_, r) => (
                <Space direction="vertical" size={0}>
                  {r.steps.map((s, i) => (
                    <span key={i}>
                      <Tag bordered={false}>{i + 1}</Tag>
                      {stepText(s)}
                    </span>
                  ))}
                </Space>
              ),
            },
            {
              title: t('approvals.enabled'),
              key: 'enabled',
              render: (_, r) => (
                <Switch
                  checked={r.enabled}
                  aria-label={t('approvals.enabled')}
                  onChange={(enabled) => void run(() => api.put(`/approval-templates/${r.id}`, { ...toBody(businessType, toValues(r)), enabled }), t('common.saved'))}
                />
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, r) => (
                <Space>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('approvals.deleteConfirm', { name: r.name })}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => run(() => api.delete(`/approval-templates/${r.id}`), t('common.deleted'))}
                  >
                    <Button size="small" danger icon={<DeleteOutlined />}>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing && <TemplateModal businessType={businessType} template={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** 审批流程: the approval templates of each business type. */
export default function ApprovalSettings() {
  const { t } = useTranslation();
  const types = useApprovalTypes();
  return (
    <PageContainer title={t('approvals.settingsTitle')}>
      <Card className="page-card">
        <Tabs items={types.items.map((x) => ({ key: x.type, label: types.label(x.type), children: <TemplatesOfType businessType={x.type} /> }))} />
      </Card>
    </PageContainer>
  );
}
