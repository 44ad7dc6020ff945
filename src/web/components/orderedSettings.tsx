import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Space, Switch, Table, type TableProps, Tag, Typography } from 'antd';
import type { ColumnType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from './actions';
import { moveSorts } from './reorder';

/**
 * Settings tables of items that are switched off rather than deleted, and kept
 * in an order of their own (dictionaries, custom fields): forms and lists still
 * show an item that is off where a record holds it, so the table says it is off.
 */

/** An item's label, greyed and tagged while the item is switched off. */
export function EnabledLabel({ label, enabled }: { label: string; enabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <span className={enabled ? undefined : 'disabled-text'}>{label}</span>
      {!enabled && (
        <Tag bordered={false} color="default">
          {t('dictionaries.disabledTag')}
        </Tag>
      )}
    </Space>
  );
}

/** A row's actions: up and down (it is at `index` of `count` siblings), edit, and the table's own (`children`). */
export function RowActions({
  index,
  count,
  busy,
  onMove,
  onEdit,
  children,
}: {
  index: number;
  count: number;
  /** Another change is under way: no moves meanwhile. */
  busy: boolean;
  onMove: (by: -1 | 1) => void;
  onEdit: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Space size={0} wrap>
      <Button
        type="link"
        size="small"
        icon={<ArrowUpOutlined />}
        disabled={index <= 0 || busy}
        onClick={() => onMove(-1)}
        aria-label={t('dictionaries.moveUp')}
        title={t('dictionaries.moveUp')}
      />
      <Button
        type="link"
        size="small"
        icon={<ArrowDownOutlined />}
        disabled={index >= count - 1 || busy}
        onClick={() => onMove(1)}
        aria-label={t('dictionaries.moveDown')}
        title={t('dictionaries.moveDown')}
      />
      <Button type="link" size="small" icon={<EditOutlined />} onClick={onEdit}>
        {t('common.edit')}
      </Button>
      {children}
    </Space>
  );
}

/** One tab of such a settings page: what its items are for, an add button, the table, and the page's dialogs (`children`). */
export function ItemsTab<T extends object>({
  testId,
  help,
  createLabel,
  createTestId,
  onCreate,
  error,
  tableKey,
  children,
  ...table
}: Omit<TableProps<T>, 'children'> & {
  testId: string;
  help: string;
  createLabel: string;
  createTestId: string;
  onCreate: () => void;
  error?: Error | null;
  /** A new key makes a new table, e.g. so that tree rows added since open as the first ones did. */
  tableKey?: string;
  children?: ReactNode;
}) {
  return (
    <div data-testid={testId}>
      {error && <Alert type="error" showIcon message={error.message} className="list-error" />}
      <div className="tab-toolbar">
        <Typography.Text type="secondary">{help}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid={createTestId}>
          {createLabel}
        </Button>
      </div>
      <Table<T> key={tableKey} pagination={false} scroll={{ x: 'max-content' }} size="middle" {...table} />
      {children}
    </div>
  );
}

/**
 * Moving and switching the items of such a table, each change a PATCH of the
 * item (`patch`), the list (`queryKey`) reloaded after: `busy` while one runs,
 * `move` for the actions column, `enabledColumn` with the on/off switch.
 */
export function useOrderedItems<T extends { sort: number; enabled: boolean }>({
  queryKey,
  keyOf,
  patch,
}: {
  queryKey: QueryKey;
  /** What tells an item from the others, for the busy item's spinner. */
  keyOf: (item: T) => string;
  patch: (item: T, body: { sort: number } | { enabled: boolean }) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { running, run } = useAction(() => queryClient.invalidateQueries({ queryKey }));

  /** Moves the item at `index` one place among its siblings. */
  const move = (siblings: readonly T[], index: number, by: -1 | 1) => {
    const changes = moveSorts(siblings, index, by);
    if (!changes.length) return;
    void run(
      `move:${keyOf(siblings[index]!)}`,
      async () => {
        for (const c of changes) await patch(c.item, { sort: c.sort });
      },
      t('dictionaries.moved'),
    );
  };

  const enabledColumn: ColumnType<T> = {
    title: t('dictionaries.enabled'),
    dataIndex: 'enabled',
    key: 'enabled',
    render: (enabled: boolean, item) => (
      <Switch
        size="small"
        checked={enabled}
        loading={running === `enable:${keyOf(item)}`}
        aria-label={t(enabled ? 'dictionaries.disable' : 'dictionaries.enable')}
        onChange={(on) => void run(`enable:${keyOf(item)}`, () => patch(item, { enabled: on }), t(on ? 'dictionaries.enabledMsg' : 'dictionaries.disabledMsg'))}
      />
    ),
  };

  return { busy: running !== null, move, enabledColumn };
}
