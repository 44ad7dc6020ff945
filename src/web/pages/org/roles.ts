import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Role } from '../../api/types';

export const ROLES_KEY = ['roles'] as const;

/** All roles of the company (a short list), for the roles page and the role pickers. */
export function useRoles(enabled = true) {
  return useQuery({
    queryKey: ROLES_KEY,
    queryFn: () => api.get<{ items: Role[] }>('/roles').then((r) => r.items),
    enabled,
    staleTime: 60_000,
  });
}
