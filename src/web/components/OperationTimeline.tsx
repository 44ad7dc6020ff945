import { Alert, Empty, Skeleton, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Operation } from '../api/types';
import { dynamicLabel } from '../i18n';
import { ChangeLog } from './ChangeLog';
import { formatTime } from './format';

interface Props {
  items: Operation[] | undefined;
  loading: boolean;
  error: Error | null;
}

/** The history of one record: who did what when, with the field changes. */
export function OperationTimeline({ items, loading, error }: Props) {
  const { t } = useTranslation();
  if (error) return <Alert type="error" showIcon message={error.message} />;
  if (loading) return <Skeleton active />;
  if (!items?.length) return <Empty description={t('audit.noHistory')} />;
  return (
    <Timeline
      items={items.map((op) => ({
        key: op.id,
        children: (
          <div>
            <Typography.Text strong>{dynamicLabel('audit.actions', op.action)}</Typography.Text>
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
              {op.actorId === null ? t('audit.system') : op.actorName} · {formatTime(op.at)}
            </Typography.Text>
            <ChangeLog changes={op.changes} />
          </div>
        ),
      }))}
    />
  );
}
