import { CodeOutlined, CopyOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Skeleton, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { LeadRulesBody, WebFormInput } from '../../../common/schemas/leads';
import { api } from '../../api/client';
import type { LeadForm, LeadRules, ScoreField } from '../../api/types';
import { DictSelect, IndustryTreeSelect, useDictionaries } from '../../components/dictionaries';
import { issueMessage, showError, useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { PageContainer } from '../../components/PageContainer';
import { RegionCascader } from '../../components/RegionCascader';
import { UserMultiSelect } from '../../components/UserSelect';

const RULES_KEY = ['lead-rules'] as const;
const FORMS_KEY = ['lead-forms'] as const;
const SCORE_FIELDS: ScoreField[] = ['source_code', 'industry_code', 'province_code', 'mobile', 'email', 'company', 'followups'];
type SnippetText = 'name' | 'company' | 'mobile' | 'email' | 'remark' | 'honeypot' | 'submit' | 'thanks' | 'failed';
const CODE_FIELDS = new Set<ScoreField>(['source_code', 'industry_code', 'province_code']);

type Assignment = LeadRules['assignment'][number];
interface Values {
  assignment?: (Omit<Assignment, 'provinceCode'> & { province?: string[] })[];
  scoring?: { field?: ScoreField; value?: string | string[] | null; points?: number | null }[];
}

const toValues = (r: LeadRules): Values => ({
  assignment: r.assignment.map(({ provinceCode, ...a }) => ({ ...a, province: provinceCode ? [provinceCode] : [] })),
  scoring: r.scoring.map((s) => ({ field: s.field, value: s.field === 'province_code' && s.value ? [s.value] : s.value, points: s.points })),
});

const toBody = (v: Values) => ({
  assignment: (v.assignment ?? []).map(({ province, ...a }) => ({
    ...a,
    sourceCode: a.sourceCode ?? null,
    industryCode: a.industryCode ?? null,
    provinceCode: province?.[0] ?? null,
    userIds: a.userIds ?? [],
  })),
  scoring: (v.scoring ?? []).map((s) => ({
    field: s.field,
    value: s.field && CODE_FIELDS.has(s.field) ? ((Array.isArray(s.value) ? s.value[0] : s.value) ?? null) : null,
    points: s.points,
  })),
});

/** The value a score rule looks for: a dictionary item or a province for code fields, nothing for the others. */
function ScoreValue({ field, value, onChange, t }: { field?: ScoreField; value?: string | string[] | null; onChange?: (v: unknown) => void; t: TFunction }) {
  if (field === 'source_code') return <DictSelect kind="customer_source" allowClear value={value as string} onChange={onChange} placeholder={t('leadSettings.anyValue')} />;
  if (field === 'industry_code') return <IndustryTreeSelect allowClear value={value as string} onChange={onChange} placeholder={t('leadSettings.anyValue')} />;
  if (field === 'province_code') return <RegionCascader levels={1} value={value as string[]} onChange={onChange} placeholder={t('leadSettings.anyValue')} />;
  return <Input disabled value={field === 'followups' ? t('leadSettings.perFollowup') : t('leadSettings.whenFilled')} />;
}

/** Assignment rules (who gets a new lead) and score rules (what makes a lead worth more), saved together. */
function RulesEditor() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const rules = useQuery({ queryKey: RULES_KEY, queryFn: () => api.get<LeadRules>('/lead-rules') });

  useEffect(() => {
    if (rules.data) form.setFieldsValue(toValues(rules.data));
  }, [rules.data, form]);

  const save = async (v: Values) => {
    const parsed = LeadRulesBody.safeParse(toBody(v));
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => {
          const [list, index, field] = i.path.map(String);
          const name = field === 'provinceCode' ? 'province' : field;
          return { name: [list!, Number(index), name!], errors: [issueMessage(i, undefined, t)] };
        }) as never,
      );
      return;
    }
    setSaving(true);
    try {
      const saved = await api.put<LeadRules>('/lead-rules', parsed.data);
      queryClient.setQueryData(RULES_KEY, saved);
      message.success(t('common.saved'));
    } catch (err) {
      showError(err, {
        message,
        t,
        form,
        mapPath: (path) => {
          const [list, index, field] = path.split('.');
          return list && index !== undefined && field ? [list, Number(index), field === 'provinceCode' ? 'province' : field] : undefined;
        },
      });
    } finally {
      setSaving(false);
    }
  };

  if (rules.error) return <Alert type="error" showIcon message={rules.error.message} />;
  if (rules.isPending) return <Skeleton active />;

  return (
    <Form<Values> form={form} name="leadRules" layout="vertical" onFinish={(v) => void save(v)}>
      <Typography.Title level={5}>{t('leadSettings.assignment')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('leadSettings.assignmentHelp')}</Typography.Paragraph>
      <Form.List name="assignment">
        {(fields, { add, remove }) => (
          <div className="editable-list">
            {fields.map((f) => (
              <Card
                key={f.key}
                size="small"
                className="rule-card"
                title={
                  <Form.Item name={[f.name, 'name']} noStyle>
                    <Input placeholder={t('leadSettings.ruleName')} aria-label={t('leadSettings.ruleName')} maxLength={50} variant="borderless" />
                  </Form.Item>
                }
                extra={
                  <Space>
                    <Form.Item name={[f.name, 'enabled']} valuePropName="checked" noStyle>
                      <Switch size="small" aria-label={t('dictionaries.enabled')} />
                    </Form.Item>
                    <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </Space>
                }
              >
                <Row gutter={12}>
                  <Col xs={24} sm={8}>
                    <Form.Item label={t('leads.source')} name={[f.name, 'sourceCode']}>
                      <DictSelect kind="customer_source" allowClear placeholder={t('leadSettings.anyValue')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={8}>
                    <Form.Item label={t('leads.industry')} name={[f.name, 'industryCode']}>
                      <IndustryTreeSelect allowClear placeholder={t('leadSettings.anyValue')} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={8}>
                    <Form.Item label={t('leadSettings.province')} name={[f.name, 'province']}>
                      <RegionCascader levels={1} placeholder={t('leadSettings.anyValue')} />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={8}>
                    <Form.Item label={t('leadSettings.method')} name={[f.name, 'method']}>
                      <Select
                        options={(['round_robin', 'least_loaded'] as const).map((m) => ({ value: m, label: t(`leadSettings.methods.${m}`) }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={4}>
                    <Form.Item label={t('leadSettings.priority')} name={[f.name, 'priority']} tooltip={t('leadSettings.priorityHelp')}>
                      <InputNumber<number> min={0} max={1000} precision={0} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item label={t('leadSettings.users')} name={[f.name, 'userIds']} required>
                      <UserMultiSelect placeholder={t('common.searchUser')} />
                    </Form.Item>
                  </Col>
                </Row>
              </Card>
            ))}
            <Button
              type="dashed"
              block
              icon={<PlusOutlined />}
              onClick={() => add({ name: '', priority: 0, enabled: true, sourceCode: null, industryCode: null, province: [], method: 'round_robin', userIds: [] })}
            >
              {t('leadSettings.addAssignment')}
            </Button>
          </div>
        )}
      </Form.List>

      <Typography.Title level={5} className="section-title">
        {t('leadSettings.scoring')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('leadSettings.scoringHelp')}</Typography.Paragraph>
      <Form.List name="scoring">
        {(fields, { add, remove }) => (
          <div className="editable-list">
            {fields.map((f) => (
              <Row key={f.key} gutter={8} align="middle" className="editable-row">
                <Col xs={24} sm={8}>
                  <Form.Item name={[f.name, 'field']} noStyle>
                    <Select<ScoreField>
                      aria-label={t('leadSettings.scoreField')}
                      options={SCORE_FIELDS.map((s) => ({ value: s, label: t(`leadSettings.scoreFields.${s}`) }))}
                      onChange={() => form.setFieldValue(['scoring', f.name, 'value'], null)}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={9}>
                  <Form.Item noStyle shouldUpdate>
                    {() => (
                      <Form.Item name={[f.name, 'value']} noStyle>
                        <ScoreValue field={form.getFieldValue(['scoring', f.name, 'field']) as ScoreField} t={t} />
                      </Form.Item>
                    )}
                  </Form.Item>
                </Col>
                <Col xs={8} sm={5}>
                  <Form.Item name={[f.name, 'points']} noStyle>
                    <InputNumber<number> min={-1000} max={1000} precision={0} addonAfter={t('leadSettings.points')} style={{ width: '100%' }} aria-label={t('leadSettings.points')} />
                  </Form.Item>
                </Col>
                <Col xs={4} sm={2}>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                </Col>
              </Row>
            ))}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ field: 'mobile', value: null, points: 10 })}>
              {t('leadSettings.addScore')}
            </Button>
          </div>
        )}
      </Form.List>
      <div className="form-actions">
        <Button type="primary" htmlType="submit" loading={saving} data-testid="lead-rules-save">
          {t('common.save')}
        </Button>
      </div>
    </Form>
  );
}

