import { describe, expect, it } from 'vitest';
import { crossRate } from '../../../common/money.js';
import { bestRule, discounted, discountPercent, type DiscountRule, maxDiscount } from './pricing.js';
import { convert } from '../../../common/money.js';

const rule = (r: Partial<DiscountRule> & { id: number; percent: string }): DiscountRule => ({
  kind: 'quantity', minQuantity: '1', levelCode: null, productId: null, categoryId: null, enabled: true, ...r,
});
const line = { productId: 7, categoryPath: [3, 1], quantity: '10', levelCode: 'a' };

describe('pricing rules', () => {
  it('picks the largest applicable discount, the oldest on a tie', () => {
    const rules = [
      rule({ id: 1, percent: '5', minQuantity: '10' }),
      rule({ id: 2, percent: '8', minQuantity: '10.001' }), // not reached
      rule({ id: 3, percent: '6', categoryId: 1 }), // an ancestor category
      rule({ id: 4, percent: '9', categoryId: 2 }), // another branch
      rule({ id: 5, percent: '7', productId: 8 }), // another product
      rule({ id: 6, percent: '6', kind: 'customer_level', minQuantity: null, levelCode: 'a' }),
      rule({ id: 7, percent: '50', enabled: false }),
    ];
    expect(bestRule(rules, line)?.id).toBe(3);
    expect(bestRule(rules, { ...line, levelCode: 'b', categoryPath: [] })?.id).toBe(1);
    expect(bestRule([rule({ id: 1, percent: '0' })], line)).toBeNull();
  });

  it('computes prices and discounts exactly', () => {
    expect(discounted('900.00', '5')).toBe('855.00');
    expect(discounted('0.05', '50')).toBe('0.03'); // half away from zero
    expect(discounted('1000', '7.77')).toBe('922.30');
    expect(discountPercent('1000.00', '855.00')).toBe('14.50');
    expect(discountPercent('3.00', '1.00')).toBe('66.67');
    expect(discountPercent('0.00', '0.00')).toBe('0.00');
    expect(discountPercent('100.00', '120.00')).toBe('0.00');
    expect(convert('1000.00', crossRate('1', '7.2'))).toBe('138.89');
    expect(convert('100.00', crossRate('7.8', '0.92'))).toBe('847.83');
  });

  it('limits a user by the highest of their roles, administrators not at all', () => {
    expect(maxDiscount([], false)).toBe('0.00');
    expect(maxDiscount(['10', '20.5', '15'], false)).toBe('20.50');
    expect(maxDiscount(['10'], true)).toBe('100.00');
  });
});
