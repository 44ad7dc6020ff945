import { decodeCursor, encodeCursor } from '../platform/http/cursor.js';
import { sql, type Sql } from './sql.js';

/**
 * Keyset pagination on (sort column, id). The sort value travels in the cursor
 * as the database's own text form, so timestamps keep their microseconds and a
 * page boundary never skips or repeats a row.
 */
export interface Keyset {
  column: Sql;
  /** SQL type the cursor text is cast back to. */
  type: 'timestamptz' | 'date' | 'text' | 'bigint';
  id: Sql;
  order: 'asc' | 'desc';
}

export function keysetSelect(k: Keyset): Sql {
  return sql`${k.column}::text AS _sort_key`;
}

export function keysetAfter(k: Keyset, cursor: string | undefined): Sql | undefined {
  const after = decodeCursor(cursor, 2);
  if (!after) return undefined;
  const op = sql.raw(k.order === 'desc' ? '<' : '>');
  return sql`(${k.column}, ${k.id}) ${op} (${String(after[0])}::${sql.raw(k.type)}, ${Number(after[1])}::bigint)`;
}

export function keysetOrder(k: Keyset): Sql {
  const dir = sql.raw(k.order === 'desc' ? 'DESC' : 'ASC');
  return sql`ORDER BY ${k.column} ${dir}, ${k.id} ${dir}`;
}

/** Cuts rows fetched with LIMIT limit + 1 into a page; strips the sort key. */
export function keysetPage<T extends { id: number; _sort_key?: string }>(
  rows: T[],
  limit: number,
): { items: Omit<T, '_sort_key'>[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor([last._sort_key, last.id]) : null;
  return { items: page.map(({ _sort_key, ...rest }) => rest), nextCursor };
}
