/**
 * How a typed term finds a record by name (CUS-15): Chinese of two characters or
 * more through the bigram index, anything through ILIKE, and letters also as
 * the start of the name's pinyin or pinyin initials (bjyf → 北京云帆).
 */
import { pinyin } from 'pinyin-pro';
import { columnMap } from '../../db/columns.js';
import { containsPattern, sql, type Sql } from '../../db/sql.js';

/** Pinyin of the Chinese characters of a name, for prefix search: 'beijingyunfan', 'bjyf'. */
export function pinyinKeys(text: string): { full: string | null; initials: string | null } {
  const syllables = pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }).filter((s) => /^[a-z]+$/.test(s));
  if (!syllables.length) return { full: null, initials: null };
  return { full: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

/** The columns holding a name's pinyin keys, on every table searched by name. */
export const PINYIN_COLUMNS = columnMap({ pinyinFull: 'pinyin_full', pinyinInitials: 'pinyin_initials' });

export function pinyinValues(name: string) {
  const k = pinyinKeys(name);
  return { pinyinFull: k.full, pinyinInitials: k.initials };
}

const LETTERS = /^[a-z]+$/i;

/** The ways a term matches a name; `indexed`: each is a condition one index serves (not so a single character: ILIKE alone). */
function alternatives(alias: string, term: string, opts: { code?: boolean }): { parts: Sql[]; indexed: boolean } {
  const a = sql.raw(alias);
  const compact = term.replace(/\s+/g, '');
  const indexed = compact.length >= 2;
  // ILIKE first: on rows tested one by one it is cheap and mostly false, while crm_bigrams() costs ~6 µs a row
  const parts = [indexed ? sql`(${a}.name ILIKE ${containsPattern(term)} AND crm_bigrams(${a}.name) @> crm_bigrams(${term}))` : sql`${a}.name ILIKE ${containsPattern(term)}`];
  if (LETTERS.test(compact)) {
    const prefix = `${compact.toLowerCase()}%`;
    parts.push(sql`${a}.pinyin_initials LIKE ${prefix}`, sql`${a}.pinyin_full LIKE ${prefix}`);
  }
  if (opts.code) parts.push(sql`${a}.code LIKE ${`${compact.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return { parts, indexed };
}

export function nameMatchSql(alias: string, term: string, opts: { code?: boolean } = {}): Sql {
  const { parts } = alternatives(alias, term, opts);
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, ' OR ')})`;
}

/** The conditions of nameMatchSql one by one, each served by its own index; null when one of them needs a scan. */
export function nameMatchParts(alias: string, term: string, opts: { code?: boolean } = {}): Sql[] | null {
  const { parts, indexed } = alternatives(alias, term, opts);
  return indexed ? parts : null;
}
