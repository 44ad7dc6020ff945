import { z } from 'zod';

/**
 * Regions of China by their GB/T 2260 six-digit codes: a province ends in 0000
 * (440000 广东省), a city in 00 (440300 深圳市), a district or county in neither
 * (440305 南山区). The list itself is served by GET /api/v1/regions.
 */
export const ProvinceCode = z.string().regex(/^[1-9]\d0000$/);
export const CityCode = z.string().regex(/^\d{2}(?!00)\d{2}00$/);
export const DistrictCode = z.string().regex(/^\d{4}(?!00)\d{2}$/);

/**
 * Where an address lies: a province alone, a province and a city, or all three
 * levels. The shape only; whether the codes exist and nest is checked on the
 * server with resolveRegion (src/server/platform/regions).
 */
export const RegionCodes = z
  .object({
    provinceCode: ProvinceCode,
    cityCode: CityCode.optional(),
    districtCode: DistrictCode.optional(),
  })
  .strict();
export type RegionCodes = z.infer<typeof RegionCodes>;

/** One node of the region tree; a city without districts (东莞市) has no children. */
export interface RegionNode {
  code: string;
  name: string;
  children?: RegionNode[];
}

/** Codes and names of a checked region; the levels below the one given are null. */
export interface ResolvedRegion {
  provinceCode: string;
  provinceName: string;
  cityCode: string | null;
  cityName: string | null;
  districtCode: string | null;
  districtName: string | null;
}

/**
 * City-level entries that only group the districts of a municipality or the
 * county-level cities a province governs directly: not worth showing.
 */
const PLACEHOLDER_NAMES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

export const isRegionPlaceholder = (name: string): boolean => PLACEHOLDER_NAMES.has(name);

/**
 * A region for display, e.g. '广东省 / 深圳市 / 南山区' or, for a municipality,
 * '北京市 / 东城区' (the city level 市辖区 is left out). Empty levels are skipped.
 */
export function formatRegion(names: readonly (string | null | undefined)[], separator = ' / '): string {
  return names.filter((n): n is string => !!n && !isRegionPlaceholder(n)).join(separator);
}

/** The codes as a cascader path: [province, city?, district?]. */
export function regionPath(codes: Partial<RegionCodes> | null | undefined): string[] {
  if (!codes?.provinceCode) return [];
  const path = [codes.provinceCode];
  if (codes.cityCode) {
    path.push(codes.cityCode);
    if (codes.districtCode) path.push(codes.districtCode);
  }
  return path;
}

/** A cascader path back to codes; null for an empty path. */
export function regionCodesOf(path: readonly string[] | null | undefined): RegionCodes | null {
  const [provinceCode, cityCode, districtCode] = path ?? [];
  if (!provinceCode) return null;
  return { provinceCode, ...(cityCode ? { cityCode } : {}), ...(cityCode && districtCode ? { districtCode } : {}) };
}
