import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Form, Input, Popconfirm, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useAction } from '../../components/actions';
import { FormModal } from '../../components/FormModal';
import { showError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';

interface Template {
  id: number;
  name: string;
  body: string;
  enabled: boolean;
}

/** What a template's text may name; each {{placeholder}} is filled from the contract when it is saved. */
const PLACEHOLDERS = ['code', 'name', 'customer', 'company', 'amount', 'amountInWords', 'currency', 'taxRate', 'startsOn', 'endsOn', 'signedOn', 'signer', 'customerSigner', 'lines'];

function TemplateModal({ template, onClose, onSaved }: { template: Template | null; onClose: () => void; onSaved: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Omit<Template, 'id'>>();
  const [submitting, setSubmitting] = useState(false);
  const save = async (v: Omit<Template, 'id'>) => {
    setSubmitting(true);
    try {
      if (template) await api.put(`/contract-templates/${template.id}`, v);
      else await api.post('/contract-templates', v);
      await onSaved();
      message.success(t('contracts.templates.saved'));
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={template ? template.name : t('contracts.templates.add')} width={800}>
      <Form form={form} layout="vertical" onFinish={save} initialValues={template ?? { name: '', body: '', enabled: true }}>
        <Form.Item name="name" label={t('contracts.templates.name')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="body" label={t('contracts.templates.body')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input.TextArea rows={16} maxLength={20000} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Form.Item name="enabled" label={t('contracts.templates.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** Contract templates (SAL-6): the text a new contract starts from, with placeholders. */
export default function ContractTemplates() {
  const { t } = useTranslation();
  const templates = useQuery({ queryKey: ['contracts', 'templates'], queryFn: () => api.get<{ items: Template[] }>('/contract-templates').then((r) => r.items) });
  const { running, run } = useAction(() => templates.refetch());
  const [editing, setEditing] = useState<Template | null | 'new'>(null);
  return (
    <PageContainer
      title={t('contracts.templates.title')}
      subTitle={t('contracts.templates.subtitle', { placeholders: PLACEHOLDERS.map((p) => `{{${p}}}`).join(' '), interpolation: { escapeValue: false } })}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('contracts.templates.add')}
        </Button>
      }
    >
      <Table<Template>
        rowKey="id"
        loading={templates.isPending}
        dataSource={templates.data ?? []}
        pagination={false}
        columns={[
          { title: t('contracts.templates.name'), dataIndex: 'name' },
          { title: t('contracts.templates.enabled'), dataIndex: 'enabled', render: (v: boolean) => (v ? <Tag color="green">{t('contracts.templates.enabled')}</Tag> : <Tag>-</Tag>) },
          {
            key: 'actions',
            render: (_, row) => (
              <Space>
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(row)} aria-label={t('common.edit')} />
                <Popconfirm title={t('contracts.templates.deleteConfirm', { name: row.name })} onConfirm={() => run(`del${row.id}`, () => api.delete(`/contract-templates/${row.id}`), t('common.deleted'))}>
                  <Button size="small" danger icon={<DeleteOutlined />} loading={running === `del${row.id}`} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && <TemplateModal template={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => templates.refetch()} />}
    </PageContainer>
  );
}
