import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ContractExecution, ContractStatus, PlanDto, ReceivableDto } from '../../../common/schemas/contracts';
import type { CurrencyDto } from '../../../common/schemas/currencies';
import { api } from '../../api/client';

export type { ContractDetailDto, ContractDto, PlanDto, ReceivableDto } from '../../../common/schemas/contracts';

const STATUS_COLORS: Record<ContractStatus, string> = { draft: 'default', pending: 'processing', active: 'success', rejected: 'error', withdrawn: 'warning' };
const EXECUTION_COLORS: Record<ContractExecution, string> = { not_started: 'default', executing: 'blue', completed: 'green', terminated: 'red' };
const PLAN_COLORS: Record<PlanDto['state'], string> = { open: 'default', partial: 'gold', paid: 'green', overdue: 'red' };
const RECEIVABLE_COLORS: Record<ReceivableDto['status'], string> = { draft: 'default', pending: 'processing', approved: 'success', rejected: 'error', withdrawn: 'warning' };

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]}>{t(`contracts.statuses.${status}`)}</Tag>;
}

export function ExecutionTag({ execution }: { execution: ContractExecution }) {
  const { t } = useTranslation();
  return <Tag color={EXECUTION_COLORS[execution]}>{t(`contracts.executions.${execution}`)}</Tag>;
}

export function PlanStateTag({ state }: { state: PlanDto['state'] }) {
  const { t } = useTranslation();
  return <Tag color={PLAN_COLORS[state]}>{t(`contracts.plans.states.${state}`)}</Tag>;
}

export function ReceivableStatusTag({ status }: { status: ReceivableDto['status'] }) {
  const { t } = useTranslation();
  return <Tag color={RECEIVABLE_COLORS[status]}>{t(`contracts.receivables.statuses.${status}`)}</Tag>;
}

/** The enabled currencies, the company one first. */
export function useCurrencies() {
  return useQuery({ queryKey: ['currencies'], queryFn: () => api.get<{ items: CurrencyDto[] }>('/currencies').then((r) => r.items), staleTime: 60_000 });
}

/** After a change: every list and detail of contracts, plans and receivables reloads (and the approval badge). */
export function useRefreshContracts() {
  const queryClient = useQueryClient();
  return () => Promise.all(['contracts', 'receivables', 'approvals'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
}
