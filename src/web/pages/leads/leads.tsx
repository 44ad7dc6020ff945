import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LeadStatus } from '../../api/types';

const STATUS_COLORS: Record<LeadStatus, string> = { new: 'blue', qualifying: 'cyan', converted: 'green', invalid: 'default' };

/** A lead's place in its lifecycle: new → qualifying → converted / invalid. */
export function LeadStatusTag({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} bordered={false}>
      {t(`leads.statuses.${status}`)}
    </Tag>
  );
}
