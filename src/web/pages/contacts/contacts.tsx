import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { CONTACT_LIFECYCLES } from '../../../common/schemas/contacts';
import { api } from '../../api/client';
import type { ContactDto, Page } from '../../api/types';

export type Lifecycle = (typeof CONTACT_LIFECYCLES)[number];
export { CONTACT_LIFECYCLES };

/** All contacts of one customer, the primary one first (the server sends them in one page). */
export function useCustomerContacts(customerId: number, enabled = true) {
  return useQuery({
    queryKey: ['contacts', 'customer', customerId],
    queryFn: () => api.get<Page<ContactDto>>('/contacts', { customerId, limit: 200 }).then((r) => r.items),
    enabled,
  });
}

const LIFECYCLE_COLORS: Record<Lifecycle, string> = { new: 'blue', active: 'green', inactive: 'default', invalid: 'red' };

export function LifecycleTag({ value }: { value: Lifecycle }) {
  const { t } = useTranslation();
  return (
    <Tag color={LIFECYCLE_COLORS[value]} bordered={false}>
      {t(`contacts.lifecycles.${value}`)}
    </Tag>
  );
}

export function PrimaryTag() {
  const { t } = useTranslation();
  return (
    <Tag color="gold" bordered={false}>
      {t('contacts.primaryTag')}
    </Tag>
  );
}

/** The contact shown in the drawer, kept in the address (?contact=12) so it can be shared and survives a reload. */
export function useContactParam(): [number | null, (id: number | null) => void] {
  const [params, setParams] = useSearchParams();
  const id = Number(params.get('contact')) || null;
  const set = useCallback(
    (next: number | null) =>
      setParams(
        (p) => {
          const copy = new URLSearchParams(p);
          if (next) copy.set('contact', String(next));
          else copy.delete('contact');
          return copy;
        },
        { replace: !next },
      ),
    [setParams],
  );
  return [id, set];
}
