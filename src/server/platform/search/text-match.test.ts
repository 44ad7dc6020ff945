import { describe, expect, it } from 'vitest';
import { nameMatchSql, pinyinKeys } from './text-match.js';

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
    expect(nameMatchSql('c', '北京').toQuery().text).toContain('crm_bigrams(c.name) @> crm_bigrams($1)');
    expect(nameMatchSql('c', '京').toQuery().text).not.toContain('crm_bigrams');
    const letters = nameMatchSql('c', 'BJYF', { code: true }).toQuery();
    expect(letters.text).toContain('c.pinyin_initials LIKE');
    expect(letters.values).toContain('bjyf%');
    expect(letters.values).toContain('BJYF%');
  });
});
