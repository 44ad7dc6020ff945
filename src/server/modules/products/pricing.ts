/**
 * Pure pricing rules (SAL-4): which discount rule applies to a line and what
 * the unit price comes to. Amounts are decimal strings; all arithmetic goes
 * through money.ts.
 */
import { cents, compare, lineAmount, percentBelow } from '../../../common/money.js';

export interface DiscountRule {
  id: number;
  kind: 'quantity' | 'customer_level';
  minQuantity: string | null;
  levelCode: string | null;
  productId: number | null;
  categoryId: number | null;
  percent: string;
  enabled: boolean;
}

export interface LineContext {
  productId: number;
  /** The product's category and its ancestors (a rule on a category covers its sub-categories). */
  categoryPath: number[];
  quantity: string;
  levelCode: string | null;
}

export function ruleApplies(r: DiscountRule, c: LineContext): boolean {
  if (!r.enabled) return false;
  if (r.productId !== null && r.productId !== c.productId) return false;
  if (r.categoryId !== null && !c.categoryPath.includes(r.categoryId)) return false;
  if (r.kind === 'quantity') return r.minQuantity !== null && compare(c.quantity, r.minQuantity) >= 0;
  return r.levelCode !== null && r.levelCode === c.levelCode;
}

/** The one rule that gives the line its discount: the largest percent (rules do not stack); on a tie, the oldest. */
export function bestRule(rules: DiscountRule[], c: LineContext): DiscountRule | null {
  let best: DiscountRule | null = null;
  for (const r of rules) {
    if (!ruleApplies(r, c) || compare(r.percent, 0) <= 0) continue;
    const order = best ? compare(r.percent, best.percent) : 1;
    if (order > 0 || (order === 0 && r.id < best!.id)) best = r;
  }
  return best;
}

/** A unit price less a percent, rounded to cents. */
export const discounted = (price: string, percent: string) => lineAmount({ price, quantity: 1, discount: percent });

/** How many percent below the list price `price` is (2 decimals; 0 when the list price is 0 or lower). */
export const discountPercent = (listPrice: string, price: string): string => percentBelow(listPrice, price);

/** The highest of a user's role limits (none: 0); administrators are not limited. */
export function maxDiscount(roleLimits: string[], isAdmin: boolean): string {
  if (isAdmin) return '100.00';
  return roleLimits.reduce((m, l) => (compare(l, m) > 0 ? cents(l) : m), '0.00');
}
