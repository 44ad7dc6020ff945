import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../components/format';

/** A planned contact time; red with "overdue" once it has passed. */
export function NextFollowup({ at }: { at: string | null | undefined }) {
  const { t } = useTranslation();
  if (!at) return <>-</>;
  const overdue = new Date(at).getTime() < Date.now();
  return overdue ? (
    <Typography.Text type="danger">
      {formatTime(at)} · {t('customers.overdue')}
    </Typography.Text>
  ) : (
    <>{formatTime(at)}</>
  );
}
