import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, amountInWords, cents, compare, convert, formatMoney, lineAmount, Money, Percent, Quantity, split, taxOn, totals, weighted } from './money.js';

describe('money arithmetic', () => {
  it('rounds half away from zero to cents, without binary floating point errors', () => {
    expect(cents('0.005')).toBe('0.01');
    expect(cents('2.675')).toBe('2.68'); // 2.675 as a double is 2.67499…
    expect(cents('-0.005')).toBe('-0.01');
    expect(cents('1.004')).toBe('1.00');
    expect(add('0.1', '0.2')).toBe('0.30');
    expect(add()).toBe('0.00');
    expect(compare('10.00', '9.99')).toBe(1);
    expect(compare('10', '10.00')).toBe(0);
  });

  it('computes line amounts with discounts, rounded once per line', () => {
    expect(lineAmount({ price: '19.99', quantity: '3' })).toBe('59.97');
    expect(lineAmount({ price: '19.99', quantity: '3', discount: '15' })).toBe('50.97'); // 50.9745
    expect(lineAmount({ price: '0.33', quantity: '0.5', discount: '0' })).toBe('0.17'); // 0.165
    expect(lineAmount({ price: '1000', quantity: '1.125', discount: '12.5' })).toBe('984.38'); // 984.375
    expect(lineAmount({ price: '88', quantity: '2', discount: '100' })).toBe('0.00');
  });

  it('computes tax and document totals exactly', () => {
    expect(taxOn('100.00', '13')).toBe('13.00');
    expect(taxOn('50.97', '13')).toBe('6.63'); // 6.6261
    expect(taxOn('0.05', '6')).toBe('0.00'); // 0.003
    const t = totals(
      [
        { price: '19.99', quantity: '3', discount: '15' }, // 50.97 of 59.97
        { price: '1200', quantity: '2' }, // 2400.00
      ],
      { discount: '5', taxRate: '13' },
    );
    expect(t).toEqual({
      listTotal: '2459.97',
      subtotal: '2450.97',
      discountAmount: '122.55', // 122.5485
      tax: '302.69', // 13 % of 2328.42 = 302.6946
      total: '2631.11',
      effectiveDiscount: '5.35', // (2459.97 − 2328.42) / 2459.97 = 5.3476 %
    });
    expect(totals([])).toEqual({ listTotal: '0.00', subtotal: '0.00', discountAmount: '0.00', tax: '0.00', total: '0.00', effectiveDiscount: '0.00' });
  });

  it('converts currencies at a stored rate and weights by win rate', () => {
    expect(convert('100.00', '7.1234')).toBe('712.34');
    expect(convert('1.00', '0.13845678')).toBe('0.14');
    expect(convert('12345.67', '0.91')).toBe('11234.56'); // 11234.5597
    expect(weighted('10000.00', '35')).toBe('3500.00');
    expect(weighted('333.33', '33.33')).toBe('111.10'); // 111.099
  });

  it('splits an amount into instalments that add up exactly', () => {
    expect(split('100.00', 3)).toEqual(['33.33', '33.33', '33.34']);
    expect(split('0.05', 2)).toEqual(['0.02', '0.03']);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 1, max: 36 }), (c, n) => {
        const amount = (c / 100).toFixed(2);
        const parts = split(amount, n);
        return parts.length === n && add(...parts) === amount && parts.every((p) => compare(p, 0) >= 0);
      }),
    );
  });

  it('writes amounts in Chinese capital numerals (大写金额)', () => {
    expect(amountInWords('0')).toBe('零元整');
    expect(amountInWords('10086.5')).toBe('壹万零捌拾陆元伍角整');
    expect(amountInWords('1000000')).toBe('壹佰万元整');
    expect(amountInWords('100000001')).toBe('壹亿零壹元整');
    expect(amountInWords('20300.07')).toBe('贰万零叁佰元零柒分');
    expect(amountInWords('0.35')).toBe('叁角伍分');
    expect(amountInWords('0.05')).toBe('伍分');
    expect(amountInWords('1010')).toBe('壹仟零壹拾元整');
    expect(amountInWords('2631.11')).toBe('贰仟陆佰叁拾壹元壹角壹分');
    expect(amountInWords('-12')).toBe('负壹拾贰元整');
  });

  it('formats with thousands separators and a currency symbol', () => {
    expect(formatMoney('1234567.5')).toBe('1,234,567.50');
    expect(formatMoney('-1000', 'CNY')).toBe('-¥1,000.00');
    expect(formatMoney('12', 'CHF')).toBe('CHF 12.00');
  });

  it('validates amounts, quantities and percentages at the edge', () => {
    expect(Money.parse(12.5)).toBe('12.5');
    expect(Money.parse(' 1000.00 ')).toBe('1000.00');
    for (const bad of ['-1', '1.234', '1e5', '', '12345678901234']) expect(Money.safeParse(bad).success, bad).toBe(false);
    expect(Quantity.safeParse('0').success).toBe(false);
    expect(Quantity.parse('0.125')).toBe('0.125');
    expect(Percent.safeParse('100.01').success).toBe(false);
    expect(Percent.parse('12.5')).toBe('12.5');
  });
});
