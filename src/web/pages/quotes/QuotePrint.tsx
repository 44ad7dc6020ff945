import { useQuery } from '@tanstack/react-query';
import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import { api } from '../../api/client';
import { formatTime } from '../../components/format';
import { PageLoading } from '../../components/PageLoading';
import { usePrintPage } from '../../components/printPage';
import { PrintView } from '../../components/PrintView';
import type { QuotePrintDto } from './quotes';

/** The quote on A4 for the customer: company, customer, lines, totals, the amount in words, validity and terms. */
export default function QuotePrint() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const view = useQuery({ queryKey: ['quotes', 'print', id], queryFn: () => api.get<QuotePrintDto>(`/quotes/${id}/print`) });
  usePrintPage('A4', '12mm', view.isSuccess);

  if (view.isPending) return <PageLoading />;
  if (view.error) return <Result status="warning" title={view.error.message} />;
  const { quote: b, companyName } = view.data;
  const money = (v: string) => formatMoney(v, b.currency);

  return (
    <PrintView>
      <div className="print-sheet" data-testid="quote-print">
        <div className="print-meta">
          <span>{companyName}</span>
          <span>{t('quotes.printedAt', { time: formatTime(view.data.printedAt) })}</span>
        </div>
        <h1>{`${companyName} ${t('quotes.menu')}`}</h1>
        <table>
          <tbody>
            <tr>
              <th>{t('quotes.code')}</th>
              <td>{`${b.code} · ${t('quotes.versionShort', { version: b.version })}`}</td>
              <th>{t('quotes.date')}</th>
              <td>{(b.sentAt ?? b.updatedAt).slice(0, 10)}</td>
            </tr>
            <tr>
              <th>{t('quotes.customer')}</th>
              <td>{b.customerName}</td>
              <th>{t('quotes.contact')}</th>
              <td>{b.contactName ?? '-'}</td>
            </tr>
            <tr>
              <th>{t('quotes.preparedBy')}</th>
              <td>{b.ownerName ?? '-'}</td>
              <th>{t('quotes.validUntil')}</th>
              <td>{b.validUntil ?? '-'}</td>
            </tr>
          </tbody>
        </table>

        <h2>{t('quotes.tabs.lines')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('opportunities.lines.product')}</th>
              <th>{t('opportunities.lines.quantity')}</th>
              <th>{t('opportunities.lines.unit')}</th>
              <th>{t('opportunities.lines.price')}</th>
              <th>{t('opportunities.lines.discount')}</th>
              <th>{t('opportunities.lines.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {b.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.productName}</td>
                <td>{l.quantity}</td>
                <td>{l.unit}</td>
                <td>{money(l.price)}</td>
                <td>{l.discount === '0.00' ? '-' : `${l.discount}%`}</td>
                <td>{money(l.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>

        <table>
          <tbody>
            {(['listTotal', 'subtotal', 'discountAmount', 'tax', 'total'] as const).map((k) => (
              <tr key={k}>
                <th style={{ width: '70%', textAlign: 'right' }}>{t(`quotes.totals.${k}`)}</th>
                <td style={{ textAlign: 'right' }}>{money(b.totals[k])}</td>
              </tr>
            ))}
            <tr>
              <th style={{ textAlign: 'right' }}>{t('quotes.inWords')}</th>
              <td style={{ textAlign: 'right' }} data-testid="quote-print-words">
                {view.data.amountInWords}
              </td>
            </tr>
          </tbody>
        </table>

        {b.terms && (
          <>
            <h2>{t('quotes.terms')}</h2>
            <p className="pre-wrap">{b.terms}</p>
          </>
        )}
      </div>
    </PrintView>
  );
}
