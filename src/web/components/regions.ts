import { useQuery } from '@tanstack/react-query';
import { formatRegion, type RegionNode } from '../../common/schemas/regions';
import { api } from '../api/client';

export type { RegionNode };
export { formatRegion, regionCodesOf, regionPath } from '../../common/schemas/regions';

export const REGIONS_KEY = ['regions'] as const;

/**
 * The province / city / district tree (about 100 kB), loaded once: it only
 * changes with a new release, and the browser also keeps it (Cache-Control, ETag).
 */
export function useRegions(enabled = true) {
  return useQuery({
    queryKey: REGIONS_KEY,
    queryFn: () => api.get<RegionNode[]>('/regions'),
    staleTime: Infinity,
    gcTime: Infinity,
    enabled,
  });
}

/** The names of a province / city / district path ("广东省 / 深圳市 / 南山区"), from the bundled tree; null without a province. */
export function useRegionName() {
  const { data } = useRegions();
  return (codes: { provinceCode?: string | null; cityCode?: string | null; districtCode?: string | null }): string | null => {
    if (!codes.provinceCode) return null;
    const names: string[] = [];
    let level: RegionNode[] | undefined = data;
    for (const code of [codes.provinceCode, codes.cityCode, codes.districtCode]) {
      if (!code) break;
      const node: RegionNode | undefined = level?.find((n) => n.code === code);
      if (!node) break;
      names.push(node.name);
      level = node.children;
    }
    return names.length ? formatRegion(names) : null;
  };
}
