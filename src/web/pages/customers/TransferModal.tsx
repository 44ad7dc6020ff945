import { useQueryClient } from '@tanstack/react-query';
import { App, Checkbox, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { CustomerTransfer } from '../../../common/schemas/customers';
import { api } from '../../api/client';
import type { CustomerDto } from '../../api/types';
import { useSchemaForm } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';

/** Hands a customer to another owner, optionally keeping the previous one in the team (read only). */
export function TransferModal({ customer, onClose }: { customer: CustomerDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(CustomerTransfer);

  const save = submit(async (data) => {
    await api.post(`/customers/${customer.id}/transfer`, data);
    await queryClient.invalidateQueries({ queryKey: ['customers'] });
    message.success(t('customers.transferred'));
  }, onClose);

  return (
    <Modal
      open
      title={t('customers.transferTitle', { name: customer.name })}
      okText={t('customers.transfer')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
    >
      <Form form={form} name="transfer" layout="vertical" initialValues={{ keepAsTeamMember: true }} onFinish={save}>
        <Form.Item label={t('customers.newOwner')} {...field('ownerId')}>
          <UserSelect exclude={customer.ownerId ? [customer.ownerId] : []} placeholder={t('common.searchUser')} />
        </Form.Item>
        <Form.Item name="keepAsTeamMember" valuePropName="checked">
          <Checkbox>{t('customers.keepAsTeamMember', { name: customer.ownerName ?? '-' })}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
