import { useQuery } from '@tanstack/react-query';
import { Select, Spin } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface RemoteOption {
  value: number;
  label: string;
}

export interface RemoteSelectProps {
  value?: number | null;
  onChange?: (value: number | null) => void;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  /** Options left out (e.g. the user being edited, as their own superior). */
  exclude?: number[];
  id?: string;
  'data-testid'?: string;
  'aria-label'?: string;
}

interface SourceProps {
  /** Cache key of this kind of record. */
  queryKey: string;
  /** Records matching what the user typed (the first ones when empty). */
  search: (q: string) => Promise<RemoteOption[]>;
  /** The label of the current value when the search has not brought it. */
  resolve: (id: number) => Promise<RemoteOption>;
}

/** A single select that searches the server as the user types. */
export function RemoteSelect({ queryKey, search, resolve, value, onChange, exclude, ...rest }: RemoteSelectProps & SourceProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  // no stale options while a new search runs: a quick click must not pick a result of the previous text
  const found = useQuery({ queryKey: [queryKey, 'search', q], queryFn: () => search(q), staleTime: 30_000 });
  const settled = typed.trim() === q;
  const missing = value != null && !found.data?.some((o) => o.value === value);
  const current = useQuery({ queryKey: [queryKey, 'option', value], queryFn: () => resolve(value!), enabled: missing, staleTime: 300_000 });

  const options = useMemo(() => {
    const list = [...(found.data ?? [])];
    if (missing && current.data) list.unshift(current.data);
    return list.filter((o) => !exclude?.includes(o.value));
  }, [found.data, missing, current.data, exclude]);

  return (
    <Select<number>
      {...rest}
      showSearch
      filterOption={false}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      onSearch={setTyped}
      onOpenChange={(open) => {
        if (open) return;
        setTyped('');
        setQ('');
      }}
      options={settled ? options : options.filter((o) => o.value === value)}
      loading={found.isFetching || !settled}
      notFoundContent={found.isFetching || !settled ? <Spin size="small" /> : t('common.noMatch')}
      style={{ width: '100%' }}
    />
  );
}
