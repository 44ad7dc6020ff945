import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, FIELD_MESSAGES, localeFromHeader, message } from './messages.js';

describe('messages', () => {
  it('has every message in both languages, with the same placeholders', () => {
    for (const [code, m] of Object.entries({ ...ERROR_MESSAGES, ...FIELD_MESSAGES })) {
      expect(m['zh-CN'], code).toBeTruthy();
      expect(m.en, code).toBeTruthy();
      const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect(placeholders(m['zh-CN']), code).toEqual(placeholders(m.en));
    }
  });

  it('fills placeholders, naming fields in the caller’s language', () => {
    expect(message('zh-CN', 'DUPLICATE', { field: 'mobile' })).toBe('手机号已存在');
    expect(message('en', 'DUPLICATE', { field: 'mobile' })).toBe('Mobile number already exists');
    expect(message('en', 'ACCOUNT_LOCKED', { minutes: 15 })).toContain('15');
  });

  it('prefers zh-CN unless the browser asks for English first', () => {
    expect(localeFromHeader('en-US,en;q=0.9,zh;q=0.8')).toBe('en');
    expect(localeFromHeader('zh-TW,zh;q=0.9')).toBe('zh-CN');
    expect(localeFromHeader('fr-FR')).toBeUndefined();
    expect(localeFromHeader(undefined)).toBeUndefined();
  });
});
