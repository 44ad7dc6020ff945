import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ReturnBody } from '../../../common/schemas/pool';
import { api } from '../../api/client';
import type { CustomerDto } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { showError, useSchemaForm } from '../../components/form';
import { refreshPools, usePools } from '../pool/pool';

/** Puts the customer back into the owner's pool (放入公海), with a reason the history keeps. */
export function ReturnToPoolModal({ customer, onClose }: { customer: CustomerDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(ReturnBody);
  // a choice only when there is one: without it the server uses the owner's pool
  const pools = usePools().data ?? [];
  const save = submit(async (data) => {
    await api.post(`/customers/${customer.id}/return`, data);
    await Promise.all([queryClient.invalidateQueries({ queryKey: ['customers'] }), refreshPools(queryClient)]);
    message.success(t('customers.pool.returned', { name: customer.name }));
    navigate('/customers');
  }, onClose);
  return (
    <Modal
      open
      title={t('customers.pool.returnTitle', { name: customer.name })}
      okText={t('customers.pool.return')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'customer-return-submit' } as never}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('customers.pool.returnHelp')}</Typography.Paragraph>
      <Form form={form} name="return" layout="vertical" onFinish={save}>
        <Form.Item label={t('pool.reason')} {...field('reason')}>
          <Input.TextArea autoFocus maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} placeholder={t('customers.pool.reasonPlaceholder')} />
        </Form.Item>
        {pools.length > 1 && (
          <Form.Item label={t('customers.pool.returnPool')} {...field('poolId')}>
            <Select
              allowClear
              placeholder={t('customers.pool.ownersPool')}
              options={pools.map((p) => ({ value: p.id, label: p.name }))}
              data-testid="customer-return-pool"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/**
 * Merges another customer into this one: its contacts, follow-ups, addresses,
 * tags and team move here, and it goes to the recycle bin. Asks twice: pick, then confirm.
 */
export function MergeModal({ customer, onClose }: { customer: CustomerDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ otherId?: number | null }>();
  const [saving, setSaving] = useState(false);
  const otherId = Form.useWatch('otherId', form);
  // the picked customer's name, for the confirmation text
  const other = useQuery({ queryKey: ['customers', 'detail', otherId], queryFn: () => api.get<CustomerDto>(`/customers/${otherId}`), enabled: !!otherId });
  const otherName = otherId ? (other.data?.name ?? null) : null;

  const merge = async () => {
    if (!otherId) {
      form.setFields([{ name: 'otherId', errors: [t('validation.required')] }]);
      return;
    }
    setSaving(true);
    try {
      await api.post(`/customers/${customer.id}/merge`, { otherId });
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['customers'] }), queryClient.invalidateQueries({ queryKey: ['contacts'] })]);
      message.success(t('customers.merge.done', { other: otherName ?? '', name: customer.name }));
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('customers.merge.title', { name: customer.name })}
      okText={t('customers.merge.confirm')}
      okButtonProps={{ danger: true, disabled: !otherId, 'data-testid': 'customer-merge-submit' } as never}
      cancelText={t('common.cancel')}
      onOk={() => void merge()}
      onCancel={onClose}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} name="merge" layout="vertical">
        <Form.Item label={t('customers.merge.other')} name="otherId" required>
          <CustomerSelect placeholder={t('visibility.customerPlaceholder')} exclude={[customer.id]} data-testid="customer-merge-other" />
        </Form.Item>
      </Form>
      <Alert
        type="warning"
        showIcon
        message={t('customers.merge.warningTitle')}
        description={t('customers.merge.warning', { other: otherName ?? t('customers.merge.theOther'), name: customer.name })}
      />
    </Modal>
  );
}
