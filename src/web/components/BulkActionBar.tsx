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

/** The bar above a list while rows are selected: how many, the actions, and clearing the selection. */
export function BulkActionBar({ count, actions, onClear }: { count: number; actions: BulkAction[]; onClear: () => void }) {
  const { t } = useTranslation();
  if (!count) return null;
  return (
    <div className="bulk-bar" data-testid="bulk-bar">
      <Typography.Text strong>{t('list.selected', { count })}</Typography.Text>
      <Space wrap size={[8, 8]}>
        {actions.map((a) => (
          <Button key={a.key} size="small" icon={a.icon} danger={a.danger} onClick={a.onClick} data-testid={`bulk-${a.key}`}>
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
