import { Cascader } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRegion, type RegionNode, useRegions } from './regions';

export { formatRegion };

interface Props {
  /** Codes from the province down: [province, city?, district?]. */
  value?: string[] | null;
  /** [] when cleared. */
  onChange?: (value: string[]) => void;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  id?: string;
  'data-testid'?: string;
  'aria-label'?: string;
  /** How deep the choice goes: 1 province, 2 city, 3 district (default). */
  levels?: 1 | 2 | 3;
}

interface RegionOption {
  value: string;
  label: string;
  children?: RegionOption[];
}

const toOption = (n: RegionNode, levels: number): RegionOption => ({
  value: n.code,
  label: n.name,
  children: levels > 1 ? n.children?.map((c) => toOption(c, levels - 1)) : undefined,
});

/** Every word typed ('深圳 南山') must be in one of the names along the path. */
function filter(input: string, path: RegionOption[]): boolean {
  const words = input.trim().split(/[\s/]+/).filter(Boolean);
  return words.every((w) => path.some((o) => o.label.includes(w)));
}

/**
 * Picks a province, a city or a district of China; a province or a city alone
 * may be chosen. Names are Chinese in every interface language. Type to search
 * by name.
 */
export function RegionCascader({ value, onChange, placeholder, allowClear = true, levels = 3, ...rest }: Props) {
  const { t } = useTranslation();
  const { data, isLoading, isError } = useRegions();
  const options = useMemo(() => (data ?? []).map((n) => toOption(n, levels)), [data, levels]);

  return (
    <Cascader<RegionOption, 'value'>
      {...rest}
      options={options}
      value={value?.length ? value : undefined}
      onChange={(v) => onChange?.(v ?? [])}
      changeOnSelect
      showSearch={{ filter }}
      allowClear={allowClear}
      loading={isLoading}
      placeholder={placeholder ?? t('regions.placeholder')}
      notFoundContent={isError ? t('regions.loadFailed') : t('common.noMatch')}
      // 北京市 / 东城区: the city level 市辖区 says nothing
      displayRender={(labels) => formatRegion(labels)}
      style={{ width: '100%' }}
    />
  );
}
