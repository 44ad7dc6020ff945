import { CheckCircleOutlined, DeleteOutlined, EditOutlined, RollbackOutlined, StopOutlined, SwapOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import type { LeadDetail as Detail, LeadStatus } from '../../api/types';
import { useSession } from '../../app/session';
import { Attachments } from '../../components/Attachments';
import { customDescriptionItems, useCustomFields } from '../../components/customFields';
import { useFieldAccess, withoutHidden } from '../../components/fieldAccess';
import { useDictionaries, useIndustryPath } from '../../components/dictionaries';
import { FollowupComposer, FollowupList } from '../../components/followups';
import { useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { useRegionName } from '../../components/regions';
import { NextFollowup } from '../customers/NextFollowup';
import { AssignLeadsModal } from './AssignLeadsModal';
import { ConvertModal } from './ConvertModal';
import { LeadFormDrawer } from './LeadForm';
import { LeadStatusTag } from './leads';

const TABS = ['followups', 'profile', 'files', 'history'] as const;
type TabKey = (typeof TABS)[number];

/** Marks a lead invalid, with the reason the server keeps. */
function InvalidModal({ lead, onClose }: { lead: Detail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    if (!reason.trim()) return setError(t('validation.required'));
    setSaving(true);
    try {
      await api.post(`/leads/${lead.id}/status`, { status: 'invalid', reason: reason.trim() });
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      message.success(t('leads.statusChanged'));
      onClose();
    } catch (err) {
      showError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('leads.invalidTitle', { name: lead.name })}
      okText={t('leads.markInvalid')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => void save()}
      onCancel={onClose}
      confirmLoading={saving}
    >
      <Form layout="vertical">
        <Form.Item label={t('leads.invalidReason')} required validateStatus={error ? 'error' : undefined} help={error}>
          <Input.TextArea
            autoFocus
            value={reason}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('leads.invalidPlaceholder')}
            onChange={(e) => {
              setReason(e.target.value);
              setError(null);
            }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One lead: key facts, its follow-ups (the composer of the customer page), profile and files; status, assignment, conversion. */
export default function LeadDetail() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const industryPath = useIndustryPath();
  const regionName = useRegionName();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<'edit' | 'convert' | 'assign' | 'invalid' | null>(null);
  const [busy, setBusy] = useState(false);
  const requested = params.get('tab') as TabKey | null;
  const tab: TabKey = requested && TABS.includes(requested) ? requested : 'followups';

  const detail = useQuery({ queryKey: ['leads', 'detail', id], queryFn: () => api.get<Detail>(`/leads/${id}`) });
  const customFields = useCustomFields('lead');
  const access = useFieldAccess('lead');
  const history = useRecordHistory(['leads', 'history', id], `/leads/${id}`, tab === 'history');

  const back = <BackToList to="/leads" />;

  const fallback = recordFallback(detail, back);
  if (fallback || !detail.data) return fallback;
  const l = detail.data;
  const open = l.status !== 'converted';

  const setStatus = async (status: Exclude<LeadStatus, 'converted' | 'invalid'>) => {
    setBusy(true);
    try {
      await api.post(`/leads/${id}/status`, { status });
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      message.success(t('leads.statusChanged'));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    try {
      await api.delete(`/leads/${id}`);
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      message.success(t('common.deleted'));
      navigate('/leads');
    } catch (err) {
      showError(err);
    }
  };

  const setTab = (key: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('tab', key);
        return next;
      },
      { replace: true },
    );

  const dash = (v: string | null | undefined) => v || '-';

  return (
    <PageContainer
      title={
        <Space size={8} wrap>
          <span>{l.name}</span>
          <LeadStatusTag status={l.status} />
        </Space>
      }
      subTitle={`${t('leads.detailTitle')} · ${l.code}`}
      extra={
        <>
          {back}
          {l.allowed.edit && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="lead-edit">
              {t('common.edit')}
            </Button>
          )}
          {l.allowed.edit && l.status === 'new' && (
            <Button icon={<SwapOutlined />} loading={busy} onClick={() => void setStatus('qualifying')} data-testid="lead-qualify">
              {t('leads.toQualifying')}
            </Button>
          )}
          {l.allowed.edit && (l.status === 'qualifying' || l.status === 'invalid') && (
            <Button icon={<RollbackOutlined />} loading={busy} onClick={() => void setStatus('new')} data-testid="lead-reopen">
              {t('leads.toNew')}
            </Button>
          )}
          {l.allowed.edit && (l.status === 'new' || l.status === 'qualifying') && (
            <Button icon={<StopOutlined />} onClick={() => setDialog('invalid')} data-testid="lead-invalid">
              {t('leads.markInvalid')}
            </Button>
          )}
          {l.allowed.assign && (
            <Button icon={<UserSwitchOutlined />} onClick={() => setDialog('assign')}>
              {t('leads.assign')}
            </Button>
          )}
          {l.allowed.convert && (
            <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setDialog('convert')} data-testid="lead-convert">
              {t('leads.convert')}
            </Button>
          )}
          {l.allowed.delete && (
            <Popconfirm
              title={t('leads.deleteConfirm', { name: l.name })}
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
      {l.status === 'converted' && l.convertedCustomerId && (
        <Alert
          type="success"
          showIcon
          className="page-alert"
          message={
            <span>
              {t('leads.convertedNotice')} <Link to={`/customers/${l.convertedCustomerId}`}>{t('leads.openCustomer')}</Link>
            </span>
          }
        />
      )}
      {l.status === 'invalid' && (
        <Alert type="warning" showIcon className="page-alert" message={t('leads.invalidNotice', { reason: l.invalidReason ?? '-' })} />
      )}
      <Card className="page-card">
        <Descriptions
          column={{ xs: 1, sm: 2, lg: 4, xl: 4, xxl: 4 }}
          data-testid="lead-detail"
          items={withoutHidden(access, [
            { key: 'company', label: t('leads.company'), children: dash(l.company) },
            { key: 'mobile', label: t('leads.mobile'), children: l.mobile ? <a href={`tel:${l.mobile}`}>{l.mobile}</a> : '-' },
            { key: 'owner', label: t('leads.owner'), children: l.ownerName ?? t('leads.unassigned') },
            { key: 'score', label: t('leads.score'), children: l.score },
            { key: 'source', label: t('leads.source'), children: dash(dict.label('customer_source', l.sourceCode)) },
            { key: 'lastFollowup', label: t('customers.lastFollowup'), children: formatTime(l.lastFollowupAt) },
            { key: 'nextFollowup', label: t('customers.nextFollowup'), children: <NextFollowup at={l.nextFollowupAt} /> },
            { key: 'createdAt', label: t('common.createdAt'), children: formatTime(l.createdAt) },
          ])}
        />
      </Card>
      <Card className="page-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'followups',
              label: t('leads.tabs.followups'),
              children: (
                <>
                  {open && can('followup.create') && l.allowed.edit && <FollowupComposer entityType="lead" entityId={l.id} />}
                  <FollowupList entityType="lead" entityId={l.id} />
                </>
              ),
            },
            {
              key: 'profile',
              label: t('leads.tabs.profile'),
              children: (
                <Descriptions
                  column={{ xs: 1, sm: 2, lg: 3 }}
                  size="small"
                  bordered
                  data-testid="lead-profile"
                  items={withoutHidden(access, [
                    { key: 'code', label: t('leads.code'), children: l.code },
                    { key: 'name', label: t('leads.name'), children: l.name },
                    { key: 'title', label: t('leads.title'), children: dash(l.title) },
                    { key: 'company', label: t('leads.company'), children: dash(l.company) },
                    { key: 'phone', label: t('leads.phone'), children: l.phone ? <a href={`tel:${l.phone}`}>{l.phone}</a> : '-' },
                    { key: 'email', label: t('leads.email'), children: l.email ? <a href={`mailto:${l.email}`}>{l.email}</a> : '-' },
                    { key: 'wechat', label: t('leads.wechat'), children: dash(l.wechat) },
                    { key: 'industry', label: t('leads.industry'), children: dash(industryPath(l.industryCode)) },
                    { key: 'region', label: t('leads.region'), children: dash(regionName(l)) },
                    ...customDescriptionItems(customFields.all, 'lead', l.custom, l.id),
                    { key: 'address', label: t('leads.address'), span: 'filled', children: dash(l.address) },
                    { key: 'remark', label: t('leads.remark'), span: 'filled', children: <span className="pre-wrap">{dash(l.remark)}</span> },
                    { key: 'updatedAt', label: t('common.updatedAt'), children: formatTime(l.updatedAt) },
                  ])}
                />
              ),
            },
            {
              key: 'files',
              label: t('attachments.title'),
              children: <Attachments entityType="lead" entityId={l.id} writable={l.allowed.edit} />,
            },
            {
              key: 'history',
              label: t('customers.history'),
              children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} />,
            },
          ]}
        />
      </Card>
      {dialog === 'edit' && <LeadFormDrawer lead={l} onClose={() => setDialog(null)} />}
      {dialog === 'convert' && <ConvertModal lead={l} onClose={() => setDialog(null)} />}
      {dialog === 'assign' && <AssignLeadsModal leadIds={[l.id]} onClose={() => setDialog(null)} />}
      {dialog === 'invalid' && <InvalidModal lead={l} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
