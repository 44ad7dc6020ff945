import { DatePicker, Form, Select, type TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import type dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import type { ReceivableDto } from '../../../common/schemas/contracts';
import { api, type QueryParams } from '../../api/client';
import type { Page } from '../../api/types';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { ReceivableStatusTag } from './contracts';

interface Filters {
  status?: ReceivableDto['status'] | null;
  received?: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null;
}

/** Receivables of the contracts the user sees: status and date filters; each leads to its contract. */
export default function ReceivableList() {
  const { t } = useTranslation();
  const toParams = (f: Filters): QueryParams => ({ status: f.status, from: f.received?.[0]?.format('YYYY-MM-DD'), to: f.received?.[1]?.format('YYYY-MM-DD') });
  return (
    <PageContainer title={t('contracts.receivablesMenu')}>
      <ListPage<ReceivableDto, Filters>
        testId="receivable-list"
        queryKey="receivables"
        fetchPage={(p) => api.get<Page<ReceivableDto>>('/receivables', p)}
        rowKey="id"
        toParams={toParams}
        filters={[
          <Form.Item name="status" key="status">
            <Select
              allowClear
              placeholder={t('contracts.receivables.status')}
              aria-label={t('contracts.receivables.status')}
              options={(['draft', 'pending', 'approved', 'rejected', 'withdrawn'] as const).map((s) => ({ value: s, label: t(`contracts.receivables.statuses.${s}`) }))}
            />
          </Form.Item>,
          <Form.Item name="received" key="received">
            <DatePicker.RangePicker allowEmpty={[true, true]} aria-label={t('contracts.receivables.receivedOn')} />
          </Form.Item>,
        ]}
        columns={receivableColumns(t)}
      />
    </PageContainer>
  );
}

/** The receivable columns, shared by the list and the customer 360 page. */
export const receivableColumns = (t: TFunction): TableColumnsType<ReceivableDto> => [
  { title: t('contracts.receivables.code'), dataIndex: 'code', key: 'code' },
  { title: t('contracts.receivables.contract'), dataIndex: 'contractName', key: 'contract', render: (v: string, r) => <Link to={`/contracts/${r.contractId}?tab=plans`}>{`${r.contractCode} ${v}`}</Link> },
  { title: t('contracts.customer'), dataIndex: 'customerName', key: 'customer', render: (v: string, r) => <Link to={`/customers/${r.customerId}`}>{v}</Link> },
  { title: t('contracts.receivables.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string, r) => formatMoney(v, r.currency) },
  { title: t('contracts.receivables.receivedOn'), dataIndex: 'receivedOn', key: 'receivedOn' },
  { title: t('contracts.receivables.plan'), dataIndex: 'planSeq', key: 'plan', render: (v: number | null) => (v ? `#${v}` : '-') },
  { title: t('contracts.receivables.invoiceNo'), dataIndex: 'invoiceNo', key: 'invoice', render: (v: string | null) => v ?? '-' },
  { title: t('contracts.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
  { title: t('contracts.receivables.status'), dataIndex: 'status', key: 'status', render: (v: ReceivableDto['status']) => <ReceivableStatusTag status={v} /> },
];
