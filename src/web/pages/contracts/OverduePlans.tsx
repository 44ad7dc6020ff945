import dayjs from 'dayjs';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import type { PlanDto } from '../../../common/schemas/contracts';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';

type OverdueRow = PlanDto & { contractCode: string; contractName: string; customerId: number; customerName: string | null; ownerName: string | null; currency: string; outstanding: string };

/** Overdue instalments (催收): oldest first, with what is still owed and who owns the contract. */
export default function OverduePlans() {
  const { t } = useTranslation();
  return (
    <PageContainer title={t('contracts.overdue.title')} subTitle={t('contracts.overdue.subtitle')}>
      <ListPage<OverdueRow>
        testId="overdue-list"
        queryKey="receivables-overdue"
        fetchPage={(p) => api.get<Page<OverdueRow>>('/payment-plans/overdue', { limit: p.limit, cursor: p.cursor })}
        rowKey="id"
        columns={[
          { title: t('contracts.plans.dueOn'), dataIndex: 'dueOn', key: 'dueOn', render: (v: string) => <>{v} <Tag color="red">{t('contracts.overdue.days', { days: dayjs().startOf('day').diff(dayjs(v), 'day') })}</Tag></> },
          { title: t('contracts.receivables.contract'), dataIndex: 'contractName', key: 'contract', render: (v: string, p) => <Link to={`/contracts/${p.contractId}?tab=plans`}>{`${p.contractCode} ${v} #${p.seq}`}</Link> },
          { title: t('contracts.customer'), dataIndex: 'customerName', key: 'customer', render: (v: string, p) => <Link to={`/customers/${p.customerId}`}>{v}</Link> },
          { title: t('contracts.plans.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string, p) => formatMoney(v, p.currency) },
          { title: t('contracts.overdue.outstanding'), dataIndex: 'outstanding', key: 'outstanding', align: 'right', render: (v: string, p) => formatMoney(v, p.currency) },
          { title: t('contracts.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
        ]}
      />
    </PageContainer>
  );
}
