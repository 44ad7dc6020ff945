import { AuditOutlined } from '@ant-design/icons';
import { Badge, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useApprovalCounts } from './approvals';

/** The header's count of approvals waiting for me; a click opens 待我审批. */
export function ApprovalBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const waiting = useApprovalCounts().data?.waiting ?? 0;
  return (
    <Button
      type="text"
      data-testid="approval-bell"
      aria-label={t('approvals.bell', { count: waiting })}
      title={t('approvals.bell', { count: waiting })}
      onClick={() => navigate('/approvals/waiting')}
      icon={
        <Badge count={waiting} size="small" overflowCount={99} data-testid="approval-bell-count">
          <AuditOutlined className="upcoming-bell-icon" />
        </Badge>
      }
    />
  );
}
