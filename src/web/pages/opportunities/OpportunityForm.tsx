import { useQuery } from '@tanstack/react-query';
import { App, Checkbox, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrencyDto } from '../../../common/schemas/currencies';
import type { OpportunityDetailDto } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import type { ContactDto, Page } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { DictSelect } from '../../components/dictionaries';
import { FormModal } from '../../components/FormModal';
import { showError } from '../../components/form';
import { type EditLine, LinesEditor, linesBody, linesTotals, newLineKey } from './LinesEditor';
import { usePipelines, useRefreshOpportunities } from './opportunities';

interface Values {
  name: string;
  customerId: number | null;
  contactIds: number[];
  pipelineId?: number;
  stageId?: number;
  currency: string;
  amount?: string;
  amountOverride: boolean;
  expectedCloseDate?: dayjs.Dayjs | null;
  sourceCode?: string | null;
  description?: string | null;
}

export const toEditLines = (o: OpportunityDetailDto): EditLine[] =>
  o.lines.map((l) => ({ key: newLineKey(), productId: l.productId, productName: l.productName, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount, onShelf: l.onShelf }));

/** Contacts of the chosen customer, several at once. */
function ContactPicker({ customerId, value, onChange }: { customerId: number | null; value?: number[]; onChange?: (v: number[]) => void }) {
  const { t } = useTranslation();
  const contacts = useQuery({
    queryKey: ['contacts', 'of', customerId],
    queryFn: () => api.get<Page<ContactDto>>('/contacts', { customerId: customerId!, limit: 200 }).then((p) => p.items),
    enabled: customerId !== null,
  });
  return (
    <Select<number[]>
      mode="multiple"
      allowClear
      aria-label={t('opportunities.contacts')}
      data-testid="opportunity-contacts"
      value={value ?? []}
      onChange={(v) => onChange?.(v)}
      loading={contacts.isFetching}
      disabled={customerId === null}
      optionFilterProp="label"
      options={(contacts.data ?? []).map((c) => ({ value: c.id, label: c.title ? `${c.name} · ${c.title}` : c.name }))}
    />
  );
}

/**
 * Creates or edits an opportunity: customer and its contacts, pipeline and
 * stage (new ones), amount (the lines' total unless set by hand), products.
 */
