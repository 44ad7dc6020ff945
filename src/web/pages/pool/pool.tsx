import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { PoolDto } from '../../api/types';

export const POOLS_KEY = ['pools'] as const;

/** The pools the signed-in user belongs to (all of them for pool.manage), with rules and limits. */
export function usePools() {
  return useQuery({ queryKey: POOLS_KEY, queryFn: () => api.get<{ items: PoolDto[] }>('/pools').then((r) => r.items) });
}

/** Reloads everything of the pools: the list of pools (their counts), customer lists, applications. */
export const refreshPools = (queryClient: QueryClient) =>
  queryClient.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('pool') });
