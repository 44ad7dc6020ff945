import { App, Checkbox, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { OpportunityTransfer } from '../../../common/schemas/opportunities';
import { api } from '../../api/client';
import { FormModal } from '../../components/FormModal';
import { useSchemaForm } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';
import { useRefreshOpportunities } from './opportunities';

/** Hands one opportunity or a selection (all or nothing) to another owner, optionally keeping the former owners on the team. */
export function TransferModal({ ids, onClose, onDone }: { ids: number[]; onClose: () => void; onDone?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = useRefreshOpportunities();
  const { form, field, submit, submitting } = useSchemaForm(OpportunityTransfer);
  const save = submit(async (data) => {
    if (ids.length === 1) await api.post(`/opportunities/${ids[0]}/transfer`, data);
    else await api.post('/opportunities/bulk', { action: 'transfer', ids, ...data });
    await refresh();
    message.success(t('opportunities.transferred'));
    onDone?.();
  }, onClose);
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('opportunities.transferTitle')}>
      <Form form={form} layout="vertical" onFinish={save} initialValues={{ keepAsTeamMember: false }}>
        <Form.Item {...field('ownerId')} label={t('opportunities.owner')}>
          <UserSelect />
        </Form.Item>
        <Form.Item name="keepAsTeamMember" valuePropName="checked">
          <Checkbox>{t('opportunities.keepAsTeamMember')}</Checkbox>
        </Form.Item>
      </Form>
    </FormModal>
  );
}
