import { ArrowDownOutlined, ArrowUpOutlined, SettingOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Drawer, Grid, List, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ViewEntity } from '../../common/schemas/views';
import { api } from '../api/client';
import { useShowError } from './form';

export interface ColumnOption {
  key: string;
  title: string;
}

const columnsKey = (entity: ViewEntity) => ['list-columns', entity] as const;

/** The keys still offered (a custom field may have been disabled since); null when none is left. */
export function knownColumns(keys: readonly string[] | null | undefined, offered: readonly ColumnOption[]): string[] | null {
  const known = (keys ?? []).filter((k) => offered.some((c) => c.key === k));
  return known.length ? known : null;
}

/**
 * The user's column choice and order for a list (saved per user on the
 * server), or `defaults` until they make one. Keys no longer offered (a
 * disabled custom field) are dropped.
 */
export function useListColumns(entity: ViewEntity, offered: ColumnOption[], defaults: string[]) {
  const queryClient = useQueryClient();
  const saved = useQuery({
    queryKey: columnsKey(entity),
    queryFn: () => api.get<{ columns: string[] | null }>('/list-columns', { entity }).then((r) => r.columns),
    staleTime: Infinity,
  });
  const chosen = knownColumns(saved.data, offered) ?? defaults;
  const save = async (columns: string[]) => {
    const r = await api.put<{ columns: string[] }>('/list-columns', { columns }, { query: { entity } });
    queryClient.setQueryData(columnsKey(entity), r.columns);
  };
  return { columns: chosen, ready: !saved.isPending, save };
}

interface ChooserProps {
  offered: ColumnOption[];
  value: string[];
  defaults: string[];
  onSave: (columns: string[]) => Promise<void>;
}

/** A button opening the column choice: shown or not, and the order (up / down). */
export function ColumnChooser({ offered, value, defaults, onSave }: ChooserProps) {
  const { t } = useTranslation();
  const showError = useShowError();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const screens = Grid.useBreakpoint();
  // the chosen columns first, in their order; the others after them
  const rows = [...draft.map((k) => offered.find((c) => c.key === k)!).filter(Boolean), ...offered.filter((c) => !draft.includes(c.key))];

  const move = (key: string, by: -1 | 1) =>
    setDraft((d) => {
      const i = d.indexOf(key);
      const j = i + by;
      if (i < 0 || j < 0 || j >= d.length) return d;
      const next = [...d];
      [next[i], next[j]] = [next[j]!, next[i]!];
      return next;
    });

  const save = async () => {
    setSaving(true);
    try {
      await onSave(draft);
      setOpen(false);
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Button
        icon={<SettingOutlined />}
        onClick={() => {
          setDraft(value);
          setOpen(true);
        }}
        data-testid="list-columns"
      >
        {t('list.columns')}
      </Button>
      <Drawer
        open={open}
        title={t('list.columnsTitle')}
        onClose={() => setOpen(false)}
        width={screens.sm === false ? '100%' : 360}
        extra={
          <Space>
            <Button onClick={() => setDraft(defaults)}>{t('list.columnsDefault')}</Button>
            <Button type="primary" onClick={() => void save()} loading={saving} disabled={!draft.length} data-testid="list-columns-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <List
          size="small"
          data-testid="list-columns-options"
          dataSource={rows}
          renderItem={(c) => {
            const shown = draft.includes(c.key);
            const i = draft.indexOf(c.key);
            return (
              <List.Item
                data-testid={`list-column-${c.key}`}
                actions={
                  shown
                    ? [
                        <Button key="up" type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(c.key, -1)} aria-label={t('list.moveUp', { name: c.title })} />,
                        <Button key="down" type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === draft.length - 1} onClick={() => move(c.key, 1)} aria-label={t('list.moveDown', { name: c.title })} />,
                      ]
                    : []
                }
              >
                <Checkbox checked={shown} onChange={(e) => setDraft((d) => (e.target.checked ? [...d, c.key] : d.filter((k) => k !== c.key)))}>
                  {c.title}
                </Checkbox>
              </List.Item>
            );
          }}
        />
      </Drawer>
    </>
  );
}
