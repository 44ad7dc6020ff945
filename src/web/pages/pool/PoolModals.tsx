import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApplyBody, AssignBody } from '../../../common/schemas/pool';
import { api } from '../../api/client';
import type { PoolApplication } from '../../api/types';
import { useSchemaForm } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';
import { refreshPools } from './pool';

/** Hands pool customers to a user (a pool administrator's 分配). */
export function PoolAssignModal({ poolId, customerIds, onClose, onDone }: { poolId: number; customerIds: number[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(AssignBody);
  const save = submit(async (data) => {
    const r = await api.post<{ assigned: number }>(`/pools/${poolId}/assign`, data);
    await Promise.all([refreshPools(queryClient), queryClient.invalidateQueries({ queryKey: ['customers'] })]);
    message.success(t('pool.assigned', { count: r.assigned }));
    onDone();
  }, onClose);
  return (
    <Modal
      open
      title={t('pool.assignTitle', { count: customerIds.length })}
      okText={t('pool.assign')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'pool-assign-submit' } as never}
      destroyOnHidden
    >
      <Form form={form} name="poolAssign" layout="vertical" initialValues={{ customerIds }} onFinish={save}>
        <Form.Item name="customerIds" hidden>
          <input />
        </Form.Item>
        <Form.Item label={t('pool.assignTo')} {...field('userId')} extra={t('pool.assignHelp')}>
          <UserSelect placeholder={t('common.searchUser')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Asks a pool administrator for a customer (申请), with a reason. */
export function PoolApplyModal({ poolId, customer, onClose }: { poolId: number; customer: { id: number; name: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(ApplyBody);
  const save = submit(async (data) => {
    await api.post(`/pools/${poolId}/customers/${customer.id}/apply`, data);
    await refreshPools(queryClient);
    message.success(t('pool.applied'));
  }, onClose);
  return (
    <Modal
      open
      title={t('pool.applyTitle', { name: customer.name })}
      okText={t('pool.apply')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      destroyOnHidden
    >
      <Form form={form} name="poolApply" layout="vertical" onFinish={save}>
        <Form.Item label={t('pool.reason')} {...field('reason')} extra={t('pool.applyHelp')}>
          <Input.TextArea autoFocus maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Approves or rejects an application, with an optional note for the applicant. */
export function DecisionModal({ application, approve, onClose }: { application: PoolApplication; approve: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      await api.post(`/pool-applications/${application.id}/decision`, { approve, note: note.trim() || undefined });
      await Promise.all([refreshPools(queryClient), queryClient.invalidateQueries({ queryKey: ['customers'] })]);
      message.success(t(approve ? 'pool.approved' : 'pool.rejected'));
      onClose();
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t(approve ? 'pool.approveTitle' : 'pool.rejectTitle', { customer: application.customerName, applicant: application.applicantName })}
      okText={t(approve ? 'pool.approve' : 'pool.reject')}
      okButtonProps={{ danger: !approve }}
      cancelText={t('common.cancel')}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form layout="vertical">
        <Form.Item label={t('pool.note')}>
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
