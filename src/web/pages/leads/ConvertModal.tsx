import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, Modal, Radio, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { LeadConvertBody } from '../../../common/schemas/leads';
import { api } from '../../api/client';
import type { LeadDto } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { CustomFieldItems, customValuesBody, type CustomValues, useCustomFields } from '../../components/customFields';
import { showError, zodRule } from '../../components/form';

interface Values {
  target: 'new' | 'existing';
  customerName?: string;
  customerId?: number | null;
  createContact: boolean;
  customerCustom?: CustomValues;
  contactCustom?: CustomValues;
}

/**
 * Converts a lead: into a new customer (named after its company by default) or
 * onto a customer that exists, with a contact made from the lead or not; then
 * opens the customer, where the lead's follow-ups now show.
 */
export function ConvertModal({ lead, onClose }: { lead: LeadDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [submitting, setSubmitting] = useState(false);
  const target = Form.useWatch('target', form) ?? 'new';
  const shape = LeadConvertBody.shape;
  const createContact = Form.useWatch('createContact', form) ?? true;
  // the lead's own fields are not the customer's or the contact's: their required ones are asked here
  const customerFields = useCustomFields('customer').enabled.filter((f) => f.required);
  const contactFields = useCustomFields('contact').enabled.filter((f) => f.required);
  const askCustomer = target === 'new' && customerFields.length > 0;
  const askContact = createContact && contactFields.length > 0;

  const save = async (v: Values) => {
    const contactCustom = v.createContact ? customValuesBody(contactFields, v.contactCustom) : undefined;
    const body =
      v.target === 'existing'
        ? { customerId: v.customerId ?? undefined, createContact: v.createContact, contactCustom }
        : { customerName: v.customerName?.trim() || undefined, createContact: v.createContact, customerCustom: customValuesBody(customerFields, v.customerCustom), contactCustom };
    if (v.target === 'existing' && !v.customerId) {
      form.setFields([{ name: 'customerId', errors: [t('validation.required')] }]);
      return;
    }
    setSubmitting(true);
    try {
      const r = await api.post<{ customerId: number; contactId: number | null }>(`/leads/${lead.id}/convert`, body);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['leads'] }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
        queryClient.invalidateQueries({ queryKey: ['contacts'] }),
        queryClient.invalidateQueries({ queryKey: ['followups'] }),
      ]);
      message.success(t('leads.converted'));
      onClose();
      navigate(`/customers/${r.customerId}?tab=followups`);
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open
      title={t('leads.convertTitle', { name: lead.name })}
      okText={t('leads.convert')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'lead-convert-submit' } as never}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        name="convert"
        layout="vertical"
        initialValues={{ target: 'new', customerName: lead.company ?? lead.name, createContact: true }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item name="target" label={t('leads.convertTarget')}>
          <Radio.Group
            options={[
              { value: 'new', label: t('leads.convertNew') },
              { value: 'existing', label: t('leads.convertExisting') },
            ]}
          />
        </Form.Item>
        {target === 'new' ? (
          <Form.Item name="customerName" label={t('customers.name')} rules={[zodRule(shape.customerName, t)]} extra={t('leads.convertNameHelp')}>
            <Input maxLength={100} />
          </Form.Item>
        ) : (
          <Form.Item name="customerId" label={t('leads.convertCustomer')} required>
            <CustomerSelect placeholder={t('visibility.customerPlaceholder')} />
          </Form.Item>
        )}
        <Form.Item name="createContact" valuePropName="checked">
          <Checkbox data-testid="lead-convert-contact">{t('leads.convertContact', { name: lead.name })}</Checkbox>
        </Form.Item>
        {(askCustomer || askContact) && (
          <>
            <Typography.Paragraph type="secondary">{t('customFields.convertHelp')}</Typography.Paragraph>
            <Row gutter={16} data-testid="lead-convert-custom">
              {askCustomer && <CustomFieldItems fields={customerFields} entity="customer" name="customerCustom" col={{ xs: 24, sm: 12 }} />}
              {askContact && <CustomFieldItems fields={contactFields} entity="contact" name="contactCustom" col={{ xs: 24, sm: 12 }} />}
            </Row>
          </>
        )}
        <Alert type="info" showIcon message={t('leads.convertHelp')} />
      </Form>
    </Modal>
  );
}
