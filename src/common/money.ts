/**
 * Money arithmetic (SAL-4/5/11), shared by the server (which computes every
 * stored total) and the web app (which previews them). Amounts travel as
 * decimal strings ("1234.50") and are stored as numeric(15,2); arithmetic is
 * exact decimal (decimal.js), never binary floating point. Rounding to cents
 * is half away from zero (四舍五入), as Chinese invoices do, and happens once
 * per line and once per tax or conversion, never on intermediate products.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';

/** A private Decimal: 40 significant digits, half-up rounding; other users of decimal.js keep their settings. */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Num = string | number | Decimal;

/** Largest amount stored (numeric(15,2)). */
export const MONEY_MAX = '9999999999999.99';

/** An amount as the API takes it: up to 13 integer digits and 2 decimals, sign allowed where the schema says. */
export const Money = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,13}(\.\d{1,2})?$/, { error: 'invalid' }));
/** A quantity: up to 10 integer digits and 3 decimals (公斤, 小时), more than zero. */
export const Quantity = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,10}(\.\d{1,3})?$/, { error: 'invalid' }))
  .refine((v) => new D(v).gt(0), { error: 'invalid' });
/** A percentage 0–100 with up to 2 decimals (discount, tax rate). */
export const Percent = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,3}(\.\d{1,2})?$/, { error: 'invalid' }))
  .refine((v) => new D(v).lte(100), { error: 'invalid' });
/** An ISO 4217 currency code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, { error: 'invalid' });

/** Rounds to cents and formats with exactly two decimals. */
export function cents(v: Num): string {
  return new D(v).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
}

export function add(...vs: Num[]): string {
  return cents(vs.reduce<Decimal>((s, v) => s.plus(v), new D(0)));
}

export function sub(a: Num, b: Num): string {
  return cents(new D(a).minus(b));
}

/** a < b: -1, a = b: 0, a > b: 1. */
export function compare(a: Num, b: Num): -1 | 0 | 1 {
  return new D(a).comparedTo(b) as -1 | 0 | 1;
}

export interface LineInput {
  price: Num;
  quantity: Num;
  /** Percent off the price (0–100). */
  discount?: Num;
}

/** A line's amount: price × quantity × (1 − discount %), rounded once. */
export function lineAmount(l: LineInput): string {
  const factor = new D(100).minus(l.discount ?? 0).div(100);
  return cents(new D(l.price).times(l.quantity).times(factor));
}

/** Tax on an amount at a rate in percent, rounded once. */
export function taxOn(amount: Num, ratePercent: Num): string {
  return cents(new D(amount).times(ratePercent).div(100));
}

export interface Totals {
  /** Sum of the lines' list amounts (price × quantity). */
  listTotal: string;
  /** Sum of the line amounts after line discounts. */
  subtotal: string;
  /** Off the subtotal: the whole-document discount. */
  discountAmount: string;
  tax: string;
  /** subtotal − discountAmount + tax. */
  total: string;
  /** The overall discount in percent of the list total (for approval thresholds), 2 decimals. */
  effectiveDiscount: string;
}

/**
 * The totals of a quote, an opportunity or a contract: line amounts, then an
 * optional whole-document discount in percent, then tax on what remains.
 */
export function totals(lines: LineInput[], opts: { discount?: Num; taxRate?: Num } = {}): Totals {
  const listTotal = add(...lines.map((l) => new D(l.price).times(l.quantity)));
  const subtotal = add(...lines.map(lineAmount));
  const discountAmount = cents(new D(subtotal).times(opts.discount ?? 0).div(100));
  const taxable = sub(subtotal, discountAmount);
  const tax = taxOn(taxable, opts.taxRate ?? 0);
  const total = add(taxable, tax);
  return { listTotal, subtotal, discountAmount, tax, total, effectiveDiscount: percentBelow(listTotal, taxable) };
}

