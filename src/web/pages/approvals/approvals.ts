import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ApprovalCounts, ApprovalTypeDto } from '../../../common/schemas/approvals';
import { api } from '../../api/client';
import { APPROVALS_KEY, bilingual } from '../../components/ApprovalPanel';

/** The business types that go through approval, with their names in the interface language. */
export function useApprovalTypes() {
  const types = useQuery({
    queryKey: ['approval-types'],
    queryFn: () => api.get<{ items: ApprovalTypeDto[] }>('/approval-types').then((r) => r.items),
    staleTime: Infinity,
  });
  return useMemo(() => {
    const items = types.data ?? [];
    return {
      items,
      options: items.map((x) => ({ value: x.type, label: bilingual(x.label) })),
      label: (type: string) => {
        const found = items.find((x) => x.type === type);
        return found ? bilingual(found.label) : type;
      },
    };
  }, [types.data]);
}

/** How many approvals wait for me (the header badge), refreshed now and then and after each decision. */
export function useApprovalCounts() {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'counts'],
    queryFn: () => api.get<ApprovalCounts>('/approvals/counts'),
    refetchInterval: 2 * 60_000,
    staleTime: 15_000,
  });
}
