import { DeleteOutlined, LockOutlined, MailOutlined, TagOutlined, UnlockOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, type ButtonProps, Form, Input, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BulkTag } from '../../../common/schemas/customers';
import { api } from '../../api/client';
import type { CustomerDto } from '../../api/types';
import { useSession } from '../../app/session';
import type { BulkAction } from '../../components/BulkActionBar';
import { useSchemaForm, useShowError } from '../../components/form';
import { EnvelopeModal } from './EnvelopeModal';
import { TransferModal } from './TransferModal';

type Simple = 'delete' | 'lock' | 'unlock';

/** Adds a tag to the selection. */
function TagModal({ ids, onClose, onDone }: { ids: number[]; onClose: () => void; onDone: (changed: number) => void }) {
  const { t } = useTranslation();
  const { form, field, submit, submitting } = useSchemaForm(BulkTag);
  const save = submit(async ({ tag }) => onDone((await api.post<{ changed: number }>('/customers/bulk', { action: 'tag', ids, tag })).changed), onClose);
  return (
    <Modal
      open
      title={t('customers.bulk.tagTitle', { count: ids.length })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'bulk-tag-submit' }}
    >
      <Form form={form} name="bulkTag" layout="vertical" onFinish={save}>
        <Form.Item label={t('customers.tags')} {...field('tag')}>
          <Input maxLength={20} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The actions on selected customers that the user's permissions allow
 * (transfer, tag, lock, unlock, delete; all or nothing on the server; envelope
 * printing for everyone who sees them), and
 * the dialog of the one under way. Append to `actions` for more.
 */
export function useCustomerBulkActions(selected: CustomerDto[], onDone: () => void): { actions: BulkAction[]; dialog: ReactNode } {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<'transfer' | 'tag' | 'envelopes' | null>(null);
  const ids = selected.map((c) => c.id);

  const finished = async (changed: number) => {
    await queryClient.invalidateQueries({ queryKey: ['customers'] });
    message.success(t('customers.bulk.done', { count: changed }));
    onDone();
  };

  const confirm = (action: Simple) =>
    modal.confirm({
      title: t(`customers.bulk.confirm.${action}`, { count: ids.length }),
      content: t('customers.bulk.allOrNothing'),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: action === 'delete', 'data-testid': 'bulk-confirm' } as ButtonProps,
      onOk: async () => {
        try {
          await finished((await api.post<{ changed: number }>('/customers/bulk', { action, ids })).changed);
        } catch (err) {
          showError(err);
        }
      },
    });

  // the bulk route itself needs customer.edit, each action its own permission too
  const may = (permission: Parameters<typeof can>[0]) => can('customer.edit') && can(permission);
  const actions: BulkAction[] = [
    ...(may('customer.transfer') ? [{ key: 'transfer', label: t('customers.transfer'), icon: <UserSwitchOutlined />, onClick: () => setOpen('transfer') }] : []),
    ...(may('customer.edit') ? [{ key: 'tag', label: t('customers.bulk.tag'), icon: <TagOutlined />, onClick: () => setOpen('tag') }] : []),
    ...(may('customer.lock')
      ? [
          { key: 'lock', label: t('customers.bulk.lock'), icon: <LockOutlined />, onClick: () => confirm('lock') },
          { key: 'unlock', label: t('customers.bulk.unlock'), icon: <UnlockOutlined />, onClick: () => confirm('unlock') },
        ]
      : []),
    ...(may('customer.delete') ? [{ key: 'delete', label: t('common.delete'), icon: <DeleteOutlined />, danger: true, onClick: () => confirm('delete') }] : []),
    // printing changes nothing: whoever sees the customers may print their envelopes
    { key: 'envelopes', label: t('print.envelopes'), icon: <MailOutlined />, onClick: () => setOpen('envelopes') },
  ];

  const dialog =
    open === 'transfer' ? (
      <TransferModal customers={selected} onClose={() => setOpen(null)} onDone={onDone} />
    ) : open === 'tag' ? (
      <TagModal ids={ids} onClose={() => setOpen(null)} onDone={(n) => void finished(n)} />
    ) : open === 'envelopes' ? (
      <EnvelopeModal customerIds={ids} onClose={() => setOpen(null)} />
    ) : null;
  return { actions, dialog };
}
