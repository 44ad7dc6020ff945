import { EditOutlined, MessageOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Skeleton, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { CustomerDetail, Timeline as TimelinePage } from '../../api/types';
import { useSession } from '../../app/session';
import { ChangeLog } from '../../components/ChangeLog';
import { formatTime } from '../../components/format';
import { FollowupCard, FollowupComposer } from '../../components/followups';
import { dynamicLabel } from '../../i18n';
import { useCustomerContacts } from '../contacts/contacts';

const PAGE = 30;

/**
 * Follow-ups and the customer's timeline: the composer on top, then follow-ups
 * (with their comments) and changes to the customer, newest first, older ones
 * on request.
 */
export function CustomerFollowups({ customer }: { customer: CustomerDetail }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const contacts = useCustomerContacts(customer.id, can('contact.view'));
  const timeline = useInfiniteQuery({
    queryKey: ['customers', 'timeline', customer.id],
    queryFn: ({ pageParam }) => api.get<TimelinePage>(`/customers/${customer.id}/timeline`, { limit: PAGE, before: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });

  const items = timeline.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="customer-followups">
      {can('followup.create') && <FollowupComposer entityType="customer" entityId={customer.id} contacts={contacts.data} />}
      <Typography.Title level={5} className="timeline-title">
        {t('followups.timeline')}
      </Typography.Title>
      {timeline.error && <Alert type="error" showIcon message={timeline.error.message} />}
      {timeline.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('followups.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <div data-testid="customer-timeline">
        <Timeline
          className="customer-timeline"
          items={items.map((item) =>
            item.kind === 'followup'
              ? {
                  key: `f${item.followup.id}`,
                  dot: <MessageOutlined className="timeline-dot timeline-dot-followup" />,
                  children: <FollowupCard followup={item.followup} />,
                }
              : {
                  key: `c${item.change.id}`,
                  dot: <EditOutlined className="timeline-dot" />,
                  color: 'gray',
                  children: (
                    <div className="timeline-change" data-testid="timeline-change">
                      <div>
                        <Typography.Text strong>{dynamicLabel('audit.actions', item.change.action)}</Typography.Text>
                        <Typography.Text type="secondary" className="timeline-meta">
                          {item.change.actorName ?? t('audit.system')} · {formatTime(item.at)}
                        </Typography.Text>
                      </div>
                      <ChangeLog changes={item.change.changes} />
                    </div>
                  ),
                },
          )}
        />
        </div>
      )}
      {timeline.hasNextPage && (
        <div className="list-footer">
          <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage} data-testid="timeline-load-more">
            {t('list.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
