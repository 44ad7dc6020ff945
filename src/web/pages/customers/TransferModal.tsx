import { useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CustomerTransfer } from '../../../common/schemas/customers';
import { api } from '../../api/client';
import type { CustomerDto } from '../../api/types';
import { useSchemaForm } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';

type Transferred = Pick<CustomerDto, 'id' | 'name' | 'ownerId' | 'ownerName'>;

/**
 * Hands one customer or a selection (all or nothing) to another owner,
 * optionally keeping each previous owner in the team (read only). Contacts,
 * follow-ups and files stay with their customer, so they move along.
 */
export function TransferModal({ customers, onClose, onDone }: { customers: Transferred[]; onClose: () => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(CustomerTransfer);
  const [one] = customers;
  const single = customers.length === 1 ? one : undefined;
  const owners = [...new Set(customers.map((c) => c.ownerId).filter((id): id is number => id !== null))];

  const save = submit(async (data) => {
    if (single) {
      await api.post(`/customers/${single.id}/transfer`, data);
      message.success(t('customers.transferred'));
    } else {
      const r = await api.post<{ changed: number }>('/customers/bulk', { action: 'transfer', ids: customers.map((c) => c.id), ...data });
      message.success(t('customers.bulk.transferred', { count: r.changed }));
    }
    await queryClient.invalidateQueries({ queryKey: ['customers'] });
    onDone?.();
  }, onClose);

  return (
    <Modal
      open
      title={single ? t('customers.transferTitle', { name: single.name }) : t('customers.bulk.transferTitle', { count: customers.length })}
      okText={t('customers.transfer')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'transfer-submit' }}
    >
      <Form form={form} name="transfer" layout="vertical" initialValues={{ keepAsTeamMember: true }} onFinish={save}>
        <Form.Item label={t('customers.newOwner')} {...field('ownerId')}>
          <UserSelect exclude={owners.length === 1 ? owners : []} placeholder={t('common.searchUser')} />
        </Form.Item>
        <Form.Item name="keepAsTeamMember" valuePropName="checked">
          <Checkbox>{single ? t('customers.keepAsTeamMember', { name: single.ownerName ?? '-' }) : t('customers.bulk.keepAsTeamMember')}</Checkbox>
        </Form.Item>
        <Typography.Text type="secondary">{t('customers.bulk.transferNote')}</Typography.Text>
      </Form>
    </Modal>
  );
}
