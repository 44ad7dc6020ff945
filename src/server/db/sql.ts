/**
 * A tiny composable SQL template: values become numbered parameters, nested
 * fragments are spliced in with their parameters renumbered. Identifiers are
 * never interpolated from input; `raw` is for trusted constants only.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
    /** Set by sql.prepared: the statement is prepared once per connection (PostgreSQL) and its plan reused. */
    readonly prepareAs?: string,
  ) {}

  /** Render to `$n` placeholders, starting after `offset` parameters. */
  toQuery(): { text: string; values: unknown[]; prepareAs?: string } {
    const values: unknown[] = [];
    const text = this.render(values);
    return { text, values, prepareAs: this.prepareAs };
  }

  private render(out: unknown[]): string {
    let text = this.strings[0];
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v instanceof Sql) text += v.render(out);
      else {
        out.push(v);
        text += `$${out.length}`;
      }
      text += this.strings[i + 1];
    }
    return text;
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (a constant or a whitelisted identifier), never user input. */
sql.raw = (text: string): Sql => new Sql([text], []);

sql.join = (parts: Sql[], separator = ', '): Sql => {
  if (parts.length === 0) return sql.raw('');
  const strings = [''];
  for (let i = 1; i < parts.length; i++) strings.push(separator);
  strings.push('');
  return new Sql(strings, parts);
};

/** `WHERE a AND b ...`, or nothing when there are no conditions. */
/** Falsy entries are skipped, so optional filters read `f.x && sql`...``. */
sql.where = (conditions: (Sql | false | '' | 0 | undefined | null)[]): Sql => {
  const parts = conditions.filter((c): c is Sql => c instanceof Sql);
  return parts.length ? sql`WHERE ${sql.join(parts, ' AND ')}` : sql.raw('');
};

sql.empty = sql.raw('');

/**
 * `LIMIT n` with n written into the text: a prepared statement's generic plan
 * then knows the limit (with a parameter PostgreSQL assumes a tenth of the rows
 * and sorts them all instead of reading an index in order).
 */
sql.limit = (n: number): Sql => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`LIMIT takes a count, not ${n}`);
  return sql.raw(`LIMIT ${n}`);
};

/**
 * A statement every request runs (the sign-in and data-scope lookups): on
 * PostgreSQL it is prepared once per connection, so after a few runs its plan
 * is reused instead of planned anew each time (planning was ~40 % of the
 * database time of a short request). Only for statements whose plan does not
 * depend on their values.
 */
sql.prepared = (name: string, q: Sql): Sql => new Sql(q.strings, q.values, name);

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c);

/** A LIKE/ILIKE pattern matching `text` anywhere, with its wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A LIKE pattern matching what starts with `text` (an index on the column with text_pattern_ops serves it). */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`;
}
