import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Drawer, Form, Grid, Input, Row, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { LeadCreate, LeadUpdate } from '../../../common/schemas/leads';
import { api } from '../../api/client';
import type { LeadDto } from '../../api/types';
import { CustomFieldItems, customValuesBody, type CustomValues, useCustomFields } from '../../components/customFields';
import { FieldGate, useFieldAccess } from '../../components/fieldAccess';
import { DictSelect, IndustryTreeSelect } from '../../components/dictionaries';
import { useEntryRules } from '../../components/entryRules';
import { changedFields, type FieldName, issueMessage, showError, zodRule } from '../../components/form';
import { RegionCascader } from '../../components/RegionCascader';
import { regionPath } from '../../components/regions';

interface Values {
  name?: string;
  company?: string | null;
  title?: string | null;
  mobile?: string | null;
  phone?: string | null;
  email?: string | null;
  wechat?: string | null;
  sourceCode?: string | null;
  industryCode?: string | null;
  region?: string[];
  address?: string | null;
  remark?: string | null;
  custom?: CustomValues;
}

const REGION_FIELDS = new Set(['provinceCode', 'cityCode', 'districtCode']);
const text = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v);

function toBody(v: Values) {
  return {
    name: v.name ?? '',
    company: text(v.company),
    title: text(v.title),
    mobile: text(v.mobile),
    phone: text(v.phone),
    email: text(v.email),
    wechat: text(v.wechat),
    sourceCode: v.sourceCode ?? null,
    industryCode: v.industryCode ?? null,
    provinceCode: v.region?.[0] ?? null,
    cityCode: v.region?.[1] ?? null,
    districtCode: v.region?.[2] ?? null,
    address: text(v.address),
    remark: text(v.remark),
  };
}

function initialValues(l: LeadDto | undefined): Values {
  if (!l) return {};
  return {
    name: l.name,
    company: l.company,
    title: l.title,
    mobile: l.mobile,
    phone: l.phone,
    email: l.email,
    wechat: l.wechat,
    sourceCode: l.sourceCode,
    industryCode: l.industryCode,
    region: regionPath({ provinceCode: l.provinceCode ?? undefined, cityCode: l.cityCode ?? undefined, districtCode: l.districtCode ?? undefined }),
    address: l.address,
    remark: l.remark,
    custom: l.custom,
  };
}

/** The form field a request path names: the region codes are one cascader. */
const formField = (path: string): FieldName | undefined => {
  const [first, key] = path.split('.');
  if (!first) return undefined;
  if (first === 'custom' && key) return ['custom', key];
  return REGION_FIELDS.has(first) ? ['region'] : [first];
};

interface Props {
  lead?: LeadDto;
  onClose: () => void;
  onSaved?: (lead: LeadDto) => void;
}

/** Creates or edits a lead: who, which company, how to reach them, where they came from. A drawer; the whole screen on a phone. */
export function LeadFormDrawer({ lead, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const [initial] = useState(() => initialValues(lead));
  const shape = LeadCreate.shape;
  const required = useEntryRules('lead');
  const customFields = useCustomFields('lead');
  const access = useFieldAccess('lead');

  const save = async (values: Values) => {
    const custom = customValuesBody(customFields.enabled, values.custom, lead?.custom);
    const body = { ...toBody(values), ...(custom && { custom }) };
    const schema = (lead ? LeadUpdate : LeadCreate) as z.ZodType<Record<string, unknown>>;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((issue) => ({
          name: formField(issue.path.map(String).join('.')) ?? ['name'],
          errors: [issueMessage(issue, undefined, t)],
        })) as never,
      );
      return;
    }
    setSubmitting(true);
    try {
      let saved: LeadDto;
      if (lead) {
        const changes = changedFields(toBody(initialValues(lead)), parsed.data);
        saved = Object.keys(changes).length ? await api.patch<LeadDto>(`/leads/${lead.id}`, changes) : lead;
      } else {
        saved = await api.post<LeadDto>('/leads', parsed.data);
      }
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      message.success(t(lead ? 'common.saved' : 'common.created'));
      onSaved?.(saved);
      onClose();
    } catch (err) {
      showError(err, { message, t, form, mapPath: formField });
    } finally {
      setSubmitting(false);
    }
  };

  const half = { xs: 24, sm: 12 };

  return (
    <Drawer
      open
      title={lead ? t('leads.editTitle', { name: lead.name }) : t('leads.create')}
      width={screens.md === false ? '100%' : 720}
      onClose={onClose}
      destroyOnHidden
      className="lead-form-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="lead-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} name="lead" layout="vertical" initialValues={initial} onFinish={(v) => void save(v)} scrollToFirstError>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('leads.name')} name="name" required rules={[zodRule(shape.name, t)]}>
              <Input autoFocus maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('leads.title')} name="title" {...required('title', [zodRule(shape.title, t)])}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('leads.company')} name="company" {...required('company', [zodRule(shape.company, t)])} extra={t('leads.companyHelp')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="mobile">
            <Col {...half}>
              <Form.Item label={t('leads.mobile')} name="mobile" {...required('mobile', [zodRule(shape.mobile, t)])}>
                <Input inputMode="tel" maxLength={20} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="phone">
            <Col {...half}>
              <Form.Item label={t('leads.phone')} name="phone" {...required('phone', [zodRule(shape.phone, t)])} extra={t('customers.phoneHelp')}>
                <Input inputMode="tel" maxLength={40} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="email">
            <Col {...half}>
              <Form.Item label={t('leads.email')} name="email" {...required('email', [zodRule(shape.email, t)])}>
                <Input type="email" inputMode="email" maxLength={254} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="wechat">
            <Col {...half}>
              <Form.Item label={t('leads.wechat')} name="wechat" {...required('wechat', [zodRule(shape.wechat, t)])}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
          </FieldGate>
          <Col {...half}>
            <Form.Item label={t('leads.source')} name="sourceCode" {...required('sourceCode')}>
              <DictSelect kind="customer_source" allowClear />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('leads.industry')} name="industryCode" {...required('industryCode')}>
              <IndustryTreeSelect allowClear placeholder={t('customers.industryPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('leads.region')} name="region" {...required('provinceCode')}>
              <RegionCascader />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="address">
            <Col xs={24}>
              <Form.Item label={t('leads.address')} name="address" {...required('address', [zodRule(shape.address, t)])}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
          </FieldGate>
          <CustomFieldItems fields={customFields.enabled} entity="lead" recordId={lead?.id} col={half} />
          <FieldGate access={access} field="remark">
            <Col xs={24}>
              <Form.Item label={t('leads.remark')} name="remark" rules={[zodRule(shape.remark, t)]}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
              </Form.Item>
            </Col>
          </FieldGate>
        </Row>
      </Form>
    </Drawer>
  );
}
