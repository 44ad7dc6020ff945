/**
 * A typed term looked up through indexes, for lists filtered by it (CUS-15).
 *
 * On a table with row-level security PostgreSQL uses an index only for
 * leakproof operators, and LIKE and the bigram array's @> are not: a term
 * tested on the table itself reads the tenant's whole table. So the term is
 * first looked up in a `*_search_keys` view (owned like its table and so not
 * under the policy; it applies the tenant condition itself and exposes only
 * search keys), one branch per index so that no bitmap recheck runs
 * crm_bigrams() on every row found; the rows found are then read from the
 * table, under the policy and the data scope.
 *
 * A term matching at most TERM_LOOKUP_MAX rows is served by its looked-up
 * matches; one matching more is common enough that walking the sorted list and
 * testing each row finds a page sooner. A statement holds both ways, each
 * behind a one-time filter (termGate), so that only one of them runs.
 */
import type { Queryable } from '../../db/database.js';
import { keysetOrder, type Keyset } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';

export const TERM_LOOKUP_MAX = 5000;

type SearchKeysView = 'customer_search_keys' | 'contact_search_keys';

/**
 * Terms seen to match more than TERM_LOOKUP_MAX rows of a tenant, with when
 * that knowledge expires. Their next lookups are skipped: the lookup of a
 * common term reads TERM_LOOKUP_MAX rows (~15 ms at 1M customers) only to
 * learn that the walk will serve. A hint for this process alone: the rows
 * answered are the same either way, so servers need not share it, and a term
 * that became rare is looked up again when its entry expires.
 */
const commonTerms = new Map<string, number>();
const COMMON_TERM_TTL_MS = 10 * 60_000;
const COMMON_TERMS_MAX = 10_000;
const termKey = (view: SearchKeysView, tenantId: number, term: string) => `${view}\u0000${tenantId}\u0000${term.trim().toLowerCase()}`;

/** Whether `term`'s lookup is being skipped as common (for tests and diagnostics). */
export const knownCommonTerm = (view: SearchKeysView, tenantId: number, term: string) => isKnownCommon(termKey(view, tenantId, term));

function isKnownCommon(key: string, now = Date.now()): boolean {
  const until = commonTerms.get(key);
  if (until === undefined) return false;
  if (until > now) return true;
  commonTerms.delete(key);
  return false;
}

function noteCommon(key: string): void {
  // the oldest entry goes first (a Map iterates in insertion order)
  if (commonTerms.size >= COMMON_TERMS_MAX) commonTerms.delete(commonTerms.keys().next().value!);
  commonTerms.delete(key);
  commonTerms.set(key, Date.now() + COMMON_TERM_TTL_MS);
}

/** A term's lookup: the statement head (`sql`) and what identifies the term for the common-term memory. */
export interface TermLookup {
  sql: Sql;
  key: string;
}

/**
 * The statement head that looks a term up (as `term_match`): `branches` are
 * conditions on the view's alias `s`, each served by one index. Null when the
 * term is known to be common: the rows are then tested one by one (mode undefined).
 */
export function termLookup(view: SearchKeysView, tenantId: number, term: string, branches: Sql[]): TermLookup | null {
  const key = termKey(view, tenantId, term);
  if (isKnownCommon(key)) return null;
  const selects = branches.map((p) => sql`SELECT s.id FROM ${sql.raw(view)} s WHERE s.tenant_id = ${tenantId} AND ${p}`);
  return { key, sql: sql`WITH term_match AS MATERIALIZED (SELECT id FROM (${sql.join(selects, ' UNION ALL ')}) x LIMIT ${TERM_LOOKUP_MAX + 1})` };
}

/**
 * How a term filters: undefined = by testing each row (no lookup); true = the
 * looked-up matches, when they are all there; false = testing each row, when
 * the lookup found too many.
 */
export type TermMode = boolean | undefined;

/** The conditions of a term on the row `id`: the lookup's matches or `rowTest`, and the gate of the mode. */
export function termConditions(mode: TermMode, id: Sql, rowTest: Sql): Sql[] {
  if (mode === undefined) return [rowTest];
  return [mode ? sql`${id} IN (SELECT id FROM term_match)` : rowTest, sql`(SELECT count(*) FROM term_match) ${sql.raw(mode ? '<=' : '>')} ${TERM_LOOKUP_MAX}`];
}

/**
 * Reads a page both ways (`page(true)`, `page(false)`; one of them runs), in the
 * page's keyset order; `sortColumn` is the keyset's column as the page names it
 * (`c.updated_at`). Rows that came the walking way mark the term as common.
 */
export async function readEitherWay<T>(q: Queryable, lookup: TermLookup, page: (mode: boolean) => Sql, k: Keyset, sortColumn: string, limit: number): Promise<T[]> {
  const outer: Keyset = { ...k, column: sql.raw(sortColumn.replace(/^\w+\./, 'r.')), id: sql`r.id` };
  const rows = await q.query<T & { term_common?: boolean }>(sql`${lookup.sql}
    SELECT * FROM ((SELECT a.*, false AS term_common FROM (${page(true)}) a) UNION ALL (SELECT b.*, true AS term_common FROM (${page(false)}) b)) r
    ${keysetOrder(outer)} LIMIT ${limit}`);
  if (rows.some((r) => r.term_common)) noteCommon(lookup.key);
  return rows;
}

/** A count (`count(mode)`, a parenthesised scalar subquery) with or without a lookup; with one, both ways are summed and one of them runs. */
export function eitherCount(lookup: TermLookup | null, count: (mode?: TermMode) => Sql): Sql {
  return lookup ? sql`${lookup.sql} SELECT ${count(true)} + ${count(false)} AS n` : sql`SELECT ${count()} AS n`;
}
