import { useQuery } from '@tanstack/react-query';
import { Select, Tag, TreeSelect } from 'antd';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Dictionaries, DictionaryItemDto, DictionaryKind } from '../api/types';

export const DICTIONARIES_KEY = ['dictionaries'] as const;

export interface DictOption {
  value: string;
  label: string;
  /** A disabled item: shown for the record that has it, not offered as a new value. */
  disabled?: boolean;
}

export interface DictTreeOption extends DictOption {
  title: string;
  children: DictTreeOption[];
}

const bySort = (a: DictionaryItemDto, b: DictionaryItemDto) => a.sort - b.sort || a.code.localeCompare(b.code);

export interface DictionaryLookup {
  /** The items of one kind, in their order (disabled ones included). */
  items(kind: DictionaryKind): DictionaryItemDto[];
  /** The label of a code; an unknown code shows as itself, no code as null. */
  label(kind: DictionaryKind, code: string | null | undefined): string | null;
  /**
   * Choices for a value: the enabled items, plus the ones in `keep` (the
   * record's current value) even when disabled; `all` offers disabled ones too
   * (list filters find old records by old values).
   */
  options(kind: DictionaryKind, keep?: string | readonly string[] | null, all?: boolean): DictOption[];
  /** Industries as a two-level tree, with the same rules as `options`. */
  industryTree(keep?: string | null, all?: boolean): DictTreeOption[];
  /**
   * The statuses a customer may take: every enabled one for a new customer;
   * for an existing one its current status and those its `nextCodes` allow.
   */
  statusOptions(current?: string | null): DictOption[];
}

function lookup(data: Dictionaries | undefined, disabledSuffix: (label: string) => string): DictionaryLookup {
  const items = (kind: DictionaryKind) => [...(data?.[kind] ?? [])].sort(bySort);
  const find = (kind: DictionaryKind, code: string) => data?.[kind]?.find((i) => i.code === code);
  const toOption = (i: DictionaryItemDto): DictOption =>
    i.enabled ? { value: i.code, label: i.label } : { value: i.code, label: disabledSuffix(i.label), disabled: true };
  const keeps = (keep: string | readonly string[] | null | undefined) => new Set(keep == null ? [] : typeof keep === 'string' ? [keep] : keep);

  return {
    items,
    label: (kind, code) => (code ? (find(kind, code)?.label ?? code) : null),
    options: (kind, keep, all) => {
      const kept = keeps(keep);
      const list = items(kind)
        .filter((i) => i.enabled || all || kept.has(i.code))
        .map(toOption);
      // a code the dictionary no longer has still shows for its record
      for (const code of kept) if (!list.some((o) => o.value === code)) list.push({ value: code, label: code, disabled: true });
      return list;
    },
    industryTree: (keep, all) => {
      const all_ = items('industry');
      const shown = (i: DictionaryItemDto) => i.enabled || all || i.code === keep;
      const node = (i: DictionaryItemDto): DictTreeOption => {
        const o = toOption(i);
        return {
          ...o,
          title: o.label,
          children: all_.filter((c) => c.parentCode === i.code && shown(c)).map(node),
        };
      };
      // a disabled parent stays as a heading when one of its children is offered
      return all_
        .filter((i) => !i.parentCode && (shown(i) || all_.some((c) => c.parentCode === i.code && shown(c))))
        .map(node);
    },
    statusOptions: (current) => {
      const statuses = items('customer_status');
      if (!current) return statuses.filter((s) => s.enabled).map(toOption);
      const now = statuses.find((s) => s.code === current);
      const next = now?.nextCodes;
      const list = statuses.filter((s) => s.code === current || (s.enabled && (next == null || next.includes(s.code)))).map(toOption);
      if (!now) list.unshift({ value: current, label: current, disabled: true });
      return list;
    },
  };
}

/**
 * The company's dictionaries (industries, sources, levels, statuses, follow-up
 * types, contact roles), loaded once and shared by every page: labels for
 * codes and choices for forms.
 */
export function useDictionaries() {
  const { t } = useTranslation();
  const query = useQuery({
    queryKey: DICTIONARIES_KEY,
    queryFn: () => api.get<Dictionaries>('/dictionaries'),
    staleTime: 5 * 60_000,
  });
  const { data, isPending, error } = query;
  return useMemo(
    () => ({ ...lookup(data, (label) => t('dictionaries.disabledLabel', { label })), isPending, error }),
    [data, isPending, error, t],
  );
}

/** A code shown as its label. */
export function DictLabel({ kind, code, empty = '-' }: { kind: DictionaryKind; code: string | null | undefined; empty?: string }) {
  const { label } = useDictionaries();
  return <>{label(kind, code) ?? empty}</>;
}

/** The industry of a record with its parent: "IT/互联网 / 软件开发". */
export function useIndustryPath() {
  const dict = useDictionaries();
  return useCallback(
    (code: string | null | undefined): string | null => {
      if (!code) return null;
      const item = dict.items('industry').find((i) => i.code === code);
      if (!item) return code;
      return item.parentCode ? `${dict.label('industry', item.parentCode)} / ${item.label}` : item.label;
    },
    [dict],
  );
}

const STATUS_COLORS: Record<string, string> = { new: 'blue', following: 'cyan', won: 'green', paused: 'orange', lost: 'default' };
const PALETTE = ['geekblue', 'purple', 'magenta', 'gold', 'lime', 'volcano'];

/** A customer status as a coloured tag (the default statuses keep their colours; others get one by their code). */
export function StatusTag({ code }: { code: string | null | undefined }) {
  const { label } = useDictionaries();
  if (!code) return <>-</>;
  const color = STATUS_COLORS[code] ?? PALETTE[[...code].reduce((h, ch) => h + ch.charCodeAt(0), 0) % PALETTE.length];
  return (
    <Tag color={color} bordered={false}>
      {label('customer_status', code)}
    </Tag>
  );
}

interface SelectProps<V> {
  value?: V | null;
  onChange?: (value: V | null) => void;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  'aria-label'?: string;
  'data-testid'?: string;
}

/**
 * Picks an item of a dictionary. The current value shows even when its item has
 * been disabled; only enabled items are offered (all of them with `all`).
 */
export function DictSelect({ kind, all, ...props }: SelectProps<string> & { kind: DictionaryKind; all?: boolean }) {
  const dict = useDictionaries();
  const { value, onChange, ...rest } = props;
  return (
    <Select<string>
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={dict.options(kind, value, all)}
      loading={dict.isPending}
      showSearch
      optionFilterProp="label"
      style={{ width: '100%' }}
    />
  );
}

/** Picks a customer status: for an existing customer only its current one and the allowed next ones. */
export function StatusSelect({ current, ...props }: SelectProps<string> & { current?: string | null }) {
  const dict = useDictionaries();
  const { value, onChange, ...rest } = props;
  return (
    <Select<string>
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={dict.statusOptions(current)}
      loading={dict.isPending}
      style={{ width: '100%' }}
    />
  );
}

/** Picks an industry or a sub-industry from the two-level tree; type to search. */
export function IndustryTreeSelect({ all, ...props }: SelectProps<string> & { all?: boolean }) {
  const dict = useDictionaries();
  const { value, onChange, ...rest } = props;
  const treeData = useMemo(() => dict.industryTree(value, all), [dict, value, all]);
  return (
    <TreeSelect
      {...rest}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      treeData={treeData}
      loading={dict.isPending}
      showSearch
      treeNodeFilterProp="title"
      treeDefaultExpandAll
      style={{ width: '100%' }}
    />
  );
}
