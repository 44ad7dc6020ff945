import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Col, Drawer, Form, Grid, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { Name } from '../../../common/schemas/common';
import { ADDRESS_TAGS, AddressInput, CUSTOMER_KINDS, CustomerCreate, CustomerUpdate } from '../../../common/schemas/customers';
import { isCreditCode, isLandline, MOBILE_RE } from '../../../common/validators';
import { api } from '../../api/client';
import type { CustomerDetail, CustomerDto } from '../../api/types';
import { useSession } from '../../app/session';
import { CustomFieldItems, customValuesBody, type CustomValues, useCustomFields } from '../../components/customFields';
import { FieldGate, useFieldAccess } from '../../components/fieldAccess';
import { DictSelect, IndustryTreeSelect, StatusSelect, useDictionaries } from '../../components/dictionaries';
import { useDuplicateCheck } from '../../components/duplicates';
import { useEntryRules } from '../../components/entryRules';
import { changedFields, type FieldName, issueMessage, showError, zodRule } from '../../components/form';
import { RegionCascader } from '../../components/RegionCascader';
import { regionPath } from '../../components/regions';
import { UserSelect } from '../../components/UserSelect';

type AddressTag = (typeof ADDRESS_TAGS)[number];
type Kind = (typeof CUSTOMER_KINDS)[number];

interface AddressValues {
  tag?: AddressTag;
  region?: string[];
  detail?: string | null;
  postcode?: string | null;
  isDefault?: boolean;
}

interface Values {
  name?: string;
  code?: string | null;
  kind?: Kind;
  ownerId?: number | null;
  industryCode?: string | null;
  sourceCode?: string | null;
  levelCode?: string | null;
  statusCode?: string | null;
  employeeCount?: number | null;
  annualRevenue?: string | null;
  region?: string[];
  phone?: string | null;
  email?: string | null;
  website?: string | null;
  creditCode?: string | null;
  remark?: string | null;
  tags?: string[];
  addresses?: AddressValues[];
  custom?: CustomValues;
}

const MAX_ADDRESSES = 10;
const REGION_FIELDS = new Set(['provinceCode', 'cityCode', 'districtCode']);

/** Blank text is "none" (null clears the field on the server). */
const text = (v: string | null | undefined) => (v == null || v.trim() === '' ? null : v);

const regionFields = (path: string[] | undefined) => ({
  provinceCode: path?.[0] ?? null,
  cityCode: path?.[1] ?? null,
  districtCode: path?.[2] ?? null,
});

/** The form's values as the API's body. */
function toBody(v: Values) {
  return {
    name: v.name ?? '',
    code: text(v.code),
    kind: v.kind,
    industryCode: v.industryCode ?? null,
    sourceCode: v.sourceCode ?? null,
    levelCode: v.levelCode ?? null,
    statusCode: v.statusCode ?? undefined,
    employeeCount: v.employeeCount ?? null,
    annualRevenue: text(v.annualRevenue),
    ...regionFields(v.region),
    phone: text(v.phone),
    email: text(v.email),
    website: text(v.website),
    creditCode: text(v.creditCode),
    remark: text(v.remark),
    tags: v.tags ?? [],
    addresses: (v.addresses ?? []).map((a) => ({
      tag: a.tag ?? 'office',
      ...regionFields(a.region),
      detail: text(a.detail),
      postcode: text(a.postcode),
      isDefault: !!a.isDefault,
    })),
  };
}

const pathOf = (r: { provinceCode: string | null; cityCode: string | null; districtCode: string | null }) =>
  regionPath({ provinceCode: r.provinceCode ?? undefined, cityCode: r.cityCode ?? undefined, districtCode: r.districtCode ?? undefined });

function initialValues(c: CustomerDetail | undefined, defaultStatus: string | undefined): Values {
  if (!c) return { kind: 'enterprise', statusCode: defaultStatus, tags: [], addresses: [] };
  return {
    name: c.name,
    code: c.code,
    kind: c.kind,
    industryCode: c.industryCode,
    sourceCode: c.sourceCode,
    levelCode: c.levelCode,
    statusCode: c.statusCode,
    employeeCount: c.employeeCount,
    annualRevenue: c.annualRevenue,
    region: pathOf(c),
    phone: c.phone,
    email: c.email,
    website: c.website,
    creditCode: c.creditCode,
    remark: c.remark,
    tags: c.tags,
    addresses: c.addresses.map((a) => ({
      tag: a.tag,
      region: pathOf(a),
      detail: a.detail,
      postcode: a.postcode,
      isDefault: a.isDefault,
    })),
    custom: c.custom,
  };
}

