import { DeleteOutlined, EditOutlined, SwapOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Grid, Popconfirm, Skeleton, Space, Tabs, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { ContactDetail, Operation } from '../../api/types';
import { useSession } from '../../app/session';
import { Attachments } from '../../components/Attachments';
import { customDescriptionItems, useCustomFields } from '../../components/customFields';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { DictLabel } from '../../components/dictionaries';
import { useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { FollowupComposer, FollowupList } from '../../components/followups';
import { OperationTimeline } from '../../components/OperationTimeline';
import { ContactFormModal } from './ContactFormModal';
import { ContactMoveModal } from './ContactMoveModal';
import { LifecycleTag, PrimaryTag } from './contacts';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** One contact: profile, its follow-ups, the customers it worked for, its history; edit, move and delete when allowed. */
export function ContactDrawer({ contactId, onClose }: { contactId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [dialog, setDialog] = useState<'edit' | 'move' | null>(null);
  const [tab, setTab] = useState('profile');

  const detail = useQuery({ queryKey: ['contacts', 'detail', contactId], queryFn: () => api.get<ContactDetail>(`/contacts/${contactId}`) });
  const customFields = useCustomFields('contact');
  const access = useFieldAccess('contact');
  const history = useQuery({
    queryKey: ['contacts', 'history', contactId],
    queryFn: () => api.get<{ items: Operation[] }>(`/contacts/${contactId}/history`).then((r) => r.items),
    enabled: tab === 'history',
  });

  const k = detail.data;

  const remove = async () => {
    try {
      await api.delete(`/contacts/${contactId}`);
      await queryClient.invalidateQueries({ queryKey: ['contacts'] });
      message.success(t('common.deleted'));
      onClose();
    } catch (err) {
      showError(err);
    }
  };

  const dash = (v: string | null | undefined) => v || '-';

  return (
    <Drawer
      open
      onClose={onClose}
      width={screens.md === false ? '100%' : 720}
      destroyOnHidden
      title={
        k ? (
          <Space size={6} wrap>
            <span>{k.name}</span>
            {k.isPrimary && <PrimaryTag />}
          </Space>
        ) : (
          t('contacts.detailTitle')
        )
      }
      extra={
        k && (
          <Space wrap>
            {k.allowed.edit && (
              <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="contact-edit">
                {t('common.edit')}
              </Button>
            )}
            {k.allowed.edit && (
              <Button icon={<SwapOutlined />} onClick={() => setDialog('move')} data-testid="contact-move">
                {t('contacts.move')}
              </Button>
            )}
            {k.allowed.delete && (
              <Popconfirm
                title={t('contacts.deleteConfirm', { name: k.name })}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={remove}
              >
                <Button danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            )}
          </Space>
        )
      }
      rootClassName="contact-drawer"
    >
      {detail.error && <Alert type="error" showIcon message={detail.error.message} />}
      {detail.isPending && <Skeleton active />}
      {k && (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'profile',
              label: t('contacts.profile'),
              children: (
                <Descriptions
                  column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }}
                  size="small"
                  bordered
                  data-testid="contact-detail"
                  items={withoutHidden(access, [
                    { key: 'code', label: t('contacts.code'), children: k.code },
                    {
                      key: 'customer',
                      label: t('contacts.customer'),
                      children: <Link to={`/customers/${k.customerId}?tab=contacts`}>{k.customerName}</Link>,
                    },
                    { key: 'title', label: t('contacts.title'), children: dash(k.title) },
                    { key: 'role', label: t('contacts.role'), children: <DictLabel kind="contact_role" code={k.roleCode} /> },
                    { key: 'lifecycle', label: t('contacts.lifecycle'), children: <LifecycleTag value={k.lifecycle} /> },
                    { key: 'gender', label: t('contacts.gender'), children: k.gender ? t(`users.genders.${k.gender}`) : '-' },
                    { key: 'mobile', label: t('contacts.mobile'), children: k.mobile ? <a href={`tel:${k.mobile}`}>{k.mobile}</a> : '-' },
                    { key: 'phone', label: t('contacts.phone'), children: k.phone ? <a href={`tel:${k.phone}`}>{k.phone}</a> : '-' },
                    { key: 'email', label: t('contacts.email'), children: k.email ? <a href={`mailto:${k.email}`}>{k.email}</a> : '-' },
                    { key: 'wechat', label: t('contacts.wechat'), children: dash(k.wechat) },
                    { key: 'birthday', label: t('contacts.birthday'), children: dash(k.birthday) },
                    ...customDescriptionItems(customFields.all, 'contact', k.custom, k.id),
                    {
                      key: 'tags',
                      label: t('contacts.tags'),
                      children: k.tags.length ? k.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '-',
                    },
                    {
                      key: 'remark',
                      label: t('contacts.remark'),
                      span: 'filled',
                      children: <span className="pre-wrap">{dash(k.remark)}</span>,
                    },
                    { key: 'createdAt', label: t('common.createdAt'), children: formatTime(k.createdAt) },
                    { key: 'updatedAt', label: t('common.updatedAt'), children: formatTime(k.updatedAt) },
                  ])}
                />
              ),
            },
            {
              key: 'followups',
              label: t('contacts.followups'),
              children: (
                <>
                  {can('followup.create') && <FollowupComposer entityType="contact" entityId={k.id} />}
                  <FollowupList entityType="contact" entityId={k.id} />
                </>
              ),
            },
            {
              key: 'links',
              label: t('contacts.links'),
              children: (
                <Timeline
                  data-testid="contact-links"
                  items={k.links.map((l) => ({
                    key: `${l.customerId}-${l.startedAt}`,
                    color: l.endedAt ? 'gray' : 'green',
                    children: (
                      <div>
                        <Link to={`/customers/${l.customerId}`}>{l.customerName}</Link>
                        {l.title && <Typography.Text type="secondary"> · {l.title}</Typography.Text>}
                        <div>
                          <Typography.Text type="secondary">
                            {t('contacts.linkPeriod', { from: day(l.startedAt), to: day(l.endedAt) ?? t('contacts.linkNow') })}
                          </Typography.Text>
                        </div>
                      </div>
                    ),
                  }))}
                />
              ),
            },
            {
              key: 'files',
              label: t('attachments.title'),
              children: <Attachments entityType="contact" entityId={k.id} writable={k.allowed.edit} />,
            },
            {
              key: 'history',
              label: t('contacts.history'),
              children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} />,
            },
          ]}
        />
      )}
      {k && dialog === 'edit' && <ContactFormModal contact={k} onClose={() => setDialog(null)} />}
      {k && dialog === 'move' && <ContactMoveModal contact={k} onClose={() => setDialog(null)} />}
    </Drawer>
  );
}
