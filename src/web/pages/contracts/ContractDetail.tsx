import { DeleteOutlined, EditOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Statistic, Table, Tabs, Typography } from 'antd';
import type dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import { CONTRACT_EXECUTIONS, type ContractExecution } from '../../../common/schemas/contracts';
import { api } from '../../api/client';
import type { Attachment } from '../../api/types';
import { useSession } from '../../app/session';
import { ApprovalPanel } from '../../components/ApprovalPanel';
import { Attachments, attachmentsQuery } from '../../components/Attachments';
import { useAction } from '../../components/actions';
import { FormModal } from '../../components/FormModal';
import { showError } from '../../components/form';
import { formatTime } from '../../components/format';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { UserSelect } from '../../components/UserSelect';
import { LinesEditor, newLineKey } from '../opportunities/LinesEditor';
import { ContractFormModal } from './ContractForm';
import { ContractMoney } from './ContractMoney';
import { type ContractDetailDto, ContractStatusTag, ExecutionTag, useRefreshContracts } from './contracts';

const TABS = ['profile', 'lines', 'plans', 'approval', 'text', 'signatures', 'files', 'history'] as const;
type TabKey = (typeof TABS)[number];

/** Records who signed, when, on which platform, and which uploaded file (its SHA-256 is kept). */
function SignatureModal({ contract, onClose }: { contract: ContractDetailDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const refresh = useRefreshContracts();
  const [submitting, setSubmitting] = useState(false);
  const files = useQuery(attachmentsQuery('contract', contract.id));
  const save = async (v: { signerName: string; signerSide: 'company' | 'customer'; provider: string; signedAt: dayjs.Dayjs; attachmentId: number }) => {
    setSubmitting(true);
    try {
      await api.post(`/contracts/${contract.id}/signatures`, { ...v, signedAt: v.signedAt.toISOString() });
      await refresh();
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };
  return (
    <FormModal form={form} submitting={submitting} onClose={onClose} title={t('contracts.signatures.add')}>
      <Form form={form} layout="vertical" onFinish={save} initialValues={{ signerSide: 'customer' }}>
        <Form.Item name="signerName" label={t('contracts.signatures.signerName')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="signerSide" label={t('contracts.signatures.signerSide')}>
          <Select options={(['customer', 'company'] as const).map((s) => ({ value: s, label: t(`contracts.signatures.sides.${s}`) }))} />
        </Form.Item>
        <Form.Item name="provider" label={t('contracts.signatures.provider')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={50} placeholder={t('contracts.signatures.providerPlaceholder')} />
        </Form.Item>
        <Form.Item name="signedAt" label={t('contracts.signatures.signedAt')} rules={[{ required: true, message: t('validation.required') }]}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="attachmentId" label={t('contracts.signatures.file')} extra={t('contracts.signatures.fileHelp')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={(files.data ?? []).map((f: Attachment) => ({ value: f.id, label: f.fileName }))} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** One contract: profile with paid and outstanding, products, payment plan and receivables, approval, text, signatures, files, history. */
export default function ContractDetail() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const tab = (TABS.includes(params.get('tab') as TabKey) ? params.get('tab') : 'profile') as TabKey;
  const [dialog, setDialog] = useState<'edit' | 'transfer' | 'signature' | null>(null);
  const [newOwner, setNewOwner] = useState<number | null>(null);
  const refresh = useRefreshContracts();
  const { running, run } = useAction(refresh);
  const query = useQuery({ queryKey: ['contracts', 'detail', id], queryFn: () => api.get<ContractDetailDto>(`/contracts/${id}`) });
  const history = useRecordHistory(['contracts', 'history', id], `/contracts/${id}`, tab === 'history');
  const fallback = recordFallback(query, <BackToList to="/contracts" />);
  if (fallback || !query.data) return fallback;
  const c = query.data;
  const money = (v: string) => formatMoney(v, c.currency);
  const editable = c.canEdit && can('contract.edit');

  return (
    <PageContainer
      title={
        <Space>
          <span data-testid="contract-title">{c.name}</span>
          <ContractStatusTag status={c.status} />
          <ExecutionTag execution={c.execution} />
        </Space>
      }
      extra={
        <Space wrap>
          <BackToList to="/contracts" />
          {editable && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="contract-edit">
              {t('common.edit')}
            </Button>
          )}
          {c.status === 'active' && can('contract.edit') && (
            <Select<ContractExecution>
              value={c.execution}
              aria-label={t('contracts.setExecution')}
              style={{ width: 130 }}
              onChange={(execution) => void run('execution', () => api.put(`/contracts/${c.id}/execution`, { execution }), t('contracts.saved'))}
              options={CONTRACT_EXECUTIONS.map((e) => ({ value: e, label: t(`contracts.executions.${e}`) }))}
            />
          )}
          {can('contract.transfer') && (
            <Button icon={<UserSwitchOutlined />} onClick={() => setDialog('transfer')}>
              {t('contracts.transfer')}
            </Button>
          )}
          {editable && can('contract.delete') && (
            <Popconfirm
              title={t('contracts.deleteConfirm', { name: c.name })}
              onConfirm={() => run('delete', () => api.delete(`/contracts/${c.id}`).then(() => navigate('/contracts')), t('contracts.deleted'))}
            >
              <Button danger icon={<DeleteOutlined />} loading={running === 'delete'}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Space size={48} wrap>
          <Statistic title={t('contracts.amount')} value={money(c.amount)} />
          <Statistic title={t('contracts.paid')} value={money(c.paid)} valueStyle={{ color: '#389e0d' }} />
          <Statistic title={t('contracts.outstanding')} value={money(c.outstanding)} valueStyle={{ color: c.outstanding === '0.00' ? undefined : '#cf1322' }} />
        </Space>
        <div data-testid="contract-balance" hidden>{`${c.paid}/${c.outstanding}`}</div>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          items={[
            {
              key: 'profile',
              label: t('contracts.tabs.profile'),
              children: (
                <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                  <Descriptions.Item label={t('contracts.code')}>{c.code}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.customer')}>
                    <Link to={`/customers/${c.customerId}`}>{c.customerName}</Link>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('contracts.opportunity')}>{c.opportunityId ? <Link to={`/opportunities/${c.opportunityId}`}>#{c.opportunityId}</Link> : '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.owner')}>{c.ownerName ?? '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.period')}>{c.startsOn || c.endsOn ? `${c.startsOn ?? ''} ~ ${c.endsOn ?? ''}` : '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.signedOn')}>{c.signedOn ?? '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.signer')}>{c.signerName ?? '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.customerSigner')}>{c.customerSigner ?? '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.discount')}>{c.discount}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.taxRate')}>{c.taxRate}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.remindDays')}>{c.remindDays}</Descriptions.Item>
                  <Descriptions.Item label={t('common.updatedAt')}>{formatTime(c.updatedAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('contracts.description')} span={2}>{c.description ?? '-'}</Descriptions.Item>
                </Descriptions>
              ),
            },
            {
              key: 'lines',
              label: t('contracts.tabs.lines'),
              children: (
                <>
                  <LinesEditor
                    readOnly
                    currency={c.currency}
                    value={c.lines.map((l) => ({ key: newLineKey(), productId: l.productId, productName: l.productName, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount }))}
                  />
                  {c.totals && (
                    <Descriptions size="small" column={5} style={{ marginTop: 12 }}>
                      {(['listTotal', 'subtotal', 'discountAmount', 'tax', 'total'] as const).map((k) => (
                        <Descriptions.Item key={k} label={t(`contracts.totals.${k}`)}>{money(c.totals![k])}</Descriptions.Item>
                      ))}
                    </Descriptions>
                  )}
                </>
              ),
            },
            { key: 'plans', label: t('contracts.tabs.plans'), children: <ContractMoney contract={c} /> },
            {
              key: 'approval',
              label: t('contracts.tabs.approval'),
              children: <ApprovalPanel type="contract" recordId={c.id} submitPath={editable ? `/contracts/${c.id}/submit` : undefined} />,
            },
            {
              key: 'text',
              label: t('contracts.tabs.text'),
              children: c.body ? <pre className="contract-text">{c.body}</pre> : <Typography.Text type="secondary">{t('contracts.noBody')}</Typography.Text>,
            },
            {
              key: 'signatures',
              label: t('contracts.tabs.signatures'),
              children: (
                <>
                  {can('contract.edit') && (
                    <Button style={{ marginBottom: 12 }} onClick={() => setDialog('signature')}>
                      {t('contracts.signatures.add')}
                    </Button>
                  )}
                  <Table
                    size="small"
                    rowKey="id"
                    dataSource={c.signatures}
                    pagination={false}
                    locale={{ emptyText: t('contracts.signatures.none') }}
                    columns={[
                      { title: t('contracts.signatures.signerName'), dataIndex: 'signerName' },
                      { title: t('contracts.signatures.signerSide'), dataIndex: 'signerSide', render: (v: 'company' | 'customer') => t(`contracts.signatures.sides.${v}`) },
                      { title: t('contracts.signatures.provider'), dataIndex: 'provider' },
                      { title: t('contracts.signatures.signedAt'), dataIndex: 'signedAt', render: formatTime },
                      { title: t('contracts.signatures.sha256'), dataIndex: 'fileSha256', render: (v: string) => <Typography.Text code copyable={{ text: v }}>{v.slice(0, 16)}…</Typography.Text> },
                      { title: t('contracts.signatures.recordedBy'), dataIndex: 'recordedByName' },
                    ]}
                  />
                </>
              ),
            },
            { key: 'files', label: t('contracts.tabs.files'), children: <Attachments entityType="contract" entityId={c.id} writable={can('contract.edit')} /> },
            { key: 'history', label: t('contracts.tabs.history'), children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} /> },
          ]}
        />
      </Card>
      {dialog === 'edit' && <ContractFormModal contract={c} onClose={() => setDialog(null)} />}
      {dialog === 'signature' && <SignatureModal contract={c} onClose={() => setDialog(null)} />}
      {dialog === 'transfer' && (
        <Modal
          open
          title={t('contracts.transfer')}
          okButtonProps={{ disabled: !newOwner }}
          confirmLoading={running === 'transfer'}
          onCancel={() => setDialog(null)}
          onOk={() => void run('transfer', () => api.post(`/contracts/${c.id}/transfer`, { ownerId: newOwner }).then(() => setDialog(null)), t('contracts.transferred'))}
        >
          <UserSelect value={newOwner} onChange={setNewOwner} aria-label={t('contracts.newOwner')} />
        </Modal>
      )}
    </PageContainer>
  );
}
