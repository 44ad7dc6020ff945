import { ArrowLeftOutlined } from '@ant-design/icons';
import { type UseQueryResult, useQuery } from '@tanstack/react-query';
import { Button, Result, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import type { Operation } from '../api/types';

/** A record page's operation log (GET `${path}/history`), loaded once its tab is open. */
export function useRecordHistory(queryKey: readonly unknown[], path: string, enabled: boolean) {
  return useQuery({ queryKey, queryFn: () => api.get<{ items: Operation[] }>(`${path}/history`).then((r) => r.items), enabled });
}

/** The way back from a record page to its list. */
export function BackToList({ to, label }: { to: string; label?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(to)}>
      {label ?? t('customers.backToList')}
    </Button>
  );
}

/**
 * What a record page shows instead of its record: a skeleton while it loads,
 * or why it cannot (not found — also when out of the user's scope — or an
 * error) with the way back; null once the record is there.
 */
export function recordFallback(query: UseQueryResult<unknown, Error>, back: ReactNode): ReactNode | null {
  if (query.isPending) return <Skeleton active />;
  if (query.error) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return <Result status={notFound ? '404' : 'error'} title={query.error.message} extra={back} />;
  }
  return null;
}
