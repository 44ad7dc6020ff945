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
import { keysetOrder, type Keyset } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';

export const TERM_LOOKUP_MAX = 5000;

/**
 * The statement head that looks a term up (as `term_match`): `branches` are
 * conditions on the view's alias `s`, each served by one index.
 */
export function termLookup(view: 'customer_search_keys' | 'contact_search_keys', tenantId: number, branches: Sql[]): Sql {
  const selects = branches.map((p) => sql`SELECT s.id FROM ${sql.raw(view)} s WHERE s.tenant_id = ${tenantId} AND ${p}`);
  return sql`WITH term_match AS MATERIALIZED (SELECT id FROM (${sql.join(selects, ' UNION ALL ')}) x LIMIT ${TERM_LOOKUP_MAX + 1})`;
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
 * A page read both ways (`page(true)`, `page(false)`; one of them runs), in the page's keyset
 * order; `sortColumn` is the keyset's column as the page names it (`c.updated_at`).
 */
export function eitherWay(lookup: Sql, page: (mode: boolean) => Sql, k: Keyset, sortColumn: string, limit: number): Sql {
  const outer: Keyset = { ...k, column: sql.raw(sortColumn.replace(/^\w+\./, 'r.')), id: sql`r.id` };
  return sql`${lookup} SELECT * FROM ((${page(true)}) UNION ALL (${page(false)})) r ${keysetOrder(outer)} LIMIT ${limit}`;
}

/** A count (`count(mode)`, a parenthesised scalar subquery) with or without a lookup; with one, both ways are summed and one of them runs. */
export function eitherCount(lookup: Sql | null, count: (mode?: TermMode) => Sql): Sql {
  return lookup ? sql`${lookup} SELECT ${count(true)} + ${count(false)} AS n` : sql`SELECT ${count()} AS n`;
}
