import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Department } from '../api/types';

export const DEPARTMENTS_KEY = ['departments'] as const;

/** The whole department list (it is small); cached for every select and the tree page. */
export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: DEPARTMENTS_KEY,
    queryFn: () => api.get<{ items: Department[] }>('/departments').then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

export interface DepartmentNode extends Department {
  children: DepartmentNode[];
}

/** Nests the flat list by parentId; the server's order (by sort) is kept among siblings. */
export function buildDepartmentTree(items: Department[]): DepartmentNode[] {
  const nodes = new Map(items.map((d) => [d.id, { ...d, children: [] as DepartmentNode[] }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** A department and everything under it: where it may not be moved to. */
export function subtreeIds(items: Department[], id: number): Set<number> {
  const ids = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of items) {
      if (d.parentId !== null && ids.has(d.parentId) && !ids.has(d.id)) {
        ids.add(d.id);
        grew = true;
      }
    }
  }
  return ids;
}
