import { useQuery } from '@tanstack/react-query';
import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { CustomerPrintDto } from '../../../common/schemas/print';
import { api } from '../../api/client';
import { useDictionaries, useIndustryPath } from '../../components/dictionaries';
import { formatMoney, formatTime } from '../../components/format';
import { PageLoading } from '../../components/PageLoading';
import { usePrintPage } from '../../components/printPage';
import { PrintView } from '../../components/PrintView';

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <table>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th style={{ width: '28%' }}>{label}</th>
            <td>{value ?? '-'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Grid<T>({ head, items, row, empty }: { head: string[]; items: T[]; row: (item: T) => ReactNode[]; empty: string }) {
  if (!items.length) return <p>{empty}</p>;
  return (
    <table>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => (
          <tr key={i}>
            {row(item).map((cell, j) => (
              <td key={j}>{cell ?? '-'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The customer on A4 (CUS-17): profile, addresses, contacts, team and the latest follow-ups, without the app around it. */
export default function CustomerPrint() {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const industryPath = useIndustryPath();
  const id = Number(useParams().id);
  const view = useQuery({ queryKey: ['customers', 'print', id], queryFn: () => api.get<CustomerPrintDto>(`/customers/${id}/print`) });
  usePrintPage('A4', '12mm', view.isSuccess);

  if (view.isPending) return <PageLoading />;
  if (view.error) return <Result status="warning" title={view.error.message} />;
  const { customer: c, contacts, members, followups } = view.data;

  return (
    <PrintView>
      <div className="print-sheet" data-testid="customer-print">
        <div className="print-meta">
          <span>{view.data.companyName}</span>
          <span>{t('print.printedAt', { time: formatTime(view.data.printedAt) })}</span>
        </div>
        <h1>{c.name}</h1>
        <div className="print-meta">
          <span>
            {t('customers.code')}：{c.code}
          </span>
          <span>{t('print.customerTitle')}</span>
        </div>

        <h2>{t('customers.tabs.profile')}</h2>
        <Rows
          rows={[
            [t('customers.kind'), t(`customers.kinds.${c.kind}`)],
            [t('customers.status'), dict.label('customer_status', c.statusCode)],
            [t('customers.level'), dict.label('customer_level', c.levelCode)],
            [t('customers.industry'), industryPath(c.industryCode)],
            [t('customers.source'), dict.label('customer_source', c.sourceCode)],
            [t('customers.region'), c.regionName],
            [t('customers.phone'), c.phone],
            [t('customers.email'), c.email],
            [t('customers.website'), c.website],
            [t('customers.creditCode'), c.creditCode],
            [t('customers.employeeCount'), c.employeeCount],
            [t('customers.annualRevenue'), c.annualRevenue === null ? null : formatMoney(c.annualRevenue)],
            [t('customers.owner'), c.ownerName],
            [t('customers.department'), c.departmentName],
            [t('customers.tags'), c.tags.join('、') || null],
            [t('customerValue.balance'), c.points],
            [t('customerValue.rfmScore'), c.rfm ? `${c.rfm.score}（R${c.rfm.r} F${c.rfm.f} M${c.rfm.m}）` : null],
            [t('common.createdAt'), formatTime(c.createdAt)],
            [t('customers.remark'), c.remark],
          ]}
        />

        <h2>{t('print.addresses')}</h2>
        <Grid
          head={[t('print.addressTag'), t('print.address'), t('print.postcode')]}
          items={c.addresses}
          empty={t('print.none')}
          row={(a) => [
            `${t(`customers.addresses.tags.${a.tag}`)}${a.isDefault ? `（${t('customers.addresses.isDefault')}）` : ''}`,
            [a.regionName?.replaceAll(' / ', ''), a.detail].filter(Boolean).join(' '),
            a.postcode,
          ]}
        />

        {contacts && (
          <>
            <h2>{t('customers.tabs.contacts')}</h2>
            <Grid
              head={[t('contacts.name'), t('contacts.title'), t('contacts.role'), t('contacts.mobile'), t('contacts.phone'), t('contacts.email')]}
              items={contacts}
              empty={t('contacts.empty')}
              row={(k) => [
                k.isPrimary ? `${k.name}（${t('contacts.primaryTag')}）` : k.name,
                k.title,
                dict.label('contact_role', k.roleCode),
                k.mobile,
                k.phone,
                k.email,
              ]}
            />
          </>
        )}

        <h2>{t('customers.members.title')}</h2>
        <Grid
          head={[t('customers.members.user'), t('customers.members.kind'), t('customers.members.access')]}
          items={members}
          empty={t('customers.members.empty')}
          row={(m) => [m.userName, t(`customers.members.kinds.${m.kind}`), t(`customers.members.accessLevels.${m.access}`)]}
        />

        <h2>{t('print.recentFollowups', { count: followups.length })}</h2>
        <Grid
          head={[t('print.time'), t('followups.type'), t('followups.contact'), t('print.by'), t('followups.content')]}
          items={followups}
          empty={t('print.none')}
          row={(f) => [formatTime(f.createdAt), dict.label('followup_type', f.typeCode), f.contactName, f.createdByName, f.content]}
        />
      </div>
    </PrintView>
  );
}
