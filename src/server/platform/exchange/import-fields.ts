/** Field kinds that imports of several entities share: plain text, a form schema's check, a choice, a date, a region. */
import { Money } from '../../../common/money.js';
import { matchRegion } from '../regions/regions.js';
import { type ChoiceLookup, type ImportField, type ImportProblem, parseDate, parseMoney, parseYesNo, splitList } from './import.js';

type Apply<Row> = ImportField<Row>['apply'];

/** Text up to `max` characters. */
export const textInto =
  <Row>(max: number, set: (row: Row, value: string) => void): Apply<Row> =>
  (text, row) => {
    if (text.length > max) return 'too_long';
    set(row, text);
    return undefined;
  };

/** Text checked (and normalised) by the form's own schema, so a file passes exactly what the form would. */
export const checkedInto =
  <Row, T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, set: (row: Row, value: T) => void): Apply<Row> =>
  (text, row) => {
    const r = schema.safeParse(text);
    if (!r.success) return 'invalid';
    set(row, r.data);
    return undefined;
  };

/** One of a choice's options, by label or code. */
export const choiceInto =
  <Row>(lookup: ChoiceLookup, set: (row: Row, value: string) => void): Apply<Row> =>
  (text, row) => {
    const value = lookup.get(text);
    if (value === undefined) return 'unknown_option';
    set(row, value);
    return undefined;
  };

/** An amount as people write it ('¥1,234.50'), as the forms take it: not negative, at most two decimals. */
export const moneyInto =
  <Row>(set: (row: Row, value: string) => void): Apply<Row> =>
  (text, row) => {
    const checked = Money.safeParse(parseMoney(text));
    if (!checked.success) return 'invalid';
    set(row, checked.data);
    return undefined;
  };

export const dateInto =
  <Row>(set: (row: Row, value: string) => void): Apply<Row> =>
  (text, row) => {
    const date = parseDate(text);
    if (date === undefined) return 'invalid';
    set(row, date);
    return undefined;
  };

export const yesNoInto =
  <Row>(set: (row: Row, value: boolean) => void): Apply<Row> =>
  (text, row) => {
    const value = parseYesNo(text);
    if (value === undefined) return 'invalid';
    set(row, value);
    return undefined;
  };

/** Distinct region texts remembered per field: a file repeats a few thousand of them over a million rows, each ~15 µs to match. */
const REGION_MEMO_MAX = 20_000;

/** A region written as people write it ('广东深圳南山区', '上海 浦东新区'), as province, city and district codes. */
export const regionInto = <Row>(set: (row: Row, codes: { provinceCode: string; cityCode: string | null; districtCode: string | null }) => void): Apply<Row> => {
  const memo = new Map<string, ReturnType<typeof matchRegion>>();
  return (text, row): ImportProblem | undefined => {
    let r = memo.get(text);
    if (r === undefined) {
      r = matchRegion(text);
      if (memo.size >= REGION_MEMO_MAX) memo.clear();
      memo.set(text, r);
    }
    if (!r) return 'not_found';
    set(row, { provinceCode: r.provinceCode, cityCode: r.cityCode, districtCode: r.districtCode });
    return undefined;
  };
};

/** Tags in one cell ('重点、VIP'), as the forms allow them: at most 20, each at most 20 characters. */
export const tagsInto =
  <Row>(set: (row: Row, tags: string[]) => void): Apply<Row> =>
  (text, row) => {
    const tags = [...new Set(splitList(text))];
    if (tags.length > 20 || tags.some((t) => t.length > 20)) return 'too_long';
    set(row, tags);
    return undefined;
  };
