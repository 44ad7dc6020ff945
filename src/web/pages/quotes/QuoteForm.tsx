import { useQuery } from '@tanstack/react-query';
import { Alert, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { add, compare, lineAmount, percentBelow, sub, totals } from '../../../common/money';
import type { PriceQuote } from '../../../common/schemas/products';
import type { QuoteDetailDto } from '../../../common/schemas/quotes';
import { api } from '../../api/client';
import { CustomerSelect } from '../../components/CustomerSelect';
import { FormModal } from '../../components/FormModal';
import { useFormSave } from '../../components/form';
import { type EditLine, LinesEditor, lineComplete, linesBody, newLineKey } from '../opportunities/LinesEditor';
import { useCurrencies } from '../contracts/contracts';
import { useRefreshQuotes } from './quotes';

interface Values {
  name: string;
  customerId: number | null;
  opportunityId?: number | null;
  currency: string;
  discount: string;
  taxRate: string;
  validUntil?: dayjs.Dayjs | null;
  terms?: string | null;
  notes?: string | null;
}

const isPercent = (v: string) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 100;
const percentRule = (message: string) => ({ validator: (_: unknown, v: unknown) => (isPercent(String(v ?? '0')) ? Promise.resolve() : Promise.reject(new Error(message))) });

/**
 * Drafts or edits a quote: customer (and its opportunity), products priced by
 * the pricing endpoint, discounts and tax; the total and the effective discount
 * preview as the server computes them, with whether approval will be needed.
 */
export function QuoteFormModal({ quote, customerId, opportunityId, onClose, onSaved }: { quote?: QuoteDetailDto; customerId?: number; opportunityId?: number; onClose: () => void; onSaved?: (q: QuoteDetailDto) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const refresh = useRefreshQuotes();
  const currencies = useCurrencies();
  const limit = useQuery({ queryKey: ['quotes', 'my-limit'], queryFn: () => api.get<{ maxPercent: string }>('/discount-limits/mine').then((r) => r.maxPercent) });
  const company = currencies.data?.find((c) => c.isCompany)?.code ?? 'CNY';
  const [lines, setLines] = useState<EditLine[]>(
    quote?.lines.map((l) => ({ key: newLineKey(), productId: l.productId, productName: l.productName, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount })) ?? [],
  );
  const [listPrices, setListPrices] = useState<Record<number, string>>(Object.fromEntries(quote?.lines.map((l) => [l.productId, l.listPrice]) ?? []));
  const { saving, save: saved } = useFormSave(form);
  const currency = Form.useWatch('currency', form) ?? quote?.currency ?? company;
  const chosenCustomer = Form.useWatch('customerId', form) ?? quote?.customerId ?? customerId ?? null;
  const discount = String(Form.useWatch('discount', form) ?? '0');
  const taxRate = String(Form.useWatch('taxRate', form) ?? '0');
  const opportunities = useQuery({
    queryKey: ['opportunities', 'of-customer', chosenCustomer],
    enabled: !!chosenCustomer,
    queryFn: () => api.get<{ items: { id: number; name: string; code: string }[] }>('/opportunities', { customerId: chosenCustomer!, limit: 100 }).then((r) => r.items),
  });
  const priceOf = async (productId: number, quantity: string) => {
    const p = await api.get<PriceQuote>(`/products/${productId}/price`, { quantity, currency, ...(chosenCustomer ? { customerId: chosenCustomer } : {}) });
    setListPrices((m) => ({ ...m, [productId]: p.listPrice }));
    return { price: p.listPrice, discount: p.discount };
  };

  // the preview: the server's figures, computed by the same money library
  const complete = lines.filter(lineComplete);
  const preview = complete.length && isPercent(discount) && isPercent(taxRate) ? totals(complete, { discount, taxRate }) : null;
  const listTotal = add(...complete.map((l) => lineAmount({ price: listPrices[l.productId!] ?? l.price, quantity: l.quantity })));
  const effective = preview ? percentBelow(listTotal, sub(preview.subtotal, preview.discountAmount)) : null;

  const save = async (v: Values) => {
    const body = {
      name: v.name,
      ...(quote ? {} : { customerId: v.customerId }),
      opportunityId: v.opportunityId ?? null,
      currency: v.currency,
      discount: String(v.discount ?? '0'),
      taxRate: String(v.taxRate ?? '0'),
      lines: linesBody(lines),
      validUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : null,
      terms: v.terms || null,
      notes: v.notes || null,
    };
    const result = await saved(() => (quote ? api.patch<QuoteDetailDto>(`/quotes/${quote.id}`, body) : api.post<QuoteDetailDto>('/quotes', body)), t('quotes.saved'));
    if (!result) return;
    await refresh();
    onSaved?.(result);
    onClose();
  };

  return (
    <FormModal form={form} submitting={saving} onClose={onClose} title={quote ? t('quotes.edit') : t('quotes.create')} width={980} okButtonProps={{ 'data-testid': 'quote-save' } as never}>
      <Form<Values>
        form={form}
        name="quote"
        layout="vertical"
        onFinish={save}
        initialValues={{
          name: quote?.name,
          customerId: quote?.customerId ?? customerId ?? null,
          opportunityId: quote?.opportunityId ?? opportunityId ?? null,
          currency: quote?.currency ?? company,
          discount: quote?.discount ?? '0',
          taxRate: quote?.taxRate ?? '0',
          validUntil: quote?.validUntil ? dayjs(quote.validUntil) : dayjs().add(30, 'day'),
          terms: quote?.terms,
          notes: quote?.notes,
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('quotes.name')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={100} data-testid="quote-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="customerId" label={t('quotes.customer')} rules={[{ required: true, message: t('validation.required') }]}>
              <CustomerSelect disabled={!!quote || !!customerId} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="opportunityId" label={t('quotes.opportunity')}>
              <Select allowClear disabled={!chosenCustomer} options={(opportunities.data ?? []).map((o) => ({ value: o.id, label: `${o.name} · ${o.code}` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="currency" label={t('quotes.currency')}>
              <Select options={(currencies.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="validUntil" label={t('quotes.validUntil')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="discount" label={t('quotes.discount')} rules={[percentRule(t('validation.invalid'))]}>
              <Input data-testid="quote-discount" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="taxRate" label={t('quotes.taxRate')} rules={[percentRule(t('validation.invalid'))]}>
              <Input data-testid="quote-tax-rate" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item label={t('quotes.amount')}>
              <Input value={preview?.total ?? '-'} readOnly data-testid="quote-computed-amount" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item label={t('quotes.effectiveDiscount')}>
              <Input value={effective === null ? '-' : `${effective}%`} readOnly data-testid="quote-computed-discount" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('quotes.tabs.lines')} required>
          <LinesEditor value={lines} onChange={setLines} currency={currency} priceOf={priceOf} />
        </Form.Item>
        {effective !== null && limit.data !== undefined && (
          <Alert
            style={{ marginBottom: 16 }}
            showIcon
            type={compare(effective, limit.data) > 0 ? 'warning' : 'info'}
            message={compare(effective, limit.data) > 0 ? t('quotes.needsApproval', { discount: effective, limit: limit.data }) : t('quotes.withinLimit', { limit: limit.data })}
          />
        )}
        <Form.Item name="terms" label={t('quotes.terms')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="notes" label={t('quotes.notes')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
