import { useQueryClient } from '@tanstack/react-query';
import { App, Col, DatePicker, Form, Grid, Input, Modal, Row, Select, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ContactCreate, ContactUpdate } from '../../../common/schemas/contacts';
import { api } from '../../api/client';
import type { ContactDto } from '../../api/types';
import { CustomerSelect } from '../../components/CustomerSelect';
import { CustomFieldItems, customValuesBody, useCustomFields } from '../../components/customFields';
import { FieldGate, useFieldAccess } from '../../components/fieldAccess';
import { DictSelect } from '../../components/dictionaries';
import { useDuplicateCheck } from '../../components/duplicates';
import { useEntryRules } from '../../components/entryRules';
import { changedFields, useSchemaForm, zodRule } from '../../components/form';
import { CONTACT_LIFECYCLES } from './contacts';

interface Props {
  /** The contact to edit; none to add one. */
  contact?: ContactDto;
  /** The customer a new contact belongs to; without it the form asks. */
  customerId?: number;
  onClose: () => void;
  onSaved?: (contact: ContactDto) => void;
}

const initialOf = (k: ContactDto) => ({
  name: k.name,
  title: k.title,
  roleCode: k.roleCode,
  isPrimary: k.isPrimary,
  lifecycle: k.lifecycle,
  gender: k.gender,
  mobile: k.mobile,
  phone: k.phone,
  email: k.email,
  wechat: k.wechat,
  birthday: k.birthday,
  remark: k.remark,
  tags: k.tags,
});

/** Adds a contact to a customer or changes one; when editing only the changed fields are sent. */
export function ContactFormModal({ contact, customerId, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const { form, field: schemaField, submit, submitting } = useSchemaForm(contact ? ContactUpdate : ContactCreate);
  const required = useEntryRules('contact');
  // the schema's rules, plus the company's required fields (CUS-13) for the optional ones
  const field = (name: Parameters<typeof schemaField>[0]) => {
    const f = schemaField(name);
    return f.required ? f : { ...f, ...required(name, f.rules) };
  };
  const customFields = useCustomFields('contact');
  const access = useFieldAccess('contact');

  const save = submit(async ({ custom: _parsed, ...data }) => {
    // cleared custom values must reach the server as null, which the schema form drops
    const custom = customValuesBody(customFields.enabled, form.getFieldValue('custom') as Record<string, unknown> | undefined, contact?.custom);
    let saved: ContactDto;
    if (contact) {
      const changes = { ...changedFields(initialOf(contact), data as Record<string, unknown>), ...(custom && { custom }) };
      saved = Object.keys(changes).length ? await api.patch<ContactDto>(`/contacts/${contact.id}`, changes) : contact;
    } else {
      saved = await api.post<ContactDto>('/contacts', { ...data, custom });
    }
    await queryClient.invalidateQueries({ queryKey: ['contacts'] });
    message.success(t(contact ? 'common.saved' : 'common.created'));
    onSaved?.(saved);
  }, onClose);

  const dup = useDuplicateCheck('contact', contact?.id);
  const half = { xs: 24, sm: 12 };

  return (
    <Modal
      open
      title={t(contact ? 'contacts.edit' : 'contacts.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      width={screens.md === false ? '100%' : 720}
      className="responsive-modal"
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'contact-form-submit' }}
    >
      <Form
        form={form}
        name="contact"
        layout="vertical"
        initialValues={contact ? { ...initialOf(contact), custom: contact.custom } : { customerId, lifecycle: 'new', tags: [] }}
        onFinish={save}
      >
        <Row gutter={16}>
          {!contact && !customerId && (
            <Col xs={24}>
              <Form.Item label={t('contacts.customer')} name="customerId" required rules={[zodRule(ContactCreate.shape.customerId, t)]}>
                <CustomerSelect placeholder={t('visibility.customerPlaceholder')} data-testid="contact-form-customer" />
              </Form.Item>
            </Col>
          )}
          {!contact && customerId && (
            <Form.Item name="customerId" hidden>
              <Input />
            </Form.Item>
          )}
          <Col {...half}>
            <Form.Item label={t('contacts.name')} {...field('name')}>
              <Input maxLength={50} autoFocus data-testid="contact-form-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('contacts.title')} {...field('title')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('contacts.role')} {...field('roleCode')}>
              <DictSelect kind="contact_role" allowClear />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('contacts.lifecycle')} {...field('lifecycle')}>
              <Select options={CONTACT_LIFECYCLES.map((l) => ({ value: l, label: t(`contacts.lifecycles.${l}`) }))} />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="mobile">
            <Col {...half}>
              <Form.Item label={t('contacts.mobile')} {...field('mobile')} extra={dup.hint('mobile')}>
                <Input inputMode="tel" maxLength={20} data-testid="contact-form-mobile" onBlur={(e) => void dup.check('mobile', e.target.value)} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="phone">
            <Col {...half}>
              <Form.Item label={t('contacts.phone')} {...field('phone')} extra={t('customers.phoneHelp')}>
                <Input inputMode="tel" maxLength={40} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="email">
            <Col {...half}>
              <Form.Item label={t('contacts.email')} {...field('email')} extra={dup.hint('email')}>
                <Input type="email" inputMode="email" maxLength={254} onBlur={(e) => void dup.check('email', e.target.value)} />
              </Form.Item>
            </Col>
          </FieldGate>
          <FieldGate access={access} field="wechat">
            <Col {...half}>
              <Form.Item label={t('contacts.wechat')} {...field('wechat')}>
                <Input maxLength={50} />
              </Form.Item>
            </Col>
          </FieldGate>
          <Col {...half}>
            <Form.Item label={t('contacts.gender')} {...field('gender')}>
              <Select allowClear options={(['male', 'female'] as const).map((g) => ({ value: g, label: t(`users.genders.${g}`) }))} />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="birthday">
            <Col {...half}>
              <Form.Item
                label={t('contacts.birthday')}
                {...field('birthday')}
                // the form keeps "YYYY-MM-DD", as the API does
                getValueProps={(v: string | null | undefined) => ({ value: v ? dayjs(v) : undefined })}
                normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null)}
              >
                <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
              </Form.Item>
            </Col>
          </FieldGate>
          <Col xs={24}>
            <Form.Item label={t('contacts.tags')} {...field('tags')} extra={t('customers.tagsHelp')}>
              <Select mode="tags" tokenSeparators={[',', '，']} maxCount={20} suffixIcon={null} notFoundContent={null} />
            </Form.Item>
          </Col>
          <FieldGate access={access} field="remark">
            <Col xs={24}>
              <Form.Item label={t('contacts.remark')} {...field('remark')}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
              </Form.Item>
            </Col>
          </FieldGate>
          <CustomFieldItems fields={customFields.enabled} entity="contact" recordId={contact?.id} col={half} />
          <Col xs={24}>
            <Form.Item label={t('contacts.primary')} {...field('isPrimary')} valuePropName="checked" extra={t('contacts.primaryHelp')}>
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
