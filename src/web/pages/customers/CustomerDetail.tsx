import { DeleteOutlined, EditOutlined, InboxOutlined, LockOutlined, MergeCellsOutlined, MoreOutlined, PrinterOutlined, SafetyOutlined, StopOutlined, SwapOutlined, UnlockOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Dropdown, type MenuProps, Popconfirm, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { CustomerDetail as Detail } from '../../api/types';
import { useMe, useSession } from '../../app/session';
import { Attachments } from '../../components/Attachments';
import { StatusTag, useDictionaries } from '../../components/dictionaries';
import { useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { CustomerContacts } from './CustomerContacts';
import { CustomerFollowups } from './CustomerFollowups';
import { CustomerFormDrawer } from './CustomerForm';
import { CustomerMembers } from './CustomerMembers';
import { CustomerProfile } from './CustomerProfile';
import { CustomerRelations } from './CustomerRelations';
import { CustomerValue } from './CustomerValue';
import { NextFollowup } from './NextFollowup';
import { MergeModal, ReturnToPoolModal } from './PoolActions';
import { TransferModal } from './TransferModal';
import { CustomerContracts } from '../contracts/CustomerContracts';
import { RecordQuotes } from '../quotes/RecordQuotes';
import { CustomerOpportunities } from '../opportunities/CustomerOpportunities';

const TABS = ['profile', 'contacts', 'followups', 'opportunities', 'quotes', 'contracts', 'relations', 'value', 'files', 'members', 'history'] as const;
type TabKey = (typeof TABS)[number];

/** The customer 360 page: key facts on top; profile, contacts, follow-ups and timeline, team, history in tabs (the tab is in the address). */
export default function CustomerDetail() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const me = useMe();
  const showError = useShowError();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<'edit' | 'transfer' | 'return' | 'merge' | null>(null);
  const [locking, setLocking] = useState(false);
  const requested = params.get('tab') as TabKey | null;
  const tab: TabKey = requested && TABS.includes(requested) ? requested : 'profile';

  const detail = useQuery({ queryKey: ['customers', 'detail', id], queryFn: () => api.get<Detail>(`/customers/${id}`) });
  const history = useRecordHistory(['customers', 'history', id], `/customers/${id}`, detail.isSuccess && tab === 'history');

  const back = <BackToList to="/customers" />;

  const fallback = recordFallback(detail, back);
  if (fallback || !detail.data) return fallback;
  const c = detail.data;
  // the record's own rights (data scope, team, shares) and the function permission together
  const may = {
    edit: c.allowed.edit && can('customer.edit'),
    transfer: c.allowed.transfer && can('customer.transfer'),
    delete: c.allowed.delete && can('customer.delete'),
    share: c.allowed.share && can('customer.share'),
    // the server wants write access and customer.lock; `allowed` has no entry of its own for it
    lock: c.allowed.edit && can('customer.lock'),
    returnToPool: c.allowed.returnToPool,
    merge: c.allowed.merge && can('customer.merge'),
    // the server lets the owner protect their own customer; the detail does not say whether it is protected now
    protect: c.ownerId === me.user.id && can('customer.protect'),
  };

  const protect = (on: boolean) =>
    modal.confirm({
      title: t(on ? 'customers.pool.protectConfirm' : 'customers.pool.unprotectConfirm', { name: c.name }),
      content: t(on ? 'customers.pool.protectHelp' : 'customers.pool.unprotectHelp'),
      okText: t(on ? 'customers.pool.protect' : 'customers.pool.unprotect'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await api.put<{ protectedUntil: string | null }>(`/customers/${id}/protection`, { protect: on });
          await queryClient.invalidateQueries({ queryKey: ['customers', 'history', id] });
          message.success(r.protectedUntil ? t('customers.pool.protected', { until: formatTime(r.protectedUntil) }) : t('customers.pool.unprotected'));
        } catch (err) {
          showError(err);
        }
      },
    });

  const moreItems: MenuProps['items'] = [
    ...(may.returnToPool ? [{ key: 'return', icon: <InboxOutlined />, label: t('customers.pool.return') }] : []),
    ...(may.protect
      ? [
          { key: 'protect', icon: <SafetyOutlined />, label: t('customers.pool.protect') },
          { key: 'unprotect', icon: <StopOutlined />, label: t('customers.pool.unprotect') },
        ]
      : []),
    ...(may.merge ? [{ key: 'merge', icon: <MergeCellsOutlined />, label: t('customers.merge.action') }] : []),
  ];
  const onMore: MenuProps['onClick'] = ({ key }) => {
    if (key === 'return' || key === 'merge') setDialog(key);
    else protect(key === 'protect');
  };

  const setTab = (key: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('tab', key);
        next.delete('contact');
        return next;
      },
      { replace: true },
    );

  const remove = async () => {
    try {
      await api.delete(`/customers/${id}`);
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      message.success(t('common.deleted'));
      navigate('/customers');
    } catch (err) {
      showError(err);
    }
  };

  const toggleLock = async () => {
    setLocking(true);
    try {
      await api.put(`/customers/${id}/lock`, { locked: !c.locked });
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      message.success(t(c.locked ? 'customers.unlocked' : 'customers.lockedDone'));
    } catch (err) {
      showError(err);
    } finally {
      setLocking(false);
    }
  };

  return (
    <PageContainer
      title={
        <Space size={8} wrap>
          <span>{c.name}</span>
          {c.locked && (
            <Tag icon={<LockOutlined />} color="warning" bordered={false}>
              {t('customers.locked')}
            </Tag>
          )}
        </Space>
      }
      subTitle={`${t('customers.detailTitle')} · ${c.code}`}
      extra={
        <>
          {back}
          <Button icon={<PrinterOutlined />} onClick={() => window.open(`/customers/${id}/print`, '_blank')} data-testid="customer-print">
            {t('print.print')}
          </Button>
          {may.edit && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="customer-edit">
              {t('common.edit')}
            </Button>
          )}
          {may.lock && (
            <Popconfirm
              title={t(c.locked ? 'customers.unlockConfirm' : 'customers.lockConfirm')}
              description={t('customers.lockHelp')}
              okText={t(c.locked ? 'customers.unlock' : 'customers.lock')}
              cancelText={t('common.cancel')}
              onConfirm={toggleLock}
            >
              <Button icon={c.locked ? <UnlockOutlined /> : <LockOutlined />} loading={locking} data-testid="customer-lock">
                {t(c.locked ? 'customers.unlock' : 'customers.lock')}
              </Button>
            </Popconfirm>
          )}
          {may.transfer && (
            <Button icon={<SwapOutlined />} onClick={() => setDialog('transfer')}>
              {t('customers.transfer')}
            </Button>
          )}
          {moreItems.length > 0 && (
            <Dropdown trigger={['click']} menu={{ items: moreItems, onClick: onMore }}>
              <Button icon={<MoreOutlined />} data-testid="customer-more">
                {t('common.more')}
              </Button>
            </Dropdown>
          )}
          {may.delete && (
            <Popconfirm
              title={t('customers.deleteConfirm')}
              description={t('customers.deleteHelp')}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={remove}
            >
              <Button danger icon={<DeleteOutlined />}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </>
      }
    >
      <Card className="page-card">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 4, xl: 4, xxl: 4 }}
          data-testid="customer-detail"
          items={[
            { key: 'status', label: t('customers.status'), children: <StatusTag code={c.statusCode} /> },
            { key: 'level', label: t('customers.level'), children: dict.label('customer_level', c.levelCode) ?? '-' },
            { key: 'owner', label: t('customers.owner'), children: c.ownerName ?? '-' },
            { key: 'department', label: t('customers.department'), children: c.departmentName ?? '-' },
            { key: 'lastFollowup', label: t('customers.lastFollowup'), children: formatTime(c.lastFollowupAt) },
            { key: 'nextFollowup', label: t('customers.nextFollowup'), children: <NextFollowup at={c.nextFollowupAt} /> },
            { key: 'createdAt', label: t('common.createdAt'), children: formatTime(c.createdAt) },
            { key: 'updatedAt', label: t('common.updatedAt'), children: formatTime(c.updatedAt) },
          ]}
        />
      </Card>
      <Card className="page-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'profile', label: t('customers.tabs.profile'), children: <CustomerProfile customer={c} /> },
            ...(can('contact.view')
              ? [{ key: 'contacts', label: t('customers.tabs.contacts'), children: <CustomerContacts customer={c} writable={c.allowed.edit} /> }]
              : []),
            { key: 'followups', label: t('customers.tabs.followups'), children: <CustomerFollowups customer={c} /> },
            ...(can('opportunity.view') ? [{ key: 'opportunities', label: t('opportunities.customerTab'), children: <CustomerOpportunities customerId={c.id} /> }] : []),
            ...(can('quote.view') ? [{ key: 'quotes', label: t('quotes.tab'), children: <RecordQuotes customerId={c.id} /> }] : []),
            ...(can('contract.view') ? [{ key: 'contracts', label: t('contracts.menu'), children: <CustomerContracts customerId={c.id} /> }] : []),
            { key: 'relations', label: t('relations.title'), children: <CustomerRelations customer={c} /> },
            { key: 'value', label: t('customerValue.tab'), children: <CustomerValue customer={c} /> },
            {
              key: 'files',
              label: t('attachments.title'),
              children: <Attachments entityType="customer" entityId={c.id} writable={c.allowed.edit} />,
            },
            { key: 'members', label: t('customers.members.title'), children: <CustomerMembers customer={c} canManage={may.share} /> },
            {
              key: 'history',
              label: t('customers.history'),
              children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} />,
            },
          ]}
        />
      </Card>
      {dialog === 'edit' && <CustomerFormDrawer customer={c} onClose={() => setDialog(null)} />}
      {dialog === 'transfer' && <TransferModal customers={[c]} onClose={() => setDialog(null)} />}
      {dialog === 'return' && <ReturnToPoolModal customer={c} onClose={() => setDialog(null)} />}
      {dialog === 'merge' && <MergeModal customer={c} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
