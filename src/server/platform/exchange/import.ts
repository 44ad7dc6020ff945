/**
 * What an import of any entity is (CUS-16): its fields, each turning a cell's
 * text into the record's value, and how a batch of parsed rows meets the
 * database (duplicates, insert, update, undo). The job machinery
 * (modules/imports) is the same for every entity; each entity brings one
 * ImportDefinition.
 */
import type { Permission } from '../../../common/permissions.js';
import type { Locale } from '../../../common/schemas/common.js';
import type { ImportEntity, ImportFieldDto } from '../../../common/schemas/imports.js';
import type { Queryable } from '../../db/database.js';
import type { Sql } from '../../db/sql.js';
import { restrictedFields } from '../access/field-access.js';
import type { Actor } from '../auth/actor.js';

/** Why a cell's text cannot be stored. */
export type ImportProblem = 'required' | 'invalid' | 'unknown_option' | 'too_long' | 'ambiguous' | 'not_found' | 'not_allowed';

const PROBLEMS: Record<ImportProblem, Record<Locale, string>> = {
  required: { 'zh-CN': '不能为空', en: 'is required' },
  invalid: { 'zh-CN': '格式不正确', en: 'is not valid' },
  unknown_option: { 'zh-CN': '不是可选的值', en: 'is not one of the options' },
  too_long: { 'zh-CN': '太长', en: 'is too long' },
  ambiguous: { 'zh-CN': '对应多个记录，请写得更具体', en: 'matches several records; be more specific' },
  not_found: { 'zh-CN': '找不到对应的记录', en: 'matches no record' },
  not_allowed: { 'zh-CN': '无权使用该值', en: 'is not allowed for you' },
};

/** '手机：格式不正确' / 'Mobile: is not valid'. */
export const problemText = (locale: Locale, label: string, problem: ImportProblem) =>
  locale === 'zh-CN' ? `${label}：${PROBLEMS[problem][locale]}` : `${label}: ${PROBLEMS[problem][locale]}`;

/** One field a column can fill; `apply` stores the text's value on the row, or names the problem. */
export interface ImportField<Row> {
  key: string;
  label: string;
  /** Other headers taken for this field when guessing the mapping. */
  aliases?: readonly string[];
  required?: boolean;
  options?: string[];
  hint?: string;
  apply(text: string, row: Row): ImportProblem | undefined;
}

/** A row as the file gives it: its number and the mapped fields' texts. */
export interface SourceRow {
  rowNumber: number;
  cells: string[];
}

/** An existing record a row duplicates, by which rule, and whether the importing user may change it. */
export interface DuplicateHit {
  id: number;
  name: string;
  /** The field label of the matching rule. */
  rule: string;
  /** A refuse-mode rule: the row cannot be created beside it. */
  refuse: boolean;
  writable: boolean;
}

/** A change-log entry's field and its value before the change. */
export type FieldBefore = { field: string; before: unknown };

/** The outcome of one row written by `write`. */
export type WriteOutcome = { created: number } | { updated: number } | { failed: string };

/** An entity's import as prepared for one job or preview: dictionaries, users and custom fields read once. */
export interface PreparedImport<Row> {
  fields: ImportField<Row>[];
  /** A fresh row with the defaults (owner, status ...). */
  newRow(): Row;
  /** Checks that need the whole row (after every field applied); messages already in the job's language. */
  finish?(row: Row): string[];
  /**
   * Related records named in the rows (a contact's customer by name, code or
   * credit code) looked up for the whole batch; per row the reason it cannot
   * be imported, if any.
   */
  resolve?(q: Queryable, rows: Row[]): Promise<(string | undefined)[]>;
  /** The keys that make two rows of one file the same record (e.g. the customer name, a mobile under a refusing duplicate rule). */
  identities(row: Row): string[];
  /** The existing record each row duplicates under the company's rules, if any. */
  duplicates(q: Queryable, rows: Row[]): Promise<(DuplicateHit | undefined)[]>;
  /** Creates the rows (all checked) and returns their ids, in order; `jobId` marks them as this import's (undo). */
  insert(q: Queryable, rows: Row[], jobId: number): Promise<number[]>;
  /** Writes the rows' values over the records they duplicate (update mode): only the fields the file filled (`fields`). */
  update(q: Queryable, items: { id: number; row: Row; fields: ReadonlySet<string> }[]): Promise<void>;
}

export interface ImportDefinition<Row> {
  entity: ImportEntity;
  permission: Permission;
  /** The template's and the failed-rows file's name. */
  title: Record<Locale, string>;
  prepare(q: Queryable, actor: Actor, locale: Locale, options: { ownerId: number | null }): Promise<PreparedImport<Row>>;
  /**
   * Of a job's records never updated since, the ones undo may still take back
   * (an SQL condition on alias `x`): nobody built on them (a follow-up, a conversion ...).
   */
  untouched: Sql;
  /**
   * Sets a record the job updated back to its values before, as the update's
   * change-log entries (`changes`) say (see inputBefore), through the entity's
   * own update so that its rules and change log apply; absent for an entity
   * without update mode.
   */
  restore?(q: Queryable, actor: Actor, id: number, changes: FieldBefore[]): Promise<void>;
}

/**
 * The input that sets `fields` of a record back to what a change-log entry
 * says they were (custom fields under `custom`, a value of null clearing one).
 */
