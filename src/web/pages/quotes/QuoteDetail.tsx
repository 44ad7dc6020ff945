import {
  BranchesOutlined,
  CheckOutlined,
  CloseOutlined,
  DeleteOutlined,
  EditOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  PrinterOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Input, Modal, Popconfirm, Space, Statistic, Table, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { formatMoney } from '../../../common/money';
import type { QuoteStatus } from '../../../common/schemas/quotes';
import { api } from '../../api/client';
import { useSession } from '../../app/session';
import { ApprovalPanel } from '../../components/ApprovalPanel';
import { useAction } from '../../components/actions';
import { formatTime } from '../../components/format';
import { OperationTimeline } from '../../components/OperationTimeline';
import { PageContainer } from '../../components/PageContainer';
import { BackToList, recordFallback, useRecordHistory } from '../../components/recordPage';
import { LinesEditor, newLineKey } from '../opportunities/LinesEditor';
import { QuoteFormModal } from './QuoteForm';
import { type QuoteDetailDto, QuoteStatusTag, useRefreshQuotes } from './quotes';

const TABS = ['profile', 'lines', 'versions', 'approval', 'history'] as const;
type TabKey = (typeof TABS)[number];

/** One quote (one version): totals, the status actions, lines, versions, approval and history. */
export default function QuoteDetail() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const tab = (TABS.includes(params.get('tab') as TabKey) ? params.get('tab') : 'profile') as TabKey;
  const [dialog, setDialog] = useState<'edit' | 'accepted' | 'rejected' | null>(null);
  const [note, setNote] = useState('');
  const refresh = useRefreshQuotes();
  const { running, run } = useAction(refresh);
  const query = useQuery({ queryKey: ['quotes', 'detail', id], queryFn: () => api.get<QuoteDetailDto>(`/quotes/${id}`) });
  const history = useRecordHistory(['quotes', 'history', id], `/quotes/${id}`, tab === 'history');
  const fallback = recordFallback(query, <BackToList to="/quotes" />);
  if (fallback || !query.data) return fallback;
  const b = query.data;
  const money = (v: string) => formatMoney(v, b.currency);
  const action = (key: string, path: string, done: string, body: object = {}) => run(key, () => api.post(`/quotes/${b.id}/${path}`, body), done);

  return (
    <PageContainer
      title={
        <Space wrap>
          <span data-testid="quote-title">{b.name}</span>
          <span>{`${b.code} · ${t('quotes.versionShort', { version: b.version })}`}</span>
          <QuoteStatusTag status={b.status} superseded={b.superseded} />
        </Space>
      }
      extra={
        <Space wrap>
          <BackToList to="/quotes" />
          {b.allowed.edit && (
            <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="quote-edit">
              {t('common.edit')}
            </Button>
          )}
          {b.allowed.submit && b.needsApproval && (
            <Button type="primary" icon={<SendOutlined />} loading={running === 'submit'} onClick={() => void action('submit', 'submit', t('quotes.submitted'))} data-testid="quote-submit">
              {t('quotes.actions.submit')}
            </Button>
          )}
          {b.allowed.send && (
            <Button type="primary" icon={<SendOutlined />} loading={running === 'send'} onClick={() => void action('send', 'send', t('quotes.sent'))} data-testid="quote-send">
              {t('quotes.actions.send')}
            </Button>
          )}
          {b.allowed.answer && (
            <>
              <Button icon={<CheckOutlined />} onClick={() => setDialog('accepted')} data-testid="quote-accept">
                {t('quotes.actions.accept')}
              </Button>
              <Button danger icon={<CloseOutlined />} onClick={() => setDialog('rejected')} data-testid="quote-reject">
                {t('quotes.actions.reject')}
              </Button>
            </>
          )}
          {b.allowed.newVersion && (
            <Popconfirm
              title={t('quotes.newVersionConfirm')}
              onConfirm={() => run('version', () => api.post<QuoteDetailDto>(`/quotes/${b.id}/versions`, {}).then((v) => navigate(`/quotes/${v.id}`)), t('quotes.versionCreated'))}
            >
              <Button icon={<BranchesOutlined />} loading={running === 'version'} data-testid="quote-new-version">
                {t('quotes.actions.newVersion')}
              </Button>
            </Popconfirm>
          )}
          {b.allowed.convert && (
            <Popconfirm
              title={t('quotes.convertConfirm')}
              okButtonProps={{ 'data-testid': 'quote-convert-confirm' } as never}
              onConfirm={() =>
                run('convert', () => api.post<{ contractId: number }>(`/quotes/${b.id}/contract`, {}).then((r) => navigate(`/contracts/${r.contractId}`)), t('quotes.converted', { code: '' }))
              }
            >
              <Button type="primary" icon={<FileTextOutlined />} loading={running === 'convert'} data-testid="quote-convert">
                {t('quotes.actions.convert')}
              </Button>
            </Popconfirm>
          )}
          <Button icon={<PrinterOutlined />} href={`/quotes/${b.id}/print`} target="_blank" data-testid="quote-print">
            {t('quotes.actions.print')}
          </Button>
          <Button icon={<FilePdfOutlined />} href={`/api/v1/quotes/${b.id}/pdf`} data-testid="quote-pdf">
            {t('quotes.actions.pdf')}
          </Button>
          {b.allowed.delete && (
            <Popconfirm
              title={t('quotes.deleteConfirm', { name: b.name, version: t('quotes.versionShort', { version: b.version }) })}
              onConfirm={() => run('delete', () => api.delete(`/quotes/${b.id}`).then(() => navigate('/quotes')), t('quotes.deleted'))}
            >
              <Button danger icon={<DeleteOutlined />} loading={running === 'delete'}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      {b.status === 'draft' && !b.superseded && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={b.needsApproval ? 'warning' : 'info'}
          data-testid="quote-limit"
          message={b.needsApproval ? t('quotes.needsApproval', { discount: b.effectiveDiscount, limit: b.maxDiscount }) : t('quotes.withinLimit', { limit: b.maxDiscount })}
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Space size={48} wrap>
          <Statistic title={t('quotes.amount')} value={money(b.amount)} />
          <Statistic title={t('quotes.listTotal')} value={money(b.listTotal)} />
          <Statistic title={t('quotes.effectiveDiscount')} value={`${b.effectiveDiscount}%`} />
        </Space>
      </Card>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          items={[
            {
              key: 'profile',
              label: t('quotes.tabs.profile'),
              children: (
                <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
                  <Descriptions.Item label={t('quotes.code')}>{`${b.code} · ${t('quotes.versionShort', { version: b.version })}`}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.customer')}>
                    <Link to={`/customers/${b.customerId}`}>{b.customerName}</Link>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('quotes.opportunity')}>{b.opportunityId ? <Link to={`/opportunities/${b.opportunityId}`}>{b.opportunityName}</Link> : '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.owner')}>{b.ownerName ?? '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.validUntil')}>{b.validUntil ?? '-'}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.currency')}>{b.currency}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.discount')}>{b.discount}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.taxRate')}>{b.taxRate}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.sentAt')}>{formatTime(b.sentAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.answeredAt')}>{formatTime(b.answeredAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.contract')}>
                    {b.contractId ? (
                      <Link to={`/contracts/${b.contractId}`} data-testid="quote-contract-link">
                        #{b.contractId}
                      </Link>
                    ) : (
                      '-'
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('common.updatedAt')}>{formatTime(b.updatedAt)}</Descriptions.Item>
                  <Descriptions.Item label={t('quotes.terms')} span={2}>
                    <span className="pre-wrap">{b.terms ?? '-'}</span>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('quotes.notes')} span={2}>
                    <span className="pre-wrap">{b.notes ?? '-'}</span>
                  </Descriptions.Item>
                </Descriptions>
              ),
            },
            {
              key: 'lines',
              label: t('quotes.tabs.lines'),
              children: (
                <>
                  <LinesEditor
                    readOnly
                    currency={b.currency}
                    value={b.lines.map((l) => ({ key: newLineKey(), productId: l.productId, productName: l.productName, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount }))}
                  />
                  <Descriptions size="small" column={{ xs: 1, md: 5 }} style={{ marginTop: 12 }}>
                    {(['listTotal', 'subtotal', 'discountAmount', 'tax', 'total'] as const).map((k) => (
                      <Descriptions.Item key={k} label={t(`quotes.totals.${k}`)}>
                        {money(b.totals[k])}
                      </Descriptions.Item>
                    ))}
                  </Descriptions>
                </>
              ),
            },
            {
              key: 'versions',
              label: t('quotes.tabs.versions'),
              children: (
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={b.versions}
                  data-testid="quote-versions"
                  columns={[
                    { title: t('quotes.version'), dataIndex: 'version', render: (v: number, r) => (r.id === b.id ? t('quotes.versionShort', { version: v }) : <Link to={`/quotes/${r.id}`}>{t('quotes.versionShort', { version: v })}</Link>) },
                    { title: t('quotes.status'), dataIndex: 'status', render: (v: QuoteStatus, r) => <QuoteStatusTag status={v} superseded={r.superseded} /> },
                    { title: t('quotes.amount'), dataIndex: 'amount', align: 'right', render: money },
                    { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatTime },
                  ]}
                />
              ),
            },
            {
              key: 'approval',
              label: t('quotes.tabs.approval'),
              children: <ApprovalPanel type="quote" recordId={b.id} submitPath={b.allowed.submit && can('quote.edit') ? `/quotes/${b.id}/submit` : undefined} />,
            },
            { key: 'history', label: t('quotes.tabs.history'), children: <OperationTimeline items={history.data} loading={history.isPending} error={history.error} /> },
          ]}
        />
      </Card>
      {dialog === 'edit' && <QuoteFormModal quote={b} onClose={() => setDialog(null)} />}
      {(dialog === 'accepted' || dialog === 'rejected') && (
        <Modal
          open
          title={t(dialog === 'accepted' ? 'quotes.actions.accept' : 'quotes.actions.reject')}
          confirmLoading={running === 'answer'}
          okButtonProps={{ 'data-testid': 'quote-answer-confirm', danger: dialog === 'rejected' } as never}
          onCancel={() => setDialog(null)}
          onOk={() => void action('answer', 'answer', t('quotes.answered'), { answer: dialog, note: note.trim() || null }).then(() => setDialog(null))}
        >
          <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('quotes.answerNote')} aria-label={t('quotes.answerNote')} />
        </Modal>
      )}
    </PageContainer>
  );
}
