import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { ContactMove } from '../../../common/schemas/contacts';
import { api } from '../../api/client';
import type { ContactDto } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { useSchemaForm } from '../../components/form';

/** A job change: the contact now works for another customer; the former one stays in its history. */
export function ContactMoveModal({ contact, onClose }: { contact: ContactDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(ContactMove);

  const save = submit(async (data) => {
    await api.post(`/contacts/${contact.id}/move`, data);
    await queryClient.invalidateQueries({ queryKey: ['contacts'] });
    message.success(t('contacts.moved'));
  }, onClose);

  return (
    <Modal
      open
      title={t('contacts.moveTitle', { name: contact.name })}
      okText={t('contacts.move')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'contact-move-submit' }}
    >
      <Alert type="info" showIcon message={t('contacts.moveHelp', { customer: contact.customerName })} className="modal-alert" />
      <Form form={form} name="contact-move" layout="vertical" initialValues={{ title: contact.title }} onFinish={save}>
        <Form.Item label={t('contacts.newCustomer')} {...field('customerId')}>
          <CustomerSelect exclude={[contact.customerId]} placeholder={t('visibility.customerPlaceholder')} data-testid="contact-move-customer" />
        </Form.Item>
        <Form.Item label={t('contacts.newTitle')} {...field('title')}>
          <Input maxLength={50} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
