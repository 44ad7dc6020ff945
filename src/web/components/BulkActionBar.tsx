import { Button, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** One action on the selected rows of a list; lists build an array of them, so more can be added. */
export interface BulkAction {
  key: string;
  label: string;
  icon?: ReactNode;
  danger?: boolean;
  onClick: () => void;
}

/**
 * The bar above a list while rows are selected: how many, the actions, and
 * clearing the selection. Past `max` rows the actions are disabled and the bar
 * says why, instead of the server refusing after the user filled in a dialog.
 */
export function BulkActionBar({ count, actions, onClear, max }: { count: number; actions: BulkAction[]; onClear: () => void; max?: number }) {
  const { t } = useTranslation();
  if (!count) return null;
  const tooMany = max !== undefined && count > max;
  return (
    <div className="bulk-bar" data-testid="bulk-bar">
      <Typography.Text strong>{t('list.selected', { count })}</Typography.Text>
      {tooMany && (
        <Typography.Text type="warning" data-testid="bulk-too-many">
          {t('list.tooManySelected', { max })}
        </Typography.Text>
      )}
      <Space wrap size={[8, 8]}>
        {actions.map((a) => (
          <Button key={a.key} size="small" icon={a.icon} danger={a.danger} disabled={tooMany} onClick={a.onClick} data-testid={`bulk-${a.key}`}>
            {a.label}
          </Button>
        ))}
        <Button size="small" type="link" onClick={onClear}>
          {t('list.clearSelection')}
        </Button>
      </Space>
    </div>
  );
}
