import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Drawer, Empty, Grid, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import type { FollowupDto, Upcoming } from '../api/types';
import { formatTime } from '../components/format';
import { useSession } from './session';

export const UPCOMING_KEY = ['followups', 'upcoming'] as const;
const DAYS = 7;

function UpcomingItem({ f, onOpen }: { f: FollowupDto; onOpen: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const overdue = new Date(f.nextContactAt!).getTime() < Date.now();

  const done = async () => {
    setBusy(true);
    try {
      await api.post(`/followups/${f.id}/done`, {});
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['followups'] }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
        queryClient.invalidateQueries({ queryKey: ['leads'] }),
      ]);
      message.success(t('followups.markedDone'));
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="upcoming-item" data-testid="upcoming-item">
      <button type="button" className="upcoming-open" onClick={onOpen}>
        <Typography.Text strong className="upcoming-customer">
          {f.customerName ?? (f.leadId ? t('followups.upcoming.lead', { name: f.leadName ?? `#${f.leadId}` }) : '-')}
        </Typography.Text>
        <Typography.Text type={overdue ? 'danger' : 'secondary'} className="upcoming-time">
          {overdue ? t('followups.upcoming.overdueAt', { time: formatTime(f.nextContactAt) }) : formatTime(f.nextContactAt)}
        </Typography.Text>
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} className="upcoming-content">
          {f.contactName ? t('common.labelled', { label: f.contactName, text: f.content }) : f.content}
        </Typography.Paragraph>
      </button>
      <Button size="small" icon={<CheckOutlined />} loading={busy} onClick={() => void done()} className="upcoming-done" data-testid="upcoming-done">
        {t('followups.markDone')}
      </Button>
    </li>
  );
}

/**
 * The bell in the header: how many of my planned contacts are overdue or due in
 * the next days; it opens the list (a click goes to the customer, "done" takes
 * one off).
 */
export function UpcomingBell() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === undefined ? window.innerWidth < 768 : !screens.md;
  const enabled = can('followup.create');
  const upcoming = useQuery({
    queryKey: [...UPCOMING_KEY, DAYS],
    queryFn: () => api.get<Upcoming>('/followups/upcoming', { days: DAYS }),
    enabled,
    refetchInterval: 5 * 60_000,
    staleTime: 30_000,
  });
  if (!enabled) return null;

  const items = upcoming.data?.items ?? [];
  const overdue = upcoming.data?.overdue ?? 0;

  const content = (
    <div className="upcoming-panel" data-testid="upcoming-list">
      <div className="upcoming-header">
        <Typography.Text strong>{t('followups.upcoming.title', { days: DAYS })}</Typography.Text>
        {overdue > 0 && <Typography.Text type="danger">{t('followups.upcoming.overdue', { count: overdue })}</Typography.Text>}
      </div>
      {upcoming.isPending ? (
        <div className="upcoming-empty">
          <Spin />
        </div>
      ) : upcoming.error ? (
        <Typography.Text type="danger">{upcoming.error.message}</Typography.Text>
      ) : items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followups.upcoming.empty', { days: DAYS })} />
      ) : (
        <ul className="upcoming-items">
          {items.map((f) => (
            <UpcomingItem
              key={f.id}
              f={f}
              onOpen={() => {
                setOpen(false);
                if (f.customerId) navigate(`/customers/${f.customerId}?tab=followups`);
                else if (f.leadId) navigate(`/leads/${f.leadId}?tab=followups`);
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );

  const toggle = (o: boolean) => {
    setOpen(o);
    if (o) void upcoming.refetch();
  };

  const bell = (
    <Button
      type="text"
      data-testid="upcoming-bell"
      aria-label={t('followups.upcoming.bell', { count: items.length })}
      title={t('followups.upcoming.bell', { count: items.length })}
      onClick={mobile ? () => toggle(true) : undefined}
      icon={
        <Badge count={items.length} size="small" color={overdue > 0 ? '#ff4d4f' : '#1677ff'} overflowCount={99}>
          <BellOutlined className="upcoming-bell-icon" />
        </Badge>
      }
    />
  );

  // a phone has no room beside the bell: the list slides down over the page
  if (mobile)
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="top"
          height="auto"
          closable={false}
          rootClassName="upcoming-drawer"
          styles={{ body: { padding: 0 } }}
        >
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
