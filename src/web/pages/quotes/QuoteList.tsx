import { PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import { QUOTE_STATUSES, type QuoteDto, type QuoteStatus } from '../../../common/schemas/quotes';
import { api, type QueryParams } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { QuoteFormModal } from './QuoteForm';
import { QuoteStatusTag } from './quotes';

interface Filters {
  q?: string;
  view?: 'scope' | 'mine';
  status?: QuoteStatus | null;
  ownerId?: number | null;
  allVersions?: boolean;
}

export const quoteColumns = (t: TFunction): ColumnsType<QuoteDto> => [
  { title: t('quotes.name'), dataIndex: 'name', key: 'name', render: (v: string, b) => <Link to={`/quotes/${b.id}`}>{v}</Link> },
  {
    title: t('quotes.code'), dataIndex: 'code', key: 'code',
    render: (v: string, b) => <Typography.Text type="secondary">{`${v} · ${t('quotes.versionShort', { version: b.version })}`}</Typography.Text>,
  },
  { title: t('quotes.customer'), dataIndex: 'customerName', key: 'customer', render: (v: string, b) => <Link to={`/customers/${b.customerId}`}>{v}</Link> },
  { title: t('quotes.amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (v: string, b) => formatMoney(v, b.currency) },
  { title: t('quotes.effectiveDiscount'), dataIndex: 'effectiveDiscount', key: 'effectiveDiscount', align: 'right', render: (v: string) => `${v}%` },
  { title: t('quotes.status'), dataIndex: 'status', key: 'status', render: (v: QuoteStatus, b) => <QuoteStatusTag status={v} superseded={b.superseded} /> },
  { title: t('quotes.validUntil'), dataIndex: 'validUntil', key: 'validUntil', render: (v: string | null) => v ?? '-' },
  { title: t('quotes.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
  { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
];

/** Quotes in the user's scope (latest versions; all on request): search, filters, create. */
export default function QuoteList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const columns = useMemo(() => quoteColumns(t), [t]);
  const toParams = (f: Filters): QueryParams => ({ q: f.q?.trim(), view: f.view, status: f.status, ownerId: f.ownerId, versions: f.allVersions ? 'all' : undefined });
  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('quotes.searchPlaceholder')} aria-label={t('quotes.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="view" key="view">
      <Select aria-label={t('customers.view')} options={(['scope', 'mine'] as const).map((v) => ({ value: v, label: t(`quotes.views.${v}`) }))} />
    </Form.Item>,
    <Form.Item name="status" key="status">
      <Select allowClear placeholder={t('quotes.status')} aria-label={t('quotes.status')} options={QUOTE_STATUSES.map((s) => ({ value: s, label: t(`quotes.statuses.${s}`) }))} />
    </Form.Item>,
  ];
  const moreFilters = [
    <Form.Item name="ownerId" key="owner" label={t('quotes.owner')}>
      <UserSelect allowClear />
    </Form.Item>,
    <Form.Item name="allVersions" key="allVersions" valuePropName="checked">
      <Checkbox>{t('quotes.allVersions')}</Checkbox>
    </Form.Item>,
  ];
  return (
    <PageContainer
      title={t('quotes.menu')}
      extra={
        can('quote.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="quote-create">
            {t('quotes.create')}
          </Button>
        )
      }
    >
      <ListPage<QuoteDto, Filters>
        testId="quote-list"
        queryKey="quotes"
        fetchPage={(p) => api.get<Page<QuoteDto>>('/quotes', p)}
        fetchTotal={(p) => api.get<{ total: number }>('/quotes/count', p).then((r) => r.total)}
        columns={columns}
        rowKey="id"
        filters={filters}
        moreFilters={moreFilters}
        initialFilters={{ view: 'scope' }}
        toParams={toParams}
        defaultSort={{ field: 'updatedAt', order: 'desc' }}
      />
      {creating && <QuoteFormModal onClose={() => setCreating(false)} onSaved={(b) => navigate(`/quotes/${b.id}`)} />}
    </PageContainer>
  );
}
