import { useQuery } from '@tanstack/react-query';
import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { totals } from '../../../common/money';
import type { ContractDetailDto } from '../../../common/schemas/contracts';
import { api } from '../../api/client';
import { CustomerSelect } from '../../components/CustomerSelect';
import { FormModal } from '../../components/FormModal';
import { useFormSave } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';
import { type EditLine, LinesEditor, lineComplete, linesBody, newLineKey } from '../opportunities/LinesEditor';
import { useCurrencies, useRefreshContracts } from './contracts';

interface Values {
  name: string;
  customerId: number | null;
  currency: string;
  amount?: string;
  discount: string;
  taxRate: string;
  signerId?: number | null;
  customerSigner?: string | null;
  signedOn?: dayjs.Dayjs | null;
  period?: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null;
  templateId?: number | null;
  remindDays: number;
  description?: string | null;
}

const day = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const isPercent = (v: string) => /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= 100;

/**
 * Drafts or edits a contract: customer, products (the amount follows the lines,
 * the overall discount and the tax rate, computed as the server will), dates,
 * signers and the template of its text.
 */
export function ContractFormModal({ contract, customerId, onClose, onSaved }: { contract?: ContractDetailDto; customerId?: number; onClose: () => void; onSaved?: (c: ContractDetailDto) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const refresh = useRefreshContracts();
  const currencies = useCurrencies();
  const templates = useQuery({ queryKey: ['contracts', 'templates'], queryFn: () => api.get<{ items: { id: number; name: string; enabled: boolean }[] }>('/contract-templates').then((r) => r.items) });
  const company = currencies.data?.find((c) => c.isCompany)?.code ?? 'CNY';
  const [lines, setLines] = useState<EditLine[]>(
    contract?.lines.map((l) => ({ key: newLineKey(), productId: l.productId, productName: l.productName, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount })) ?? [],
  );
  const { saving, save: saved } = useFormSave(form);
  const currency = Form.useWatch('currency', form) ?? contract?.currency ?? company;
  const discount = Form.useWatch('discount', form) ?? '0';
  const taxRate = Form.useWatch('taxRate', form) ?? '0';
  const complete = lines.filter(lineComplete);
  const computed = complete.length && isPercent(String(discount)) && isPercent(String(taxRate)) ? totals(complete, { discount: String(discount), taxRate: String(taxRate) }).total : null;

  const save = async (v: Values) => {
    const body = {
      name: v.name,
      ...(contract ? {} : { customerId: v.customerId }),
      currency: v.currency,
      discount: String(v.discount ?? '0'),
      taxRate: String(v.taxRate ?? '0'),
      ...(complete.length ? { lines: linesBody(lines) } : { amount: v.amount, ...(contract?.lines.length ? { lines: [] } : {}) }),
      signerId: v.signerId ?? null,
      customerSigner: v.customerSigner || null,
      signedOn: day(v.signedOn),
      startsOn: day(v.period?.[0]),
      endsOn: day(v.period?.[1]),
      templateId: v.templateId ?? null,
      remindDays: v.remindDays,
      description: v.description || null,
    };
    const result = await saved(() => (contract ? api.patch<ContractDetailDto>(`/contracts/${contract.id}`, body) : api.post<ContractDetailDto>('/contracts', body)), t('contracts.saved'));
    if (!result) return;
    await refresh();
    onSaved?.(result);
    onClose();
  };

  return (
    <FormModal
      form={form}
      submitting={saving}
      onClose={onClose}
      title={contract ? t('contracts.edit') : t('contracts.create')}
      width={960}
      okButtonProps={{ 'data-testid': 'contract-save' } as never}
    >
      <Form<Values>
        form={form}
        name="contract"
        layout="vertical"
        onFinish={save}
        initialValues={{
          name: contract?.name,
          customerId: contract?.customerId ?? customerId ?? null,
          currency: contract?.currency ?? company,
          amount: contract && !contract.lines.length ? contract.amount : undefined,
          discount: contract?.discount ?? '0',
          taxRate: contract?.taxRate ?? '0',
          signerId: contract?.signerId ?? null,
          customerSigner: contract?.customerSigner,
          signedOn: contract?.signedOn ? dayjs(contract.signedOn) : null,
          period: contract?.startsOn || contract?.endsOn ? [contract.startsOn ? dayjs(contract.startsOn) : null, contract.endsOn ? dayjs(contract.endsOn) : null] : null,
          templateId: contract?.templateId ?? templates.data?.find((x) => x.enabled)?.id ?? null,
          remindDays: contract?.remindDays ?? 30,
          description: contract?.description,
        }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('contracts.name')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="customerId" label={t('contracts.customer')} rules={[{ required: true, message: t('validation.required') }]}>
              <CustomerSelect disabled={!!contract || !!customerId} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="currency" label={t('contracts.currency')}>
              <Select options={(currencies.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="discount" label={t('contracts.discount')} rules={[{ validator: (_, v) => (isPercent(String(v ?? '0')) ? Promise.resolve() : Promise.reject(new Error(t('validation.invalid')))) }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="taxRate" label={t('contracts.taxRate')} rules={[{ validator: (_, v) => (isPercent(String(v ?? '0')) ? Promise.resolve() : Promise.reject(new Error(t('validation.invalid')))) }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            {computed !== null ? (
              <Form.Item label={t('contracts.amount')} tooltip={t('contracts.amountHelp')}>
                <Input value={computed} readOnly data-testid="contract-computed-amount" />
              </Form.Item>
            ) : (
              <Form.Item name="amount" label={t('contracts.amount')} tooltip={t('contracts.amountHelp')} rules={[{ required: true, message: t('validation.required') }]}>
                <Input />
              </Form.Item>
            )}
          </Col>
        </Row>
        <Form.Item label={t('contracts.tabs.lines')}>
          <LinesEditor value={lines} onChange={setLines} currency={currency} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="period" label={t('contracts.period')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="signedOn" label={t('contracts.signedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="remindDays" label={t('contracts.remindDays')}>
              <InputNumber min={0} max={365} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="signerId" label={t('contracts.signer')}>
              <UserSelect allowClear />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="customerSigner" label={t('contracts.customerSigner')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="templateId" label={t('contracts.template')}>
              <Select allowClear options={(templates.data ?? []).filter((x) => x.enabled).map((x) => ({ value: x.id, label: x.name }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('contracts.description')}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