/** How many percent `value` is below `reference` (2 decimals; 0 when it is not below, or the reference is not positive). */
export function percentBelow(reference: Num, value: Num): string {
  const ref = new D(reference);
  if (ref.lte(0) || ref.lte(value)) return '0.00';
  return ref.minus(value).div(ref).times(100).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
}

/**
 * The rate from one currency to another through the company currency, both
 * given as stored ("one unit is worth `rate` company units"; the company currency: 1).
 */
export function crossRate(fromRate: Num, toRate: Num): string {
  return new D(fromRate).div(toRate).toSignificantDigits(20).toString();
}

/**
 * An amount in another currency: `rate` is what one unit of the amount's
 * currency is worth in the target currency (an exchange rate as stored).
 */
export function convert(amount: Num, rate: Num): string {
  return cents(new D(amount).times(rate));
}

/** Weighted amount: amount × win rate in percent (the weighted pipeline). */
export function weighted(amount: Num, ratePercent: Num): string {
  return cents(new D(amount).times(ratePercent).div(100));
}

/** Splits an amount into `n` instalments that add up exactly (the last takes the remainder). */
export function split(amount: Num, n: number): string[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
  const each = new D(amount).div(n).toDecimalPlaces(2, D.ROUND_DOWN);
  const parts = Array.from({ length: n - 1 }, () => each.toFixed(2));
  return [...parts, sub(amount, each.times(n - 1))];
}

/** Formats for display with thousands separators: 1234567.5 → "1,234,567.50". */
export function formatMoney(v: Num, currency?: string): string {
  const [int, frac] = cents(v).split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  const grouped = int!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const symbol = currency ? (CURRENCY_SYMBOLS[currency] ?? `${currency} `) : '';
  return `${sign}${symbol}${grouped}.${frac}`;
}

const CURRENCY_SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', EUR: '€', HKD: 'HK$', JPY: '¥', GBP: '£' };

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/**
 * An amount in Chinese capital numerals as contracts and invoices write it
 * (大写金额): 10086.5 → "壹万零捌拾陆元伍角整"; 0.35 → "叁角伍分"; 0 → "零元整".
 */
export function amountInWords(v: Num): string {
  const [int, frac] = cents(v).replace('-', '').split('.') as [string, string];
  const negative = new D(v).isNegative() && !new D(cents(v)).isZero();
  const groups: string[] = [];
  for (let end = int.length; end > 0; end -= 4) groups.unshift(int.slice(Math.max(0, end - 4), end));
  let words = '';
  let zeroPending = false;
  groups.forEach((g, gi) => {
    const big = BIG_UNITS[groups.length - 1 - gi]!;
    let groupWords = '';
    for (let i = 0; i < g.length; i++) {
      const d = Number(g[i]);
      const unit = SMALL_UNITS[g.length - 1 - i]!;
      if (d === 0) {
        zeroPending = true;
        continue;
      }
      if (zeroPending && (words || groupWords)) groupWords += '零';
      zeroPending = false;
      groupWords += DIGITS[d] + unit;
    }
    if (groupWords) words += groupWords + big;
    // a group of four zeros still separates what is around it with one 零
    else if (words) zeroPending = true;
  });
  if (!words) words = '零';
  words += '元';
  const [jiao, fen] = [Number(frac[0]), Number(frac[1])];
  if (!jiao && !fen) return `${negative ? '负' : ''}${words}整`;
  if (jiao) words += DIGITS[jiao] + '角';
  else if (words !== '零元') words += '零';
  if (fen) words += DIGITS[fen] + '分';
  else words += '整';
  return (negative ? '负' : '') + words.replace(/^零元/, '');
}

/** `value` as a percentage of `reference` with one decimal (target achievement); null when the reference is not positive. */
export function percentOf(value: Num, reference: Num): string | null {
  const ref = new D(reference);
  if (ref.lte(0)) return null;
  return new D(value).div(ref).times(100).toDecimalPlaces(1, D.ROUND_HALF_UP).toFixed(1);
}