/** The form field a request path names: the codes of a region are one cascader; an address's fields sit in its row. */
function formField(path: string): FieldName | undefined {
  const [first, index, field] = path.split('.');
  if (!first) return undefined;
  if (REGION_FIELDS.has(first)) return ['region'];
  if (first === 'custom' && index) return ['custom', index];
  if (first === 'addresses' && index !== undefined && /^\d+$/.test(index)) {
    return field ? ['addresses', Number(index), REGION_FIELDS.has(field) ? 'region' : field] : ['addresses'];
  }
  return [first];
}

/** What a phone number looks like so far: a hint under the field. */
function phoneKind(v: string | null | undefined): 'mobile' | 'landline' | undefined {
  const s = (v ?? '').trim();
  if (!s) return undefined;
  if (MOBILE_RE.test(s.replace(/^\+?86[- ]?/, '').replace(/[ -]/g, ''))) return 'mobile';
  if (isLandline(s)) return 'landline';
  return undefined;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="form-section">
      <Typography.Title level={5} className="form-section-title">
        {title}
      </Typography.Title>
      <Row gutter={16}>{children}</Row>
    </section>
  );
}

interface Props {
  /** The customer to edit; none to create one. */
  customer?: CustomerDetail;
  onClose: () => void;
  onSaved?: (c: CustomerDto) => void;
}

/**
 * Creates or edits a customer's whole profile, in sections: basic facts,
 * classification, contact details, region and addresses, remark and tags. A
 * wide drawer on a desktop, the whole screen on a phone. Only the fields the
 * user changed are sent when editing.
 */
