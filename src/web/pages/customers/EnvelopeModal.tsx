import { Form, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ADDRESS_TAGS } from '../../../common/schemas/customers';
import { DictSelect } from '../../components/dictionaries';
import { useEnvelopeTemplates } from '../../components/Envelope';

interface Choice {
  templateId?: number;
  addressTag?: string;
  contactRole?: string;
}

/** Envelopes for the chosen customers: which template, which of their addresses, which contact; the print page opens in a new tab. */
export function EnvelopeModal({ customerIds, onClose }: { customerIds: number[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Choice>();
  const templates = useEnvelopeTemplates();

  const open = (v: Choice) => {
    const params = new URLSearchParams({ ids: customerIds.join(',') });
    if (v.templateId) params.set('template', String(v.templateId));
    if (v.addressTag) params.set('tag', v.addressTag);
    if (v.contactRole) params.set('role', v.contactRole);
    window.open(`/customers/envelopes?${params}`, '_blank');
    onClose();
  };

  return (
    <Modal
      open
      title={t('print.envelopeModalTitle', { count: customerIds.length })}
      okText={t('print.print')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'envelope-print' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={open}>
        <Form.Item name="templateId" label={t('print.template')}>
          <Select
            loading={templates.isPending}
            placeholder={t('print.defaultTemplate')}
            allowClear
            options={templates.data?.map((x) => ({ value: x.id, label: x.isDefault ? `${x.name}（${t('print.isDefault')}）` : x.name }))}
          />
        </Form.Item>
        <Form.Item name="addressTag" label={t('print.addressTag')} extra={t('print.addressTagHelp')}>
          <Select allowClear placeholder={t('customers.addresses.isDefault')} options={ADDRESS_TAGS.map((tag) => ({ value: tag, label: t(`customers.addresses.tags.${tag}`) }))} />
        </Form.Item>
        <Form.Item name="contactRole" label={t('print.recipient')} extra={t('print.recipientHelp')}>
          <DictSelect kind="contact_role" allowClear placeholder={t('contacts.primary')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
