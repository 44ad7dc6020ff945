import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { EXPENSE_CATEGORIES, ExpenseCreate, type ExpenseDto } from '../../../common/schemas/approvals';
import type { CurrencyDto } from '../../../common/schemas/currencies';
import { api } from '../../api/client';
import { CustomerSelect } from '../../components/CustomerSelect';
import { useSchemaForm } from '../../components/form';
import { FormModal } from '../../components/FormModal';
import { useSession } from '../../app/session';

export const EXPENSES_KEY = ['expenses'] as const;

/** Files a new claim or changes one that is not under approval. */
export function ExpenseFormModal({ expense, onClose, onSaved }: { expense?: ExpenseDto; onClose: () => void; onSaved?: (e: ExpenseDto) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(ExpenseCreate);
  const currencies = useQuery({ queryKey: ['currencies'], queryFn: () => api.get<{ items: CurrencyDto[] }>('/currencies').then((r) => r.items), staleTime: 60_000 });

  const save = submit(async (data) => {
    const saved = expense ? await api.patch<ExpenseDto>(`/expenses/${expense.id}`, data) : await api.post<ExpenseDto>('/expenses', data);
    await queryClient.invalidateQueries({ queryKey: EXPENSES_KEY });
    message.success(t(expense ? 'common.saved' : 'common.created'));
    onSaved?.(saved);
  }, onClose);

  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t(expense ? 'approvals.expenses.edit' : 'approvals.expenses.create')} okButtonProps={{ 'data-testid': 'expense-form-submit' } as never}>
      <Form
        form={form}
        name="expense"
        layout="vertical"
        onFinish={save}
        initialValues={
          expense
            ? { ...expense, description: expense.description ?? undefined }
            : { category: 'travel', currency: 'CNY', occurredOn: dayjs().format('YYYY-MM-DD') }
        }
      >
        <Form.Item label={t('approvals.expenses.name')} {...field('title')}>
          <Input autoFocus maxLength={100} data-testid="expense-title" />
        </Form.Item>
        <Form.Item label={t('approvals.expenses.category')} {...field('category')}>
          <Select options={EXPENSE_CATEGORIES.map((c) => ({ value: c, label: t(`approvals.expenses.categories.${c}`) }))} data-testid="expense-category" />
        </Form.Item>
        <Form.Item label={t('approvals.expenses.amount')} {...field('amount')}>
          <InputNumber<string> stringMode min="0.01" precision={2} style={{ width: '100%' }} data-testid="expense-amount" />
        </Form.Item>
        <Form.Item label={t('approvals.expenses.currency')} {...field('currency')}>
          <Select options={(currencies.data ?? []).filter((c) => c.enabled).map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))} loading={currencies.isPending} />
        </Form.Item>
        <Form.Item
          label={t('approvals.expenses.occurredOn')}
          {...field('occurredOn')}
          getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
          normalize={(d: Dayjs | null) => d?.format('YYYY-MM-DD')}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {can('customer.view') && (
          <Form.Item label={t('approvals.expenses.customer')} {...field('customerId')}>
            <CustomerSelect allowClear />
          </Form.Item>
        )}
        <Form.Item label={t('approvals.expenses.description')} {...field('description')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
