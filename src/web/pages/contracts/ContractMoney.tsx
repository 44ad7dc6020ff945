import { DeleteOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Col, DatePicker, Form, Input, InputNumber, Popconfirm, Radio, Row, Select, Space, Table, Typography } from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMoney, sub } from '../../../common/money';
import { PAYMENT_METHODS, type PlanDto, type ReceivableDto } from '../../../common/schemas/contracts';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { useAction } from '../../components/actions';
import { FormModal } from '../../components/FormModal';
import { showError } from '../../components/form';
import { type ContractDetailDto, PlanStateTag, ReceivableStatusTag, useRefreshContracts } from './contracts';

const day = (d: dayjs.Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

export function useMethodOptions() {
  const { t } = useTranslation();
  return PAYMENT_METHODS.map((m) => ({ value: m, label: t(`contracts.methods.${m}`) }));
}

/** Adds instalments: one by one, or an amount split evenly over monthly due dates. */
function PlanModal({ contract, onClose }: { contract: ContractDetailDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const refresh = useRefreshContracts();
  const methods = useMethodOptions();
  const [submitting, setSubmitting] = useState(false);
  const mode = Form.useWatch('mode', form) ?? 'split';
  const save = async (v: { mode: 'one' | 'split'; amount: string; dueOn: dayjs.Dayjs; count: number; everyMonths: number; method: string; remindDays: number }) => {
    setSubmitting(true);
    try {
      const body =
        v.mode === 'split'
          ? { split: { amount: v.amount, count: v.count, firstDueOn: day(v.dueOn), everyMonths: v.everyMonths, method: v.method } }
          : { plans: [{ dueOn: day(v.dueOn), amount: v.amount, method: v.method, remindDays: v.remindDays }] };
      await api.post(`/contracts/${contract.id}/plans`, body);
      await refresh();
      message.success(t('contracts.plans.added'));
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('contracts.plans.add')} okButtonProps={{ 'data-testid': 'plan-save' } as never}>
      <Form form={form} name="plan" layout="vertical" onFinish={save} initialValues={{ mode: 'split', amount: contract.outstanding, count: 3, everyMonths: 1, method: 'bank_transfer', remindDays: 3 }}>
        <Form.Item name="mode">
          <Radio.Group optionType="button" options={[{ value: 'split', label: t('contracts.plans.split') }, { value: 'one', label: t('contracts.plans.add') }]} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="amount" label={t('contracts.plans.amount')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="dueOn" label={mode === 'split' ? t('contracts.plans.firstDueOn') : t('contracts.plans.dueOn')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {mode === 'split' ? (
            <>
              <Col span={12}>
                <Form.Item name="count" label={t('contracts.plans.count')}>
                  <InputNumber min={1} max={60} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="everyMonths" label={t('contracts.plans.everyMonths')}>
                  <InputNumber min={1} max={12} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </>
          ) : (
            <Col span={12}>
              <Form.Item name="remindDays" label={t('contracts.plans.remindDays')}>
                <InputNumber min={0} max={90} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          <Col span={12}>
            <Form.Item name="method" label={t('contracts.plans.method')}>
              <Select options={methods} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </FormModal>
  );
}

/** Records money received against the contract (optionally an instalment), with the invoice. */
export function ReceivableModal({ contract, plans, onClose }: { contract: ContractDetailDto; plans: PlanDto[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const refresh = useRefreshContracts();
  const methods = useMethodOptions();
  const [submitting, setSubmitting] = useState(false);
  const open = plans.filter((p) => p.state !== 'paid');
  const save = async (v: Record<string, unknown>) => {
    setSubmitting(true);
    try {
      await api.post('/receivables', {
        contractId: contract.id,
        planId: v.planId ?? null,
        amount: v.amount,
        receivedOn: day(v.receivedOn as dayjs.Dayjs),
        method: v.method,
        invoiceType: v.invoiceType ?? null,
        invoiceNo: (v.invoiceNo as string) || null,
        invoiceTitle: (v.invoiceTitle as string) || null,
        invoiceTaxNo: (v.invoiceTaxNo as string) || null,
        invoiceAmount: (v.invoiceAmount as string) || null,
        invoicedOn: day(v.invoicedOn as dayjs.Dayjs | null) ?? null,
        note: (v.note as string) || null,
      });
      await refresh();
      message.success(t('contracts.receivables.added'));
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };
  const first = open[0];
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('contracts.receivables.add')} width={720} okButtonProps={{ 'data-testid': 'receivable-save' } as never}>
      <Form form={form} name="receivable" layout="vertical" onFinish={save} initialValues={{ planId: first?.id, amount: first ? sub(first.amount, first.received) : contract.outstanding, method: 'bank_transfer' }}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="planId" label={t('contracts.receivables.plan')}>
              <Select allowClear options={open.map((p) => ({ value: p.id, label: `#${p.seq} ${p.dueOn} ${formatMoney(p.amount, contract.currency)}` }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="amount" label={t('contracts.receivables.amount')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="receivedOn" label={t('contracts.receivables.receivedOn')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="method" label={t('contracts.receivables.method')}>
              <Select options={methods} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('contracts.receivables.invoice')}</Typography.Title>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="invoiceType" label={t('contracts.receivables.invoiceType')}>
              <Select allowClear options={(['vat_special', 'vat_normal', 'receipt'] as const).map((v) => ({ value: v, label: t(`contracts.receivables.invoiceTypes.${v}`) }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="invoiceNo" label={t('contracts.receivables.invoiceNo')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="invoiceTitle" label={t('contracts.receivables.invoiceTitle')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="invoiceTaxNo" label={t('contracts.receivables.invoiceTaxNo')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="invoiceAmount" label={t('contracts.receivables.invoiceAmount')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="invoicedOn" label={t('contracts.receivables.invoicedOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t('contracts.receivables.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

function SectionTitle({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <Space style={{ marginBottom: 8 }}>
      <Typography.Title level={5} style={{ margin: 0 }}>{title}</Typography.Title>
      {children}
    </Space>
  );
}

/** The payment plan and the receivables of a contract, with their actions. */
export function ContractMoney({ contract }: { contract: ContractDetailDto }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const refresh = useRefreshContracts();
  const { running, run } = useAction(refresh);
  const [dialog, setDialog] = useState<'plan' | 'receivable' | null>(null);
  const plans = useQuery({ queryKey: ['contracts', 'plans', contract.id], queryFn: () => api.get<{ items: PlanDto[] }>(`/contracts/${contract.id}/plans`).then((r) => r.items) });
  const receivables = useQuery({
    queryKey: ['receivables', 'of', contract.id],
    queryFn: () => api.get<Page<ReceivableDto>>('/receivables', { contractId: contract.id, limit: 200 }).then((r) => r.items),
  });
  const recorder = can('receivable.create');
  const active = contract.status === 'active';
  const money = (v: string) => formatMoney(v, contract.currency);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <SectionTitle title={t('contracts.plans.title')}>
          {recorder && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('plan')} data-testid="plan-add">
              {t('contracts.plans.add')}
            </Button>
          )}
        </SectionTitle>
        <Table<PlanDto>
          size="small"
          rowKey="id"
          data-testid="plan-table"
          loading={plans.isPending}
          dataSource={plans.data ?? []}
          pagination={false}
          locale={{ emptyText: t('contracts.plans.none') }}
          columns={[
            { title: t('contracts.plans.seq'), dataIndex: 'seq' },
            { title: t('contracts.plans.dueOn'), dataIndex: 'dueOn' },
            { title: t('contracts.plans.amount'), dataIndex: 'amount', align: 'right', render: money },
            { title: t('contracts.plans.received'), dataIndex: 'received', align: 'right', render: money },
            { title: t('contracts.plans.method'), dataIndex: 'method', render: (v: string) => t(`contracts.methods.${v as (typeof PAYMENT_METHODS)[number]}`) },
            { title: t('contracts.plans.state'), dataIndex: 'state', render: (v: PlanDto['state']) => <PlanStateTag state={v} /> },
            {
              key: 'actions',
              render: (_, p) =>
                recorder && p.received === '0' ? (
                  <Popconfirm title={t('contracts.plans.deleteConfirm', { seq: p.seq })} onConfirm={() => run(`plan${p.id}`, () => api.delete(`/payment-plans/${p.id}`), t('common.deleted'))}>
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} loading={running === `plan${p.id}`} aria-label={t('common.delete')} />
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </div>
      <div>
        <SectionTitle title={t('contracts.receivables.title')}>
          {recorder && active && (
            <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('receivable')} data-testid="receivable-add">
              {t('contracts.receivables.add')}
            </Button>
          )}
        </SectionTitle>
        <Table<ReceivableDto>
          size="small"
          rowKey="id"
          data-testid="receivable-table"
          loading={receivables.isPending}
          dataSource={receivables.data ?? []}
          pagination={false}
          locale={{ emptyText: t('contracts.receivables.none') }}
          columns={[
            { title: t('contracts.receivables.code'), dataIndex: 'code' },
            { title: t('contracts.receivables.receivedOn'), dataIndex: 'receivedOn' },
            { title: t('contracts.receivables.amount'), dataIndex: 'amount', align: 'right', render: money },
            { title: t('contracts.receivables.plan'), dataIndex: 'planSeq', render: (v: number | null) => (v ? `#${v}` : '-') },
            { title: t('contracts.receivables.invoiceNo'), dataIndex: 'invoiceNo', render: (v: string | null) => v ?? '-' },
            { title: t('contracts.receivables.status'), dataIndex: 'status', render: (v: ReceivableDto['status']) => <ReceivableStatusTag status={v} /> },
            {
              key: 'actions',
              render: (_, r) =>
                recorder && ['draft', 'rejected', 'withdrawn'].includes(r.status) ? (
                  <Space size={0}>
                    <Button size="small" type="link" icon={<SendOutlined />} loading={running === `submit${r.id}`} data-testid={`receivable-submit-${r.id}`}
                      onClick={() => run(`submit${r.id}`, () => api.post(`/receivables/${r.id}/submit`, {}), t('contracts.submitted'))}>
                      {t('contracts.receivables.submit')}
                    </Button>
                    <Popconfirm title={t('contracts.receivables.deleteConfirm', { code: r.code })} onConfirm={() => run(`del${r.id}`, () => api.delete(`/receivables/${r.id}`), t('common.deleted'))}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  </Space>
                ) : null,
            },
          ]}
        />
      </div>
      {dialog === 'plan' && <PlanModal contract={contract} onClose={() => setDialog(null)} />}
      {dialog === 'receivable' && <ReceivableModal contract={contract} plans={plans.data ?? []} onClose={() => setDialog(null)} />}
    </Space>
  );
}
