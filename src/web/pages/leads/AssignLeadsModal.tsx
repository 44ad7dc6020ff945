import { useQueryClient } from '@tanstack/react-query';
import { App, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { LeadAssignBody } from '../../../common/schemas/leads';
import { api } from '../../api/client';
import { useSchemaForm } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';

/** Gives one or more leads to a user (assign the unassigned ones, or transfer). */
export function AssignLeadsModal({ leadIds, onClose, onDone }: { leadIds: number[]; onClose: () => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(LeadAssignBody);

  const save = submit(async (data) => {
    const r = await api.post<{ assigned: number }>('/leads/assign', data);
    await queryClient.invalidateQueries({ queryKey: ['leads'] });
    message.success(t('leads.assigned', { count: r.assigned }));
    onDone?.();
  }, onClose);

  return (
    <Modal
      open
      title={t('leads.assignTitle', { count: leadIds.length })}
      okText={t('leads.assign')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'lead-assign-submit' } as never}
      destroyOnHidden
    >
      <Form form={form} name="leadAssign" layout="vertical" initialValues={{ leadIds }} onFinish={save}>
        <Form.Item name="leadIds" hidden>
          <input />
        </Form.Item>
        <Form.Item label={t('leads.assignTo')} {...field('ownerId')}>
          <UserSelect placeholder={t('common.searchUser')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
