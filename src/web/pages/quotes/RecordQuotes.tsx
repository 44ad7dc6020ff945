import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { QuoteDto } from '../../../common/schemas/quotes';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { useSession } from '../../app/session';
import { QuoteFormModal } from './QuoteForm';
import { quoteColumns } from './QuoteList';

/** The 报价单 tab of the customer 360 page and of an opportunity: its quotes (latest versions) and a button for a new one. */
export function RecordQuotes({ customerId, opportunityId }: { customerId: number; opportunityId?: number }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['quotes', 'of-record', customerId, opportunityId ?? null],
    queryFn: () => api.get<Page<QuoteDto>>('/quotes', opportunityId ? { opportunityId, limit: 200 } : { customerId, limit: 200 }).then((p) => p.items),
  });
  const columns = useMemo(() => quoteColumns(t).filter((c) => c.key !== 'customer' && c.key !== 'updatedAt'), [t]);
  return (
    <>
      {can('quote.create') && (
        <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="record-quote-create">
          {t('quotes.create')}
        </Button>
      )}
      <Table<QuoteDto> size="small" rowKey="id" loading={list.isPending} dataSource={list.data ?? []} columns={columns} pagination={false} scroll={{ x: 'max-content' }} data-testid="record-quotes" />
      {creating && <QuoteFormModal customerId={customerId} opportunityId={opportunityId} onClose={() => setCreating(false)} onSaved={(b) => navigate(`/quotes/${b.id}`)} />}
    </>
  );
}
