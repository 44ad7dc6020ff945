import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined, StarOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Dropdown, type MenuProps, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ContactDto, CustomerDetail } from '../../api/types';
import { useSession } from '../../app/session';
import { useDictionaries } from '../../components/dictionaries';
import { useShowError } from '../../components/form';
import { ContactDrawer } from '../contacts/ContactDrawer';
import { ContactFormModal } from '../contacts/ContactFormModal';
import { ContactMoveModal } from '../contacts/ContactMoveModal';
import { type Lifecycle, LifecycleTag, PrimaryTag, useContactParam, useCustomerContacts } from '../contacts/contacts';

/**
 * The customer's contacts, the primary one first: add, edit, make primary, move
 * to another customer (job change), delete; a name opens the contact's drawer.
 * Changing contacts needs write access to the customer and the contact permissions.
 */
export function CustomerContacts({ customer, writable }: { customer: CustomerDetail; writable: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const contacts = useCustomerContacts(customer.id);
  const [dialog, setDialog] = useState<{ kind: 'create' } | { kind: 'edit' | 'move'; contact: ContactDto } | null>(null);
  const [openId, setOpenId] = useContactParam();
  const may = {
    create: writable && can('contact.create'),
    edit: writable && can('contact.edit'),
    delete: writable && can('contact.delete'),
  };

  const setPrimary = async (k: ContactDto) => {
    try {
      await api.patch(`/contacts/${k.id}`, { isPrimary: true });
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      message.success(t('contacts.primarySet', { name: k.name }));
    } catch (err) {
      showError(err);
    }
  };

  const remove = (k: ContactDto) =>
    modal.confirm({
      title: t('contacts.deleteConfirm', { name: k.name }),
      okText: t('common.delete'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await api.delete(`/contacts/${k.id}`);
          await queryClient.invalidateQueries({ queryKey: ['contacts'] });
          message.success(t('common.deleted'));
        } catch (err) {
          showError(err);
        }
      },
    });

  const actions = (k: ContactDto): MenuProps['items'] => [
    ...(may.edit && !k.isPrimary ? [{ key: 'primary', icon: <StarOutlined />, label: t('contacts.setPrimary') }] : []),
    ...(may.edit ? [{ key: 'move', icon: <SwapOutlined />, label: t('contacts.move') }] : []),
    ...(may.delete ? [{ type: 'divider' as const }, { key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete') }] : []),
  ];

  const onAction = (k: ContactDto, key: string) => {
    if (key === 'primary') void setPrimary(k);
    else if (key === 'move') setDialog({ kind: 'move', contact: k });
    else if (key === 'delete') remove(k);
  };

  const columns: ColumnsType<ContactDto> = [
    {
      title: t('contacts.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, k) => (
        <Space size={4}>
          <Button type="link" className="link-button" onClick={() => setOpenId(k.id)}>
            {name}
          </Button>
          {k.isPrimary && <PrimaryTag />}
        </Space>
      ),
    },
    { title: t('contacts.title'), dataIndex: 'title', key: 'title', render: (v: string | null) => v ?? '-' },
    { title: t('contacts.role'), dataIndex: 'roleCode', key: 'role', render: (v: string | null) => dict.label('contact_role', v) ?? '-' },
    {
      title: t('contacts.mobile'),
      dataIndex: 'mobile',
      key: 'mobile',
      render: (v: string | null) => (v ? <a href={`tel:${v}`}>{v}</a> : '-'),
    },
    { title: t('contacts.phone'), dataIndex: 'phone', key: 'phone', render: (v: string | null) => v ?? '-' },
    { title: t('contacts.email'), dataIndex: 'email', key: 'email', render: (v: string | null) => v ?? '-' },
    { title: t('contacts.wechat'), dataIndex: 'wechat', key: 'wechat', render: (v: string | null) => v ?? '-' },
    { title: t('contacts.lifecycle'), dataIndex: 'lifecycle', key: 'lifecycle', render: (v: Lifecycle) => <LifecycleTag value={v} /> },
    ...(may.edit || may.delete
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, k: ContactDto) => {
              const items = actions(k);
              return (
                <Space size={0}>
                  {may.edit && (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => setDialog({ kind: 'edit', contact: k })}
                      aria-label={t('common.edit')}
                      title={t('common.edit')}
                    />
                  )}
                  {items && items.length > 0 && (
                    <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => onAction(k, key) }}>
                      <Button type="link" size="small" icon={<MoreOutlined />} aria-label={t('common.more')} data-testid="contact-actions" />
                    </Dropdown>
                  )}
                </Space>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <div data-testid="customer-contacts">
      {may.create && (
        <div className="tab-toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="contact-create">
            {t('contacts.create')}
          </Button>
        </div>
      )}
      {contacts.error && <Alert type="error" showIcon message={contacts.error.message} />}
      <Table<ContactDto>
        rowKey="id"
        columns={columns}
        dataSource={contacts.data}
        loading={contacts.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: t('contacts.empty') }}
      />
      {dialog?.kind === 'create' && <ContactFormModal customerId={customer.id} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <ContactFormModal contact={dialog.contact} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'move' && <ContactMoveModal contact={dialog.contact} onClose={() => setDialog(null)} />}
      {openId && <ContactDrawer contactId={openId} onClose={() => setOpenId(null)} />}
    </div>
  );
}
