import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Radio, Row, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PointsEntryDto } from '../../../common/schemas/customer-value';
import { api } from '../../api/client';
import type { CustomerDetail } from '../../api/types';
import { useSession } from '../../app/session';
import { showError } from '../../components/form';
import { formatTime } from '../../components/format';

interface PointsForm {
  kind: 'grant' | 'redeem';
  amount: number;
  reason: string;
}

/** Points (积分, CUS-18) with their ledger, grant and redeem; the RFM scores of the nightly run (CUS-19). */
export function CustomerValue({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PointsForm>();
  const [saving, setSaving] = useState(false);
  const key = ['customers', 'points', customer.id];
  const points = useQuery({ queryKey: key, queryFn: () => api.get<{ balance: number; items: PointsEntryDto[] }>(`/customers/${customer.id}/points`) });
  const mayChange = can('customer.points') && customer.allowed.edit;

  const submit = async (v: PointsForm) => {
    setSaving(true);
    try {
      const r = await api.post<{ balance: number }>(`/customers/${customer.id}/points`, { delta: v.kind === 'grant' ? v.amount : -v.amount, reason: v.reason });
      message.success(t('customerValue.changed', { balance: r.balance }));
      form.resetFields(['amount', 'reason']);
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
    } catch (err) {
      showError(err, { message, t, form, mapPath: (p) => (p === 'delta' ? ['amount'] : undefined) });
    } finally {
      setSaving(false);
    }
  };

  const rfm = customer.rfm;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('customerValue.points')}>
          <div data-testid="points-balance">
            <Statistic title={t('customerValue.balance')} value={points.data?.balance ?? customer.points} valueStyle={{ fontSize: 28 }} />
          </div>
          {mayChange && (
            <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'grant' }} style={{ marginTop: 16 }} data-testid="points-form">
              <Form.Item name="kind">
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'grant', label: t('customerValue.grant') },
                    { value: 'redeem', label: t('customerValue.redeem') },
                  ]}
                />
              </Form.Item>
              <Form.Item name="amount" label={t('customerValue.amount')} rules={[{ required: true, message: t('customerValue.amountRequired') }]}>
                <InputNumber min={1} max={1_000_000} precision={0} style={{ width: '100%' }} data-testid="points-amount" />
              </Form.Item>
              <Form.Item name="reason" label={t('customerValue.reason')} rules={[{ required: true, whitespace: true, message: t('customerValue.reasonRequired') }]}>
                <Input maxLength={200} placeholder={t('customerValue.reasonPlaceholder')} data-testid="points-reason" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="points-submit">
                {t('common.save')}
              </Button>
            </Form>
          )}
        </Card>
        <Card size="small" title={t('customerValue.rfm')} style={{ marginTop: 16 }}>
          {rfm ? (
            <Descriptions
              size="small"
              column={2}
              data-testid="customer-rfm"
              items={[
                { key: 'score', label: t('customerValue.rfmScore'), children: <Typography.Text strong>{rfm.score} / 15</Typography.Text> },
                { key: 'r', label: t('customerValue.r'), children: rfm.r },
                { key: 'f', label: t('customerValue.f'), children: rfm.f },
                { key: 'm', label: t('customerValue.m'), children: rfm.m },
                { key: 'at', label: t('customerValue.computedAt'), children: formatTime(rfm.at), span: 2 },
              ]}
            />
          ) : (
            <Typography.Text type="secondary">{t('customerValue.rfmNone')}</Typography.Text>
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('customerValue.rfmHelp')}
          </Typography.Paragraph>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('customerValue.history')}>
          <Table<PointsEntryDto>
            rowKey="id"
            size="small"
            loading={points.isPending}
            dataSource={points.data?.items}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('customerValue.noHistory') }}
            columns={[
              { title: t('customerValue.at'), dataIndex: 'createdAt', render: formatTime },
              {
                title: t('customerValue.delta'),
                dataIndex: 'delta',
                render: (d: number) => <Typography.Text type={d > 0 ? 'success' : 'danger'}>{d > 0 ? `+${d}` : d}</Typography.Text>,
              },
              { title: t('customerValue.balanceAfter'), dataIndex: 'balance' },
              { title: t('customerValue.reason'), dataIndex: 'reason' },
              { title: t('customerValue.by'), dataIndex: 'createdByName', render: (v: string | null) => v ?? '-' },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
