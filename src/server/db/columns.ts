import { sql, type Sql } from './sql.js';

/**
 * The API field ↔ column mapping of an entity's plainly stored fields, so an
 * insert, an update and the change log take the same list: the fields present
 * in `values` become `column = value` pairs (with a cast where the column needs
 * one), and a row reads back under the API's names.
 */
export function columnMap<const M extends Record<string, string>>(map: M, casts: Partial<Record<keyof M, string>> = {}) {
  type Field = keyof M & string;
  const fields = Object.keys(map) as Field[];
  return {
    fields,
    entries(values: Partial<Record<Field, unknown>>): { column: Sql; value: Sql }[] {
      return fields
        .filter((f) => values[f] !== undefined)
        .map((f) => ({ column: sql.raw(map[f]!), value: casts[f] ? sql`${values[f]}::${sql.raw(casts[f]!)}` : sql`${values[f]}` }));
    },
    fromRow(row: object): Record<Field, unknown> {
      const r = row as Record<string, unknown>;
      return Object.fromEntries(fields.map((f) => [f, r[map[f]!]])) as Record<Field, unknown>;
    },
  };
}

export type ColumnValues<C extends { fields: readonly string[] }> = Partial<Record<C['fields'][number], unknown>>;

/** One column of a batch: its name in the row source, its element type, its values in row order. */
export interface BatchColumn {
  name: string;
  type: string;
  values: readonly unknown[];
}

/**
 * A batch of rows as one row source: unnest() of one typed array per column,
 * numbered by `ord` (1-based), so a whole batch is one statement whatever its size.
 */
export function unnestRows(alias: string, columns: BatchColumn[]): Sql {
  const arrays = columns.map((c) => sql`${c.values as unknown[]}::${sql.raw(c.type)}[]`);
  return sql`unnest(${sql.join(arrays, ', ')}) WITH ORDINALITY AS ${sql.raw(alias)}(${sql.raw(columns.map((c) => c.name).join(', '))}, ord)`;
}