export function inputBefore(changes: FieldBefore[], fields: readonly string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const c of changes) {
    if (c.field.startsWith('custom.')) custom[c.field.slice('custom.'.length)] = c.before ?? null;
    else if (fields.includes(c.field)) input[c.field] = c.before ?? null;
  }
  return Object.keys(custom).length ? { ...input, custom } : input;
}

/**
 * An entity's import prepared for the actor: without the fields their roles
 * hide or make read-only (ORG-6), so neither the template, the mapping nor a
 * row can fill them.
 */
export async function prepareImport<Row>(
  q: Queryable,
  definition: ImportDefinition<Row>,
  actor: Actor,
  locale: Locale,
  options: { ownerId: number | null },
): Promise<PreparedImport<Row>> {
  const prepared = await definition.prepare(q, actor, locale, options);
  const restricted = restrictedFields(actor, definition.entity);
  return restricted.size ? { ...prepared, fields: prepared.fields.filter((f) => !restricted.has(f.key)) } : prepared;
}

export const fieldDto = <Row>(f: ImportField<Row>): ImportFieldDto => ({
  key: f.key,
  label: f.label,
  required: f.required ?? false,
  ...(f.options ? { options: f.options } : {}),
  ...(f.hint ? { hint: f.hint } : {}),
});

/** A header as compared with field labels: no spaces, no required mark, no brackets' content, lower case. */
export const headerKey = (header: string) =>
  header
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s*＊:：_\-]/g, '')
    .toLowerCase();

/**
 * The field each column most likely fills: the user's remembered choice for
 * that header, else a field whose label, key or alias is the header. A field
 * is taken by one column at most.
 */
export function guessMapping<Row>(headers: readonly string[], fields: readonly ImportField<Row>[], remembered: Record<string, string>): (string | null)[] {
  const known = new Set(fields.map((f) => f.key));
  const byName = new Map<string, string>();
  for (const f of fields) for (const name of [f.label, f.key, ...(f.aliases ?? [])]) if (!byName.has(headerKey(name))) byName.set(headerKey(name), f.key);
  const taken = new Set<string>();
  return headers.map((h) => {
    const key = headerKey(h);
    const remember = remembered[key];
    const field = remember && known.has(remember) ? remember : byName.get(key);
    if (!field || taken.has(field)) return null;
    taken.add(field);
    return field;
  });
}

/** A row's texts by field key, as the mapping reads them from its cells (empty cells left out). */
export function mappedTexts(mapping: readonly (string | null)[], cells: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  mapping.forEach((key, i) => {
    const text = (cells[i] ?? '').trim();
    if (key && text) out.set(key, text);
  });
  return out;
}

/** The row a file line becomes, or the reasons it cannot be imported (in the job's language). */
export function parseRow<Row>(prepared: PreparedImport<Row>, locale: Locale, texts: Map<string, string>): { row: Row } | { errors: string[] } {
  const row = prepared.newRow();
  const errors: string[] = [];
  for (const field of prepared.fields) {
    const text = texts.get(field.key);
    if (text === undefined) {
      if (field.required) errors.push(problemText(locale, field.label, 'required'));
      continue;
    }
    const problem = field.apply(text, row);
    if (problem) errors.push(problemText(locale, field.label, problem));
  }
  if (!errors.length && prepared.finish) errors.push(...prepared.finish(row));
  return errors.length ? { errors } : { row };
}

// ----------------------------------------------------------------- cell texts

const TRUE_TEXTS = new Set(['是', '对', 'y', 'yes', 'true', '1', '√', 'x']);
const FALSE_TEXTS = new Set(['否', '不', 'n', 'no', 'false', '0', '']);

/** 是/否, yes/no, TRUE/FALSE, 1/0. */
export function parseYesNo(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return TRUE_TEXTS.has(t) ? true : FALSE_TEXTS.has(t) ? false : undefined;
}

/** '2026-12-07', '2026/12/7', '2026年12月7日', '20261207' (a reader's date cell is '2026-12-07' already); time of day ignored. */
export function parseDate(text: string): string | undefined {
  const m = /^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))(?:[ T].*)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? m[4]), Number(m[3] ?? m[5])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A number as people write it: '1,234.5', '１２３', ' 12 '. */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[,，\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/** Amounts keep their digits as text (never a float on the way): '1,234.50' → '1234.50'. */
export function parseMoney(text: string): string | undefined {
  const t = text.replace(/[,，\s¥￥]/g, '');
  return /^-?\d{1,16}(\.\d{1,2})?$/.test(t) ? t : undefined;
}

/** Items of a list cell: '重点、VIP, 华东' → ['重点', 'VIP', '华东']. */
export const splitList = (text: string) =>
  text
    .split(/[,，、;；|\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

const choiceKey = (text: string) => text.replace(/\s+/g, '').toLowerCase();

/**
 * Choice options by what a user may write: the label (as shown), the stored
 * code, case and spacing ignored.
 */
export class ChoiceLookup {
  private readonly byText = new Map<string, string>();
  constructor(readonly labels: string[]) {}
  add(value: string, ...texts: string[]) {
    for (const t of texts) {
      const key = choiceKey(t);
      if (key && !this.byText.has(key)) this.byText.set(key, value);
    }
    return this;
  }
  get(text: string): string | undefined {
    return this.byText.get(choiceKey(text));
  }
}
