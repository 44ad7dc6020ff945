import { z } from 'zod';

/** Record ids are positive bigint identities, sent as numbers (or strings in paths and queries). */
export const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** For requests that carry no input; anything sent is refused. */
export const EmptyBody = z.object({}).strict();

export const IdParams = z.object({ id: Id }).strict();

export const MAX_PAGE_SIZE = 200;
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(500).optional(),
});

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

/** Mainland China mobile number: 11 digits starting with 1[3-9]; an optional +86 is stripped. */
export const Mobile = z
  .string()
  .trim()
  .transform((s) => s.replace(/^\+?86[- ]?/, '').replace(/[ -]/g, ''))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, { error: 'mobile' }));

export const Email = z.string().trim().toLowerCase().pipe(z.email().max(254));

export const PASSWORD_MIN = 8;
export const Password = z.string().min(PASSWORD_MIN).max(128);

export const Name = (max: number) => z.string().trim().min(1).max(max);

export const IsoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const SortOrder = z.enum(['asc', 'desc']).default('desc');

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    fields?: { path: string; message: string }[];
  };
}
