import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney } from '../../../common/money';
import { type ConvertResult, CurrencyCreate, type CurrencyDto, ExchangeRateCreate, type ExchangeRateDto } from '../../../common/schemas/currencies';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { DeleteButton } from '../../components/DeleteButton';
import { useSchemaForm, useShowError } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { PageContainer } from '../../components/PageContainer';
import { CURRENCIES_KEY, useCurrencies } from '../products/products';

const RATES_KEY = ['exchange-rates'] as const;

function CurrencyModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(CurrencyCreate);
  const send = async (v: unknown) => {
    await api.post('/currencies', v);
    await queryClient.invalidateQueries({ queryKey: CURRENCIES_KEY });
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('products.currencies.create')}>
      <Form form={form} layout="vertical" initialValues={{ enabled: true, sort: 100 }} onFinish={submit(send, onClose)}>
        <Form.Item {...field('code')} label={t('products.currencies.code')}>
          <Input maxLength={3} placeholder="GBP" />
        </Form.Item>
        <Form.Item {...field('name')} label={t('products.currencies.name')}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item {...field('sort')} label={t('products.currencies.sort')}>
          <InputNumber min={0} max={10000} precision={0} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function RateModal({ currencies, onClose }: { currencies: CurrencyDto[]; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(ExchangeRateCreate);
  const send = async (v: unknown) => {
    await api.post('/exchange-rates', v);
    await queryClient.invalidateQueries({ queryKey: RATES_KEY });
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('products.currencies.addRate')}>
      <Form form={form} layout="vertical" onFinish={submit(send, onClose)} data-testid="rate-form">
        <Form.Item {...field('currency')} label={t('products.currencies.currency')}>
          <Select options={currencies.filter((c) => c.enabled && !c.isCompany).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} />
        </Form.Item>
        <Form.Item {...field('validFrom')} label={t('products.currencies.validFrom')}>
          <Input type="date" />
        </Form.Item>
        <Form.Item {...field('rate')} label={t('products.currencies.rate')} extra={t('products.currencies.rateHelp')}>
          <Input inputMode="decimal" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** Converts an amount to the company currency at the rate of a day, to check the rates entered. */
function Converter({ currencies }: { currencies: CurrencyDto[] }) {
  const { t } = useTranslation();
  const showError = useShowError();
  const [input, setInput] = useState<{ amount: string; currency?: string; date: string }>({ amount: '100', date: '' });
  const [result, setResult] = useState<ConvertResult | null>(null);
  const convert = async () => {
    try {
      setResult(await api.get<ConvertResult>('/exchange-rates/convert', { amount: input.amount, currency: input.currency, date: input.date || undefined }));
    } catch (err) {
      setResult(null);
      showError(err);
    }
  };
  return (
    <Space wrap>
      <Input style={{ width: 140 }} value={input.amount} aria-label={t('products.currencies.amount')} onChange={(e) => setInput({ ...input, amount: e.target.value })} />
      <Select
        style={{ width: 140 }}
        value={input.currency}
        placeholder={t('products.currencies.currency')}
        aria-label={t('products.currencies.currency')}
        options={currencies.map((c) => ({ value: c.code, label: c.code }))}
        onChange={(currency) => setInput({ ...input, currency })}
      />
      <Input type="date" style={{ width: 160 }} value={input.date} aria-label={t('products.currencies.date')} onChange={(e) => setInput({ ...input, date: e.target.value })} />
      <Button disabled={!input.currency} onClick={() => void convert()}>
        {t('products.currencies.convert')}
      </Button>
      {result && <Typography.Text>{t('products.currencies.result', { amount: formatMoney(result.companyAmount, result.companyCurrency), rate: result.rate ?? '1' })}</Typography.Text>}
    </Space>
  );
}

/** Currencies and dated exchange rates (SAL-11). */
export default function Currencies() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const currencies = useCurrencies();
  const rates = useQuery({ queryKey: RATES_KEY, queryFn: () => api.get<{ items: ExchangeRateDto[] }>('/exchange-rates').then((r) => r.items) });
  const settle = () => Promise.all([queryClient.invalidateQueries({ queryKey: CURRENCIES_KEY }), queryClient.invalidateQueries({ queryKey: RATES_KEY })]);
  const { running, run } = useAction(settle);
  const [dialog, setDialog] = useState<'currency' | 'rate' | null>(null);
  const list = currencies.data ?? [];
  const update = (c: CurrencyDto, body: object) => run(`${c.code}`, () => api.put(`/currencies/${c.code}`, body), t('common.saved'));

  return (
    <PageContainer title={t('products.currencies.title')} subTitle={t('products.currencies.subTitle')}>
      {currencies.error && <Alert type="error" showIcon message={currencies.error.message} />}
      <Card
        className="page-card"
        title={t('products.currencies.title')}
        extra={
          <Button icon={<PlusOutlined />} onClick={() => setDialog('currency')}>
            {t('products.currencies.create')}
          </Button>
        }
      >
        <Table<CurrencyDto>
          rowKey="code"
          size="small"
          loading={currencies.isPending}
          dataSource={list}
          pagination={false}
          columns={[
            { title: t('products.currencies.code'), dataIndex: 'code' },
            {
              title: t('products.currencies.name'),
              dataIndex: 'name',
              render: (name: string, c) => (
                <Typography.Text editable={{ onChange: (v) => v.trim() && v !== name && void update(c, { name: v.trim() }) }}>{name}</Typography.Text>
              ),
            },
            { title: t('products.currencies.company'), dataIndex: 'isCompany', render: (v: boolean) => v && <Tag color="gold">{t('products.currencies.company')}</Tag> },
            {
              title: t('products.currencies.enabled'),
              dataIndex: 'enabled',
              render: (v: boolean, c) => (
                <Switch size="small" checked={v} disabled={c.isCompany} loading={running === c.code} aria-label={c.code} onChange={(enabled) => void update(c, { enabled })} />
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, c) =>
                !c.isCompany && (
                  <Popconfirm
                    title={t('products.currencies.setCompanyConfirm', { code: c.code })}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => update(c, { isCompany: true })}
                  >
                    <Button size="small">{t('products.currencies.setCompany')}</Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>
      <Card
        className="page-card"
        title={t('products.currencies.rates')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('rate')} data-testid="rate-create">
            {t('products.currencies.addRate')}
          </Button>
        }
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Converter currencies={list} />
          <Table<ExchangeRateDto>
            rowKey={(r) => `${r.currency}:${r.validFrom}`}
            size="small"
            loading={rates.isPending}
            dataSource={rates.data}
            pagination={false}
            columns={[
              { title: t('products.currencies.currency'), dataIndex: 'currency' },
              { title: t('products.currencies.validFrom'), dataIndex: 'validFrom' },
              { title: t('products.currencies.rate'), dataIndex: 'rate', align: 'right' },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, r) => (
                  <DeleteButton
                    confirm={t('products.currencies.deleteRateConfirm', { currency: r.currency, date: r.validFrom })}
                    onDelete={() => run(`rate:${r.currency}:${r.validFrom}`, () => api.delete(`/exchange-rates/${r.currency}/${r.validFrom}`), t('common.deleted'))}
                  />
                ),
              },
            ]}
          />
        </Space>
      </Card>
      {dialog === 'currency' && <CurrencyModal onClose={() => setDialog(null)} />}
      {dialog === 'rate' && <RateModal currencies={list} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
