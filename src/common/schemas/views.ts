import { z } from 'zod';

export const VIEW_ENTITIES = ['customer', 'contact', 'lead'] as const;
export type ViewEntity = (typeof VIEW_ENTITIES)[number];

/** Column keys of a list, in order ("custom.cf_x" for a custom field). */
export const ListColumns = z.array(z.string().regex(/^[A-Za-z0-9_.]{1,60}$/)).max(60);

/** The list's query parameters as a view keeps them (paging excluded). */
export const ViewFilters = z
  .record(z.string().regex(/^[A-Za-z0-9_]{1,40}$/), z.union([z.string().max(2000), z.number(), z.boolean()]))
  .refine((f) => !('cursor' in f) && !('limit' in f), { error: 'invalid' });

/** A saved filter view (场景): sort is "field:order", e.g. "createdAt:desc". */
export const ViewBody = z
  .object({
    name: z.string().trim().min(1).max(50),
    shared: z.boolean().default(false),
    filters: ViewFilters.default({}),
    columns: ListColumns.default([]),
    sort: z.string().max(40).nullable().default(null),
  })
  .strict();

export interface SavedViewDto {
  id: number;
  entity: ViewEntity;
  name: string;
  ownerId: number;
  ownerName: string;
  shared: boolean;
  filters: Record<string, string | number | boolean>;
  columns: string[];
  sort: string | null;
  /** The caller's own view (others' shared views are read only unless the caller may share views). */
  mine: boolean;
}
