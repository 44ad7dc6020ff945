import { describe, expect, it } from 'vitest';
import { nameMatchParts, nameMatchSql, pinyinKeys } from './text-match.js';

describe('pinyin keys', () => {
  it('reads names as people type them', () => {
    expect(pinyinKeys('北京云帆科技有限公司')).toEqual({ full: 'beijingyunfankejiyouxiangongsi', initials: 'bjyfkjyxgs' });
    expect(pinyinKeys('重庆长安汽车（集团）')).toEqual({ full: 'chongqingchanganqichejituan', initials: 'cqcaqcjt' });
    expect(pinyinKeys('吕布')).toEqual({ full: 'lvbu', initials: 'lb' });
    expect(pinyinKeys('ABC Ltd.')).toEqual({ full: null, initials: null });
  });
});

describe('name matching', () => {
  it('uses the bigram index for two characters or more, pinyin for letters', () => {
    // the cheap ILIKE first, so that a row tested one by one rarely pays for crm_bigrams()
    expect(nameMatchSql('c', '北京').toQuery().text).toBe('(c.name ILIKE $1 AND crm_bigrams(c.name) @> crm_bigrams($2))');
    expect(nameMatchSql('c', '京').toQuery().text).not.toContain('crm_bigrams');
    // the index lookup takes the ways one by one; one character has no index
    expect(nameMatchParts('s', 'bjyf', { code: true })?.map((p) => p.toQuery().text)).toEqual([
      '(s.name ILIKE $1 AND crm_bigrams(s.name) @> crm_bigrams($2))', 's.pinyin_initials LIKE $1', 's.pinyin_full LIKE $1', 's.code LIKE $1',
    ]);
    expect(nameMatchParts('s', '京')).toBeNull();
    const letters = nameMatchSql('c', 'BJYF', { code: true }).toQuery();
    expect(letters.text).toContain('c.pinyin_initials LIKE');
    expect(letters.values).toContain('bjyf%');
    expect(letters.values).toContain('BJYF%');
  });
});
