import { describe, expect, it } from 'vitest';
import { formatRegion, RegionCodes, regionCodesOf, regionPath } from './regions.js';

describe('RegionCodes', () => {
  it('takes a province alone or with its city and district', () => {
    expect(RegionCodes.parse({ provinceCode: '440000' })).toEqual({ provinceCode: '440000' });
    expect(RegionCodes.parse({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' })).toEqual({
      provinceCode: '440000', cityCode: '440300', districtCode: '440305',
    });
  });

  it('refuses codes of the wrong shape or level, and unknown keys', () => {
    for (const bad of [
      {},
      { provinceCode: '44' },
      { provinceCode: 440000 },
      { provinceCode: '440300' }, // a city code as the province
      { provinceCode: '440000', cityCode: '440000' },
      { provinceCode: '440000', cityCode: '440305' },
      { provinceCode: '440000', cityCode: '441900', districtCode: '441900121' },
      { provinceCode: '440000', districtCode: '440300' },
      { provinceCode: '440000', street: 'x' },
    ]) {
      expect(RegionCodes.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('formatRegion', () => {
  it('joins the names, leaving out empty levels and 市辖区', () => {
    expect(formatRegion(['广东省', '深圳市', '南山区'])).toBe('广东省 / 深圳市 / 南山区');
    expect(formatRegion(['北京市', '市辖区', '朝阳区'])).toBe('北京市 / 朝阳区');
    expect(formatRegion(['湖北省', '省直辖县级行政区划', '仙桃市'])).toBe('湖北省 / 仙桃市');
    expect(formatRegion(['广东省', '东莞市', null])).toBe('广东省 / 东莞市');
    expect(formatRegion(['广东省', undefined], '')).toBe('广东省');
    expect(formatRegion([])).toBe('');
  });
});

describe('regionPath and regionCodesOf', () => {
  it('turn codes into a cascader path and back', () => {
    const all = { provinceCode: '440000', cityCode: '440300', districtCode: '440305' };
    expect(regionPath(all)).toEqual(['440000', '440300', '440305']);
    expect(regionCodesOf(regionPath(all))).toEqual(all);
    expect(regionPath({ provinceCode: '440000' })).toEqual(['440000']);
    expect(regionCodesOf(['440000'])).toEqual({ provinceCode: '440000' });
    expect(regionCodesOf(['440000', '441900'])).toEqual({ provinceCode: '440000', cityCode: '441900' });
  });

  it('treat nothing as nothing', () => {
    expect(regionPath(null)).toEqual([]);
    expect(regionPath({ cityCode: '440300' })).toEqual([]);
    expect(regionCodesOf([])).toBeNull();
    expect(regionCodesOf(undefined)).toBeNull();
  });
});