/** The HTML of a minimal page that posts to a web form: the fields, the honeypot, the fill time. */
function formSnippet(url: string, tr: TFunction): string {
  // texts go into HTML attributes and a script: no quote may end them early
  const t = (key: `leadSettings.snippet.${SnippetText}`) => String(tr(key)).replace(/[<>"&]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<form id="crm-lead-form">
  <p><input name="name" placeholder="${t('leadSettings.snippet.name')}" required maxlength="50"></p>
  <p><input name="company" placeholder="${t('leadSettings.snippet.company')}" maxlength="100"></p>
  <p><input name="mobile" placeholder="${t('leadSettings.snippet.mobile')}" inputmode="tel" maxlength="11"></p>
  <p><input name="email" type="email" placeholder="${t('leadSettings.snippet.email')}" maxlength="254"></p>
  <p><textarea name="remark" placeholder="${t('leadSettings.snippet.remark')}" maxlength="2000"></textarea></p>
  <!-- ${t('leadSettings.snippet.honeypot')} -->
  <input name="website" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-9999px">
  <p><button type="submit">${t('leadSettings.snippet.submit')}</button></p>
</form>
<script>
(function () {
  var startedAt = Date.now();
  var form = document.getElementById('crm-lead-form');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var data = { startedAt: startedAt };
    ['name', 'company', 'mobile', 'email', 'remark', 'website'].forEach(function (k) {
      var v = form.elements[k].value.trim();
      if (v) data[k] = v;
    });
    fetch('${url}', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) })
      .then(function (res) {
        if (!res.ok) throw new Error();
        form.innerHTML = '<p>' + ${JSON.stringify(t('leadSettings.snippet.thanks'))} + '</p>';
      })
      .catch(function () { alert(${JSON.stringify(t('leadSettings.snippet.failed'))}); });
  });
})();
</script>`;
}

function CopyButton({ text, testId }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Button
      icon={<CopyOutlined />}
      data-testid={testId}
      onClick={() =>
        void navigator.clipboard
          .writeText(text)
          .then(() => message.success(t('leadSettings.copied')))
          .catch(() => message.error(t('leadSettings.copyFailed')))
      }
    >
      {t('leadSettings.copy')}
    </Button>
  );
}

/** Creates a web form, or edits one (`editing`): its address (token) never changes. */
function WebFormModal({ editing, onClose }: { editing?: LeadForm; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(WebFormInput);
  const save = submit(async (data) => {
    const r = editing
      ? await api.put<{ items: LeadForm[] }>(`/lead-forms/${editing.id}`, data)
      : await api.post<{ items: LeadForm[] }>('/lead-forms', data);
    queryClient.setQueryData(FORMS_KEY, r.items);
    message.success(t(editing ? 'common.saved' : 'common.created'));
  }, onClose);
  return (
    <FormModal
      form={form}
      submitting={submitting}
      onClose={onClose}
      title={editing ? t('leadSettings.editForm', { name: editing.name }) : t('leadSettings.createForm')}
    >
      <Form
        form={form}
        name="leadForm"
        layout="vertical"
        initialValues={editing ? { name: editing.name, sourceCode: editing.sourceCode, enabled: editing.enabled } : { enabled: true }}
        onFinish={save}
      >
        <Form.Item label={t('leadSettings.formName')} {...field('name')} extra={t('leadSettings.formNameHelp')}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item label={t('leads.source')} {...field('sourceCode')} extra={t('leadSettings.formSourceHelp')}>
          <DictSelect kind="customer_source" allowClear />
        </Form.Item>
        <Form.Item label={t('dictionaries.enabled')} {...field('enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** Public web forms: their address, and a page snippet that posts to it. */
function WebForms() {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<LeadForm | null>(null);
  const [snippet, setSnippet] = useState<LeadForm | null>(null);
  const forms = useQuery({ queryKey: FORMS_KEY, queryFn: () => api.get<{ items: LeadForm[] }>('/lead-forms').then((r) => r.items) });
  const urlOf = (f: LeadForm) => `${window.location.origin}/api/v1/public/forms/${f.token}/leads`;

  return (
    <div data-testid="lead-forms">
      <div className="list-toolbar">
        <Typography.Text type="secondary">{t('leadSettings.formsHelp')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('leadSettings.createForm')}
        </Button>
      </div>
      {forms.error && <Alert type="error" showIcon message={forms.error.message} />}
      <Table<LeadForm>
        rowKey="id"
        loading={forms.isFetching}
        dataSource={forms.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('leadSettings.formName'),
            dataIndex: 'name',
            render: (v: string, f) => (
              <Space size={4}>
                {v}
                {!f.enabled && <Tag bordered={false}>{t('dictionaries.disabledTag')}</Tag>}
              </Space>
            ),
          },
          { title: t('leads.source'), dataIndex: 'sourceCode', render: (v: string | null) => dict.label('customer_source', v) ?? '-' },
          {
            title: t('leadSettings.formUrl'),
            key: 'url',
            render: (_: unknown, f) => (
              <Typography.Text code copyable={{ text: urlOf(f) }} className="form-url">
                POST {urlOf(f)}
              </Typography.Text>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, f) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(f)} data-testid="lead-form-edit">
                  {t('common.edit')}
                </Button>
                <Button type="link" size="small" icon={<CodeOutlined />} onClick={() => setSnippet(f)}>
                  {t('leadSettings.snippetButton')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {creating && <WebFormModal onClose={() => setCreating(false)} />}
      {editing && <WebFormModal editing={editing} onClose={() => setEditing(null)} />}
      {snippet && (
        <Modal
          open
          width={760}
          className="responsive-modal"
          title={t('leadSettings.snippetTitle', { name: snippet.name })}
          onCancel={() => setSnippet(null)}
          footer={[
            <CopyButton key="copy" text={formSnippet(urlOf(snippet), t)} />,
            <Button key="close" type="primary" onClick={() => setSnippet(null)}>
              {t('common.confirm')}
            </Button>,
          ]}
        >
          <Typography.Paragraph type="secondary">{t('leadSettings.snippetHelp')}</Typography.Paragraph>
          <pre className="code-block" data-testid="lead-form-snippet">
            {formSnippet(urlOf(snippet), t)}
          </pre>
        </Modal>
      )}
    </div>
  );
}

/** Lead settings (lead.manage): assignment and score rules, public web forms. */
export default function LeadSettings() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'forms' ? 'forms' : 'rules';
  return (
    <PageContainer title={t('menu.leadSettings')} subTitle={t('leadSettings.subtitle')}>
      <Card className="page-card">
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams({ tab: k }, { replace: true })}
          items={[
            { key: 'rules', label: t('leadSettings.tabs.rules'), children: <RulesEditor /> },
            { key: 'forms', label: t('leadSettings.tabs.forms'), children: <WebForms /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
