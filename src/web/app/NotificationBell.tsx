import { NotificationOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Drawer, Empty, Grid, Popover, Spin, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import type { NotificationItem, Notifications } from '../api/types';
import { useShowError } from '../components/form';
import { formatTime } from '../components/format';

export const NOTIFICATIONS_KEY = ['notifications'] as const;
const RULES = ['no_followup', 'no_deal', 'never_contacted'] as const;
type Rule = (typeof RULES)[number];

/** A notification as a sentence: the pool notifications carry the customer's name and "rule:days" (a reminder also ":when"). */
export function notificationText(n: NotificationItem, t: TFunction): string {
  if (n.kind === 'pool_recycle_soon' || n.kind === 'pool_recycled') {
    const [rule, days, ...rest] = (n.body ?? '').split(':');
    const reason = RULES.includes(rule as Rule) ? t(`notifications.reasons.${rule as Rule}`, { days: Number(days) }) : t('notifications.reasons.other');
    const when = rest.join(':');
    if (n.kind === 'pool_recycle_soon' && when && !Number.isNaN(Date.parse(when))) {
      return t('notifications.kinds.pool_recycle_soon_at', { name: n.title, reason, when: formatTime(when) });
    }
    return t(`notifications.kinds.${n.kind}`, { name: n.title, reason });
  }
  return n.body ? t('common.labelled', { label: n.title, text: n.body }) : n.title;
}

/**
 * The notification area in the header (pool reminders and recycling): how many
 * are unread; the list opens on click, an item leads to its customer and counts as read.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const [open, setOpen] = useState(false);
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === undefined ? window.innerWidth < 768 : !screens.md;
  const list = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: () => api.get<Notifications>('/notifications', { limit: 30 }),
    refetchInterval: 5 * 60_000,
    staleTime: 30_000,
  });
  const items = list.data?.items ?? [];
  const unread = list.data?.unread ?? 0;

  const markRead = async (ids?: number[]) => {
    try {
      await api.post('/notifications/read', ids ? { ids } : {});
      await queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    } catch (err) {
      showError(err);
    }
  };

  const openItem = (n: NotificationItem) => {
    setOpen(false);
    if (!n.read) void markRead([n.id]);
    if (n.entityType === 'customer' && n.entityId) navigate(`/customers/${n.entityId}`);
    else if (n.entityType === 'lead' && n.entityId) navigate(`/leads/${n.entityId}`);
    else if (n.entityType === 'export' && n.entityId) void api.download(`/exports/${n.entityId}/download`).catch(showError);
  };

  const content = (
    <div className="upcoming-panel" data-testid="notification-list">
      <div className="upcoming-header">
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        {unread > 0 && (
          <Button type="link" size="small" onClick={() => void markRead()} data-testid="notifications-read-all">
            {t('notifications.readAll')}
          </Button>
        )}
      </div>
      {list.isPending ? (
        <div className="upcoming-empty">
          <Spin />
        </div>
      ) : list.error ? (
        <Typography.Text type="danger">{list.error.message}</Typography.Text>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <ul className="upcoming-items">
          {items.map((n) => (
            <li key={n.id} className={`upcoming-item notification-item${n.read ? '' : ' notification-unread'}`} data-testid="notification-item">
              <button type="button" className="upcoming-open" onClick={() => openItem(n)}>
                <Typography.Text strong={!n.read} className="upcoming-customer">
                  {notificationText(n, t)}
                </Typography.Text>
                <Typography.Text type="secondary" className="upcoming-time">
                  {formatTime(n.createdAt)}
                </Typography.Text>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  const toggle = (o: boolean) => {
    setOpen(o);
    if (o) void list.refetch();
  };

  const bell = (
    <Button
      type="text"
      data-testid="notification-bell"
      aria-label={t('notifications.bell', { count: unread })}
      title={t('notifications.bell', { count: unread })}
      onClick={mobile ? () => toggle(true) : undefined}
      icon={
        <Badge count={unread} size="small" overflowCount={99}>
          <NotificationOutlined className="upcoming-bell-icon" />
        </Badge>
      }
    />
  );

  if (mobile)
    return (
      <>
        {bell}
        <Drawer open={open} onClose={() => setOpen(false)} placement="top" height="auto" closable={false} rootClassName="upcoming-drawer" styles={{ body: { padding: 0 } }}>
          {content}
        </Drawer>
      </>
    );

  return (
    <Popover trigger="click" placement="bottomRight" open={open} onOpenChange={toggle} content={content} arrow={false} rootClassName="upcoming-popover">
      {bell}
    </Popover>
  );
}
