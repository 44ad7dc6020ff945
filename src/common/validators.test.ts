import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCreditCode, isLandline, isPostcode } from './validators.js';

describe('统一社会信用代码', () => {
  it('accepts real codes and refuses a wrong check character', () => {
    // published codes of well-known companies
    for (const code of ['91110108551385082Q', '91440300708461136T', '91330100716105852F']) expect(isCreditCode(code), code).toBe(true);
    expect(isCreditCode('91110108551385082A')).toBe(false);
    expect(isCreditCode('9111010855138508')).toBe(false);
    expect(isCreditCode('91110108551385082q')).toBe(false); // callers upper-case first
    expect(isCreditCode('9111010855138508IQ')).toBe(false); // I is not in the alphabet
  });

  it('catches every single-character typo', () => {
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (pos, shift) => {
        const code = '91110108551385082Q';
        const i = chars.indexOf(code[pos]!);
        const typo = code.slice(0, pos) + chars[(i + shift) % chars.length] + code.slice(pos + 1);
        // the first two and the region digits have a narrower alphabet; either way it must fail
        expect(isCreditCode(typo)).toBe(false);
      }),
    );
  });
});

describe('landlines and postcodes', () => {
  it('accepts the usual ways of writing a landline', () => {
    for (const v of ['010-62345678', '0755 8888 6666', '(0571)87654321', '62345678', '021-55556666-801', '400-810-8888', '8008208820']) {
      expect(isLandline(v), v).toBe(true);
    }
    for (const v of ['13800138000', '12345', '010-1234', 'abc']) expect(isLandline(v), v).toBe(false);
  });

  it('checks postcodes', () => {
    expect(isPostcode('100080')).toBe(true);
    expect(isPostcode('10008')).toBe(false);
  });
});
