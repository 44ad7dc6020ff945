import { CheckOutlined, CloseOutlined, RedoOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Form, Input, Modal, Radio, Skeleton, Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApprovalDetailDto, ApprovalStatus, Bilingual, ExpenseStatus } from '../../common/schemas/approvals';
import { formatMoney } from '../../common/money';
import { api } from '../api/client';
import { currentLocale } from '../i18n';
import { useShowError } from './form';
import { formatTime } from './format';

/** Cache key of everything approvals show: invalidate it after any decision. */
export const APPROVALS_KEY = ['approvals'] as const;

const STATUS_COLORS: Record<ExpenseStatus | 'none', string> = { none: 'default', draft: 'default', pending: 'processing', approved: 'success', rejected: 'error', withdrawn: 'warning' };

export const bilingual = (l: Bilingual) => (currentLocale() === 'en' ? l.en : l.zh);

/** Where an approval stands: 审批中, 已通过 ... */
export function ApprovalStatusTag({ status }: { status: ExpenseStatus | 'none' }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} bordered={false} data-testid="approval-status">
      {t(`approvals.statuses.${status}`)}
    </Tag>
  );
}

type Decision = 'approve' | 'reject' | 'withdraw' | 'resubmit';

/** Asks for the comment (and, for a rejection, where it goes back to), then decides. */
function DecisionModal({ approval, decision, onClose }: { approval: ApprovalDetailDto; decision: Decision; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const [backTo, setBackTo] = useState<'submitter' | number>('submitter');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      const body = decision === 'reject' ? { comment: comment.trim() || undefined, backTo } : { comment: comment.trim() || undefined };
      await api.post(`/approvals/${approval.id}/${decision}`, body);
      // the record's status and history follow the approval
      await queryClient.invalidateQueries();
      message.success(t(`approvals.actionDone.${decision}`));
      onClose();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={`${t(`approvals.actions.${decision}`)} · ${approval.title}`}
      okText={t(`approvals.actions.${decision}`)}
      okButtonProps={{ danger: decision === 'reject', 'data-testid': 'approval-confirm' } as never}
      cancelText={t('common.cancel')}
      onOk={() => void send()}
      onCancel={onClose}
      confirmLoading={busy}
    >
      <Form layout="vertical">
        {decision === 'reject' && (
          <Form.Item label={t('approvals.backTo')}>
            <Radio.Group value={backTo} onChange={(e) => setBackTo(e.target.value)} data-testid="approval-back-to">
              <Space direction="vertical">
                <Radio value="submitter">{t('approvals.backToSubmitter')}</Radio>
                {approval.allowed.backTo.map((s) => (
                  <Radio key={s.index} value={s.index}>
                    {t('approvals.backToStep', { name: s.name })}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
        )}
        <Form.Item label={t('approvals.comment')}>
          <Input.TextArea
            autoFocus
            value={comment}
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('approvals.commentPlaceholder')}
            onChange={(e) => setComment(e.target.value)}
            data-testid="approval-comment"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Who approves a step, as its template says. */
function approverText(s: ApprovalDetailDto['steps'][number], t: TFunction) {
  if (s.approverKind === 'superior') return t('approvals.levels', { levels: s.levels });
  return t(`approvals.kinds.${s.approverKind}`);
}

/** One approval in full: what is approved, the steps with their approvers, the history, and the caller's buttons. */
export function ApprovalView({ approval, extra }: { approval: ApprovalDetailDto; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const a = approval;
  const current = a.steps.findIndex((s) => s.state === 'current');
  const stepStatus = (s: ApprovalDetailDto['steps'][number]) =>
    s.tasks.some((x) => x.status === 'rejected') && s.state !== 'current' && s.state !== 'done'
      ? ('error' as const)
      : s.state === 'done'
        ? ('finish' as const)
        : s.state === 'current'
          ? ('process' as const)
          : ('wait' as const);
  const buttons = (
    <Space wrap>
      {a.allowed.approve && (
        <Button type="primary" icon={<CheckOutlined />} onClick={() => setDeciding('approve')} data-testid="approval-approve">
          {t('approvals.actions.approve')}
        </Button>
      )}
      {a.allowed.reject && (
        <Button danger icon={<CloseOutlined />} onClick={() => setDeciding('reject')} data-testid="approval-reject">
          {t('approvals.actions.reject')}
        </Button>
      )}
      {a.allowed.withdraw && (
        <Button icon={<RollbackOutlined />} onClick={() => setDeciding('withdraw')} data-testid="approval-withdraw">
          {t('approvals.actions.withdraw')}
        </Button>
      )}
      {a.allowed.resubmit && (
        <Button icon={<RedoOutlined />} onClick={() => setDeciding('resubmit')} data-testid="approval-resubmit">
          {t('approvals.actions.resubmit')}
        </Button>
      )}
      {extra}
    </Space>
  );

  return (
    <div className="approval-view" data-testid="approval-view">
      <Space wrap style={{ marginBottom: 12 }}>
        <ApprovalStatusTag status={a.status} />
        <Typography.Text type="secondary">
          {a.templateName} · {t('approvals.round', { round: a.round })} · {a.submitterName} · {formatTime(a.submittedAt)}
        </Typography.Text>
      </Space>
      <div style={{ marginBottom: 16 }}>{buttons}</div>
      <Typography.Title level={5}>{t('approvals.snapshot')}</Typography.Title>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, sm: 2 }}
        data-testid="approval-snapshot"
        items={[
          { key: 'title', label: t('approvals.title'), children: a.snapshot.title, span: 'filled' },
          ...(a.snapshot.amount ? [{ key: 'amount', label: t('approvals.amount'), children: formatMoney(a.snapshot.amount, a.snapshot.currency) }] : []),
          ...a.snapshot.fields.map((f, i) => ({ key: `f${i}`, label: bilingual(f.label), children: <span className="pre-wrap">{f.value}</span> })),
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('approvals.progress')}
      </Typography.Title>
      <Steps
        direction="vertical"
        size="small"
        current={current === -1 ? undefined : current}
        data-testid="approval-steps"
        items={a.steps.map((s) => ({
          status: stepStatus(s),
          title: (
            <Space size={4} wrap>
              <span>{s.name}</span>
              <Tag bordered={false}>{t(`approvals.modesShort.${s.mode}`)}</Tag>
            </Space>
          ),
          description: !s.applies ? (
            t('approvals.skippedStep')
          ) : (
            <div>
              <Typography.Text type="secondary">{approverText(s, t)}</Typography.Text>
              {s.tasks.map((task) => (
                <div key={task.id}>
                  {task.approverName} · {t(`approvals.taskStatuses.${task.status}`)}
                  {task.decidedAt && task.status !== 'skipped' ? ` · ${formatTime(task.decidedAt)}` : ''}
                  {task.comment ? `：${task.comment}` : ''}
                </div>
              ))}
            </div>
          ),
        }))}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('approvals.history')}
      </Typography.Title>
      <Timeline
        data-testid="approval-history"
        items={a.events.map((e) => ({
          key: e.id,
          color: e.action === 'reject' ? 'red' : e.action === 'approve' ? 'green' : e.action === 'withdraw' ? 'gray' : 'blue',
          children: (
            <div>
              <Typography.Text strong>{t(`approvals.actions.${e.action}`)}</Typography.Text>
              {e.stepName && <Typography.Text> · {e.stepName}</Typography.Text>}
              {e.action === 'reject' && (
                <Typography.Text> · {e.backTo === null ? t('approvals.backToSubmitter') : t('approvals.backToStep', { name: a.steps[e.backTo]?.name ?? '' })}</Typography.Text>
              )}
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {e.actorName} · {formatTime(e.at)}
              </Typography.Text>
              {e.comment && <div className="pre-wrap">{e.comment}</div>}
            </div>
          ),
        }))}
      />
      {deciding && <DecisionModal approval={a} decision={deciding} onClose={() => setDeciding(null)} />}
    </div>
  );
}

interface PanelProps {
  /** The business type (e.g. 'expense'). */
  type: string;
  recordId: number;
  /** The record's own submit endpoint (e.g. `/expenses/12/submit`), when the caller may submit it now. */
  submitPath?: string;
}

/**
 * The approval of a record, for its page: status, progress, history, the
 * caller's decisions, and a submit button when the page allows it.
 */
export function ApprovalPanel({ type, recordId, submitPath }: PanelProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const query = useQuery({
    queryKey: [...APPROVALS_KEY, 'by-record', type, recordId],
    queryFn: () => api.get<{ approval: ApprovalDetailDto | null }>('/approvals/by-record', { type, recordId }).then((r) => r.approval),
  });
  const submit = async () => {
    setBusy(true);
    try {
      await api.post(submitPath!, {});
      await queryClient.invalidateQueries();
      message.success(t('approvals.actionDone.submit'));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };
  if (query.error) return <Alert type="error" showIcon message={query.error.message} />;
  if (query.isPending) return <Skeleton active />;
  const approval = query.data;
  const status: ApprovalStatus | undefined = approval?.status;
  const canSubmit = submitPath && status !== 'pending' && status !== 'approved';
  const submitButton = canSubmit && (
    <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={() => void submit()} data-testid="approval-submit">
      {t('approvals.actions.submit')}
    </Button>
  );
  if (!approval)
    return (
      <Card size="small" data-testid="approval-panel">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('approvals.noApproval')}>
          {submitButton}
        </Empty>
      </Card>
    );
  return (
    <div data-testid="approval-panel">
      {/* the record page's submit button resubmits a fresh snapshot through the record's own checks */}
      <ApprovalView approval={{ ...approval, allowed: { ...approval.allowed, resubmit: approval.allowed.resubmit && !canSubmit } }} extra={submitButton} />
    </div>
  );
}
