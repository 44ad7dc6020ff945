import { useQueryClient } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QuoteStatus } from '../../../common/schemas/quotes';

export type { QuoteDetailDto, QuoteDto, QuotePrintDto } from '../../../common/schemas/quotes';

const STATUS_COLORS: Record<QuoteStatus, string> = { draft: 'default', pending: 'processing', approved: 'cyan', sent: 'blue', accepted: 'success', rejected: 'error' };

export function QuoteStatusTag({ status, superseded }: { status: QuoteStatus; superseded?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Tag color={STATUS_COLORS[status]} data-testid="quote-status" data-status={status}>
        {t(`quotes.statuses.${status}`)}
      </Tag>
      {superseded && <Tag>{t('quotes.superseded')}</Tag>}
    </>
  );
}

/** After a change: quotes, the contracts a conversion made, and the approval badge reload. */
export function useRefreshQuotes() {
  const queryClient = useQueryClient();
  return () => Promise.all(['quotes', 'contracts', 'approvals'].map((k) => queryClient.invalidateQueries({ queryKey: [k] })));
}