export function OpportunityFormModal({
  opportunity,
  customerId,
  onClose,
  onSaved,
}: {
  opportunity?: OpportunityDetailDto;
  customerId?: number;
  onClose: () => void;
  onSaved?: (o: OpportunityDetailDto) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const refresh = useRefreshOpportunities();
  const pipelines = usePipelines();
  const currencies = useQuery({ queryKey: ['currencies'], queryFn: () => api.get<{ items: CurrencyDto[] }>('/currencies').then((r) => r.items), staleTime: 60_000 });
  const company = currencies.data?.find((c) => c.isCompany)?.code ?? 'CNY';
  const [lines, setLines] = useState<EditLine[]>(opportunity ? toEditLines(opportunity) : []);
  const [submitting, setSubmitting] = useState(false);
  const chosenCustomer = Form.useWatch('customerId', form) ?? opportunity?.customerId ?? customerId ?? null;
  const pipelineId = Form.useWatch('pipelineId', form);
  const override = Form.useWatch('amountOverride', form) ?? false;
  const currency = Form.useWatch('currency', form) ?? opportunity?.currency ?? company;
  const defaultPipeline = pipelines.data?.find((p) => p.isDefault);
  const pipeline = pipelines.data?.find((p) => p.id === (pipelineId ?? defaultPipeline?.id));
  const complete = linesBody(lines);
  const computed = complete.length > 0 && !override;

  const save = async (v: Values) => {
    setSubmitting(true);
    try {
      const common = {
        name: v.name,
        contactIds: v.contactIds ?? [],
        currency: v.currency,
        expectedCloseDate: v.expectedCloseDate ? v.expectedCloseDate.format('YYYY-MM-DD') : null,
        sourceCode: v.sourceCode ?? null,
        description: v.description?.trim() || null,
        lines: complete,
        amountOverride: v.amountOverride,
        ...(computed ? {} : { amount: v.amount?.trim() || '0' }),
      };
      const saved = opportunity
        ? await api.patch<OpportunityDetailDto>(`/opportunities/${opportunity.id}`, common)
        : await api.post<OpportunityDetailDto>('/opportunities', { ...common, customerId: v.customerId, pipelineId: v.pipelineId, stageId: v.stageId });
      await refresh();
      message.success(t('common.saved'));
      onSaved?.(saved);
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <FormModal
      form={form}
      submitting={submitting}
      onClose={onClose}
      title={opportunity ? t('opportunities.edit') : t('opportunities.create')}
      width={960}
      okButtonProps={{ 'data-testid': 'opportunity-save' } as never}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        name="opportunity"
        data-testid="opportunity-form"
        initialValues={{
          name: opportunity?.name,
          customerId: opportunity?.customerId ?? customerId ?? null,
          contactIds: opportunity?.contacts.map((c) => c.id) ?? [],
          currency: opportunity?.currency,
          amount: opportunity?.amount,
          amountOverride: opportunity?.amountOverridden ?? false,
          expectedCloseDate: opportunity?.expectedCloseDate ? dayjs(opportunity.expectedCloseDate) : null,
          sourceCode: opportunity?.sourceCode,
          description: opportunity?.description,
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('opportunities.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={100} data-testid="opportunity-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="customerId" label={t('opportunities.customer')} rules={[{ required: true, message: t('validation.required') }]}>
              <CustomerSelect disabled={!!opportunity || customerId !== undefined} aria-label={t('opportunities.customer')} data-testid="opportunity-customer" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="contactIds" label={t('opportunities.contacts')}>
              <ContactPicker customerId={chosenCustomer} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="expectedCloseDate" label={t('opportunities.expectedCloseDate')}>
              <DatePicker style={{ width: '100%' }} data-testid="opportunity-close" />
            </Form.Item>
          </Col>
          {!opportunity && (
            <>
              <Col xs={24} md={12}>
                <Form.Item name="pipelineId" label={t('opportunities.pipeline')}>
                  <Select
                    placeholder={defaultPipeline?.name}
                    allowClear
                    onChange={() => form.setFieldValue('stageId', undefined)}
                    options={(pipelines.data ?? []).filter((p) => p.enabled).map((p) => ({ value: p.id, label: p.name }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item name="stageId" label={t('opportunities.stage')}>
                  <Select
                    allowClear
                    placeholder={pipeline?.stages.find((s) => s.kind === 'open' && s.enabled)?.name}
                    options={(pipeline?.stages ?? []).filter((s) => s.kind === 'open' && s.enabled).map((s) => ({ value: s.id, label: `${s.name} (${s.winRate}%)` }))}
                  />
                </Form.Item>
              </Col>
            </>
          )}
          <Col xs={12} md={6}>
            <Form.Item name="currency" label={t('opportunities.currency')}>
              <Select placeholder={company} options={(currencies.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="amount"
              label={t('opportunities.amount')}
              rules={computed ? [] : [{ pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t('validation.money') }]}
            >
              {computed ? <Input disabled value={linesTotals(lines).subtotal} data-testid="opportunity-amount" /> : <Input data-testid="opportunity-amount" />}
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="amountOverride" valuePropName="checked" label=" " extra={t('opportunities.amountOverrideHelp')}>
              <Checkbox disabled={complete.length === 0}>{t('opportunities.amountOverride')}</Checkbox>
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="sourceCode" label={t('opportunities.source')}>
              <DictSelect kind="customer_source" allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="description" label={t('opportunities.description')}>
              <Input.TextArea maxLength={4000} autoSize={{ minRows: 1, maxRows: 4 }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('opportunities.tabs.lines')}>
          <LinesEditor value={lines} onChange={setLines} currency={currency} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
