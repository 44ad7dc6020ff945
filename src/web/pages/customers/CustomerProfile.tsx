import { Descriptions, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AddressDto, CustomerDetail } from '../../api/types';
import { customDescriptionItems, useCustomFields } from '../../components/customFields';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { StatusTag, useDictionaries, useIndustryPath } from '../../components/dictionaries';
import { formatMoney, formatTime } from '../../components/format';
import { currentLocale } from '../../i18n';
import { NextFollowup } from './NextFollowup';

/** A link for what people type as a website ("www.x.cn"): only http(s). */
function websiteHref(site: string): string | undefined {
  const url = /^https?:\/\//i.test(site) ? site : `https://${site}`;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function AddressText({ address }: { address: Pick<AddressDto, 'regionName' | 'detail' | 'postcode'> }) {
  const { t } = useTranslation();
  const place = [address.regionName, address.detail].filter(Boolean).join(' ');
  return (
    <>
      {place || '-'}
      {address.postcode && <Typography.Text type="secondary">{` ${t('customers.addresses.postcodeShort', { code: address.postcode })}`}</Typography.Text>}
    </>
  );
}

/** Everything about the customer: classification, contact details, region, addresses, remark and tags. */
export function CustomerProfile({ customer: c }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const dict = useDictionaries();
  const industryPath = useIndustryPath();
  const customFields = useCustomFields('customer');
  const access = useFieldAccess('customer');
  const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '-' : String(v));
  const site = c.website ? websiteHref(c.website) : undefined;
  const count = (n: number | null) => (n === null ? '-' : n.toLocaleString(currentLocale()));

  return (
    <div className="customer-profile">
      <Descriptions
        column={{ xs: 1, sm: 2, lg: 3 }}
        size="small"
        bordered
        data-testid="customer-profile"
        items={withoutHidden(access, [
          { key: 'code', label: t('customers.code'), children: c.code },
          { key: 'kind', label: t('customers.kind'), children: t(`customers.kinds.${c.kind}`) },
          { key: 'status', label: t('customers.status'), children: <StatusTag code={c.statusCode} /> },
          { key: 'industry', label: t('customers.industry'), children: dash(industryPath(c.industryCode)) },
          { key: 'level', label: t('customers.level'), children: dash(dict.label('customer_level', c.levelCode)) },
          { key: 'source', label: t('customers.source'), children: dash(dict.label('customer_source', c.sourceCode)) },
          { key: 'employeeCount', label: t('customers.employeeCount'), children: count(c.employeeCount) },
          { key: 'annualRevenue', label: t('customers.annualRevenue'), children: formatMoney(c.annualRevenue) },
          { key: 'region', label: t('customers.region'), children: dash(c.regionName) },
          { key: 'phone', label: t('customers.phone'), children: c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '-' },
          { key: 'email', label: t('customers.email'), children: c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : '-' },
          {
            key: 'website',
            label: t('customers.website'),
            children: site ? (
              <a href={site} target="_blank" rel="noopener noreferrer">
                {c.website}
              </a>
            ) : (
              dash(c.website)
            ),
          },
          { key: 'creditCode', label: t('customers.creditCode'), children: <span className="mono">{dash(c.creditCode)}</span> },
          { key: 'locked', label: t('customers.lockedFilter'), children: t(c.locked ? 'customers.lockedOptions.true' : 'customers.lockedOptions.false') },
          { key: 'owner', label: t('customers.owner'), children: dash(c.ownerName) },
          { key: 'department', label: t('customers.department'), children: dash(c.departmentName) },
          { key: 'lastFollowup', label: t('customers.lastFollowup'), children: formatTime(c.lastFollowupAt) },
          { key: 'nextFollowup', label: t('customers.nextFollowup'), children: <NextFollowup at={c.nextFollowupAt} /> },
          { key: 'createdAt', label: t('common.createdAt'), children: formatTime(c.createdAt) },
          { key: 'updatedAt', label: t('common.updatedAt'), children: formatTime(c.updatedAt) },
          {
            key: 'tags',
            label: t('customers.tags'),
            span: 'filled',
            children: c.tags.length ? (
              <Space size={[4, 4]} wrap>
                {c.tags.map((tag) => (
                  <Tag key={tag} bordered={false}>
                    {tag}
                  </Tag>
                ))}
              </Space>
            ) : (
              '-'
            ),
          },
          ...customDescriptionItems(customFields.all, 'customer', c.custom, c.id),
          { key: 'remark', label: t('customers.remark'), span: 'filled', children: <span className="pre-wrap">{dash(c.remark)}</span> },
        ])}
      />
      <Typography.Title level={5} className="section-title">
        {t('customers.addresses.title')}
      </Typography.Title>
      {c.addresses.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.addresses.empty')} />
      ) : (
        <List
          size="small"
          bordered
          data-testid="customer-addresses"
          dataSource={c.addresses}
          renderItem={(a) => (
            <List.Item>
              <Space size={8} wrap>
                <Tag bordered={false} color="processing">
                  {t(`customers.addresses.tags.${a.tag}`)}
                </Tag>
                {a.isDefault && (
                  <Tag bordered={false} color="gold">
                    {t('customers.addresses.default')}
                  </Tag>
                )}
                <span>
                  <AddressText address={a} />
                </span>
              </Space>
            </List.Item>
          )}
        />
      )}
    </div>
  );
}
