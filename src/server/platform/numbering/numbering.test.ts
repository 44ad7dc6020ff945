import { describe, expect, it } from 'vitest';
import { formatNumber, isValidPattern, periodKey } from './numbering.js';

describe('numbering patterns', () => {
  // 2026-11-23 17:30 UTC is already 24 November in Beijing
  const at = new Date('2026-11-23T17:30:00Z');

  it('fills the date in the company time zone and pads the sequence', () => {
    expect(formatNumber('KH{YYYY}{MM}{DD}{SEQ:4}', at, 'Asia/Shanghai', 7)).toBe('KH202611240007');
    expect(formatNumber('KH{YYYY}{MM}{DD}{SEQ:4}', at, 'UTC', 7)).toBe('KH202611230007');
    expect(formatNumber('C-{YY}-{SEQ}', at, 'Asia/Shanghai', 12345)).toBe('C-26-12345');
  });

  it('restarts the counter per period of the pattern', () => {
    expect(periodKey('KH{YYYY}{MM}{DD}{SEQ:4}', at, 'Asia/Shanghai')).toBe('KH20261124');
    expect(periodKey('LXR{YYYY}{SEQ:6}', at, 'Asia/Shanghai')).toBe('LXR2026');
    expect(periodKey('N{SEQ:8}', at, 'Asia/Shanghai')).toBe('N');
  });

  it('needs a sequence', () => {
    expect(isValidPattern('KH{YYYY}')).toBe(false);
    expect(isValidPattern('KH{SEQ:5}')).toBe(true);
  });
});
