import { useQuery } from '@tanstack/react-query';
import { Alert, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { EnvelopesResponse } from '../../../common/schemas/print';
import { api } from '../../api/client';
import { Envelope, useEnvelopeTemplates } from '../../components/Envelope';
import { PageLoading } from '../../components/PageLoading';
import { usePrintPage } from '../../components/printPage';
import { PrintView } from '../../components/PrintView';

/** One envelope per page (信封打印), the paper size from the template; what to print comes in the address (see EnvelopeModal). */
export default function EnvelopePrint() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const ids = (params.get('ids') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const templateId = Number(params.get('template'));
  const templates = useEnvelopeTemplates();
  const template = templates.data?.find((x) => x.id === templateId) ?? templates.data?.find((x) => x.isDefault);
  const body = { customerIds: ids, addressTag: params.get('tag') || undefined, contactRole: params.get('role') || undefined };
  const envelopes = useQuery({
    queryKey: ['customers', 'envelopes', body],
    queryFn: () => api.post<EnvelopesResponse>('/customers/envelopes', body),
    enabled: ids.length > 0,
  });
  usePrintPage(template ? `${template.widthMm}mm ${template.heightMm}mm` : undefined, '0', !!template && envelopes.isSuccess && envelopes.data.items.length > 0);

  if (!ids.length) return <Result status="warning" title={t('print.noCustomers')} />;
  const error = templates.error ?? envelopes.error;
  if (error) return <Result status="warning" title={error.message} />;
  const data = envelopes.data;
  if (!templates.data || !data) return <PageLoading />;
  if (!template) return <Result status="warning" title={t('print.noTemplate')} />;
  const labels = { to: t('print.to'), postcode: t('print.postcodeLabel') };

  return (
    <PrintView notice={data.skipped > 0 && <Alert type="warning" showIcon message={t('print.skipped', { count: data.skipped })} />}>
      <div className="envelope-scroll">
        {data.items.map((e) => (
          <Envelope key={e.customerId} template={template} data={e} labels={labels} />
        ))}
      </div>
    </PrintView>
  );
}