export function CustomerFormDrawer({ customer, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const dict = useDictionaries();
  const customFields = useCustomFields('customer');
  const access = useFieldAccess('customer');
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const chooseOwner = !customer && can('customer.transfer') && can('user.view');
  const schema = customer ? CustomerUpdate : CustomerCreate;
  const shape = CustomerCreate.shape;
  const required = useEntryRules('customer');
  const addressShape = AddressInput.shape;
  const defaultStatus = dict.statusOptions().find((o) => o.value === 'new')?.value ?? dict.statusOptions()[0]?.value;
  const [initial] = useState(() => initialValues(customer, defaultStatus));

  // a new customer starts in the first status (新建) once the dictionaries are there
  useEffect(() => {
    if (!customer && defaultStatus && !form.getFieldValue('statusCode')) form.setFieldValue('statusCode', defaultStatus);
  }, [customer, defaultStatus, form]);

  const dup = useDuplicateCheck('customer', customer?.id);
  const phone = Form.useWatch('phone', form);
  const creditCode = Form.useWatch('creditCode', form);
  const phoneHint = phoneKind(phone);

  const save = async (values: Values) => {
    const custom = customValuesBody(customFields.enabled, values.custom, customer?.custom);
    const body = { ...toBody(values), ...(chooseOwner && values.ownerId ? { ownerId: values.ownerId } : {}), ...(custom && { custom }) };
    const parsed = (schema as z.ZodType<Record<string, unknown>>).safeParse(body);
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
      let saved: CustomerDto;
      if (customer) {
        const before = toBody(initialValues(customer, undefined));
        const changes = { ...changedFields(before, parsed.data), ...(custom && { custom }) };
        // the list of addresses is replaced as a whole
        if ('addresses' in changes) changes.addresses = parsed.data.addresses;
        saved = Object.keys(changes).length ? await api.patch<CustomerDto>(`/customers/${customer.id}`, changes) : customer;
      } else {
        saved = await api.post<CustomerDto>('/customers', parsed.data);
      }
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      message.success(t(customer ? 'common.saved' : 'common.created'));
      onSaved?.(saved);
      onClose();
    } catch (err) {
      showError(err, { message, t, form, mapPath: formField });
    } finally {
      setSubmitting(false);
    }
  };

  const half = { xs: 24, sm: 12 };
  const third = { xs: 24, sm: 12, lg: 8 };

  return (
    <Drawer
      open
      title={customer ? t('customers.editTitle', { name: customer.name }) : t('customers.create')}
      width={screens.md === false ? '100%' : 880}
      onClose={onClose}
      destroyOnHidden
      className="customer-form-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="customer-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        name="customer"
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => void save(v)}
        scrollToFirstError
      >
        <Section title={t('customers.sections.basic')}>
          <Col xs={24} lg={16}>
            <Form.Item label={t('customers.name')} name="name" required rules={[zodRule(shape.name, t)]} extra={dup.hint('name')}>
              <Input autoFocus maxLength={100} data-testid="customer-form-name" onBlur={(e) => void dup.check('name', e.target.value)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={8}>
            <Form.Item
              label={t('customers.code')}
              name="code"
              // a customer keeps a code once it has one
              required={!!customer}
              rules={[zodRule(customer ? Name(40) : shape.code, t)]}
              extra={customer ? undefined : t('customers.codeHelp')}
            >
              <Input maxLength={40} placeholder={t('customers.codePlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={16}>
            <Form.Item label={t('customers.kind')} name="kind">
              <Select<Kind> options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          {chooseOwner && (
            <Col xs={24} lg={8}>
              <Form.Item label={t('customers.owner')} name="ownerId" extra={t('customers.ownerHelp')}>
                <UserSelect allowClear placeholder={t('customers.ownerPlaceholder')} />
              </Form.Item>
            </Col>
          )}
        </Section>

        <Section title={t('customers.sections.classification')}>
          <Col {...third}>
            <Form.Item label={t('customers.industry')} name="industryCode" {...required('industryCode')}>
              <IndustryTreeSelect allowClear placeholder={t('customers.industryPlaceholder')} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item label={t('customers.level')} name="levelCode" {...required('levelCode')}>
              <DictSelect kind="customer_level" allowClear />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item label={t('customers.source')} name="sourceCode" {...required('sourceCode')}>
              <DictSelect kind="customer_source" allowClear />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item label={t('customers.status')} name="statusCode" extra={customer ? t('customers.statusHelp') : undefined}>
              <StatusSelect current={customer?.statusCode} />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="employeeCount">
            <Col {...third}>
              <Form.Item label={t('customers.employeeCount')} name="employeeCount" {...required('employeeCount', [zodRule(shape.employeeCount, t)])}>
                <InputNumber<number> min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="annualRevenue">
            <Col {...third}>
              <Form.Item label={t('customers.annualRevenue')} name="annualRevenue" {...required('annualRevenue', [zodRule(shape.annualRevenue, t)])}>
                <InputNumber<string> stringMode min="0" precision={2} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </FieldGate>
        </Section>

        <Section title={t('customers.sections.contact')}>
          <FieldGate access={access} field="phone">
            <Col {...half}>
              <Form.Item
                label={t('customers.phone')}
                name="phone"
                {...required('phone', [zodRule(shape.phone, t)])}
                extra={dup.hint('phone', phoneHint ? t(`customers.phoneKinds.${phoneHint}`) : t('customers.phoneHelp'))}
              >
                <Input inputMode="tel" maxLength={40} onBlur={(e) => void dup.check('phone', e.target.value)} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="email">
            <Col {...half}>
              <Form.Item label={t('customers.email')} name="email" {...required('email', [zodRule(shape.email, t)])} extra={dup.hint('email')}>
                <Input type="email" inputMode="email" maxLength={254} onBlur={(e) => void dup.check('email', e.target.value)} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="website">
            <Col {...half}>
              <Form.Item label={t('customers.website')} name="website" {...required('website', [zodRule(shape.website, t)])}>
                <Input inputMode="url" maxLength={200} placeholder="www.example.com" />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="creditCode">
            <Col {...half}>
              <Form.Item
                label={t('customers.creditCode')}
                name="creditCode"
                {...required('creditCode', [zodRule(shape.creditCode, t)])}
                normalize={(v: string | undefined) => v?.toUpperCase()}
                extra={dup.hint(
                  'creditCode',
                  creditCode && isCreditCode(creditCode.trim())
                    ? t('customers.creditCodeOk')
                    : t('customers.creditCodeHelp', { length: (creditCode ?? '').trim().length }),
                )}
              >
                <Input maxLength={18} autoCapitalize="characters" onBlur={(e) => void dup.check('creditCode', e.target.value)} />
              </Form.Item>
            </Col>
          </FieldGate>
        </Section>

        <Section title={t('customers.sections.region')}>
          <Col xs={24}>
            <Form.Item label={t('customers.region')} name="region" {...required('provinceCode')}>
              <RegionCascader data-testid="customer-form-region" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.List name="addresses">
              {(fields, { add, remove }) => (
                <div className="address-list" data-testid="customer-form-addresses">
                  {fields.map((field) => (
                    <div key={field.key} className="address-row">
                      <Row gutter={12}>
                        <Col xs={24} sm={8}>
                          <Form.Item label={t('customers.addresses.tag')} name={[field.name, 'tag']}>
                            <Select<AddressTag>
                              options={ADDRESS_TAGS.map((a) => ({ value: a, label: t(`customers.addresses.tags.${a}`) }))}
                            />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={16}>
                          <Form.Item label={t('customers.addresses.region')} name={[field.name, 'region']}>
                            <RegionCascader />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={16}>
                          <Form.Item
                            label={t('customers.addresses.detail')}
                            name={[field.name, 'detail']}
                            rules={[zodRule(addressShape.detail, t)]}
                          >
                            <Input maxLength={200} />
                          </Form.Item>
                        </Col>
                        <Col xs={24} sm={8}>
                          <Form.Item
                            label={t('customers.addresses.postcode')}
                            name={[field.name, 'postcode']}
                            rules={[zodRule(addressShape.postcode, t)]}
                          >
                            <Input inputMode="numeric" maxLength={6} />
                          </Form.Item>
                        </Col>
                      </Row>
                      <div className="address-row-actions">
                        <Form.Item name={[field.name, 'isDefault']} valuePropName="checked" noStyle>
                          <Checkbox
                            onChange={(e) => {
                              if (!e.target.checked) return;
                              // one default address
                              const list = (form.getFieldValue('addresses') as AddressValues[] | undefined) ?? [];
                              form.setFieldValue(
                                'addresses',
                                list.map((a, i) => ({ ...a, isDefault: i === field.name })),
                              );
                            }}
                          >
                            {t('customers.addresses.isDefault')}
                          </Checkbox>
                        </Form.Item>
                        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                          {t('common.remove')}
                        </Button>
                      </div>
                    </div>
                  ))}
                  <Button
                    type="dashed"
                    block
                    icon={<PlusOutlined />}
                    disabled={fields.length >= MAX_ADDRESSES}
                    onClick={() => add({ tag: fields.length ? 'office' : 'registered', isDefault: fields.length === 0 })}
                    data-testid="customer-form-add-address"
                  >
                    {fields.length >= MAX_ADDRESSES ? t('customers.addresses.max', { max: MAX_ADDRESSES }) : t('customers.addresses.add')}
                  </Button>
                </div>
              )}
            </Form.List>
          </Col>
        </Section>

        {customFields.enabled.length > 0 && (
          <Section title={t('customFields.section')}>
            <CustomFieldItems fields={customFields.enabled} entity="customer" recordId={customer?.id} col={third} />
          </Section>
        )}

        <Section title={t('customers.sections.other')}>
          <Col xs={24}>
            <Form.Item label={t('customers.tags')} name="tags" extra={t('customers.tagsHelp')} rules={[zodRule(shape.tags, t)]}>
              <Select mode="tags" tokenSeparators={[',', '，']} maxCount={20} suffixIcon={null} notFoundContent={null} />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="remark">
            <Col xs={24}>
              <Form.Item label={t('customers.remark')} name="remark" rules={[zodRule(shape.remark, t)]}>
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount />
              </Form.Item>
            </Col>
          </FieldGate>
        </Section>
      </Form>
    </Drawer>
  );
}
