import { CalendarOutlined, CheckOutlined, DeleteOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Col, DatePicker, Empty, Form, Input, Modal, Popconfirm, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CommentCreate, FollowupCreate, type FollowupEntity, TemplateCreate } from '../../common/schemas/followups';
import { api } from '../api/client';
import type { ContactDto, FollowupDto, Page, TemplateDto } from '../api/types';
import { useMe, useSession } from '../app/session';
import { DictSelect, useDictionaries } from './dictionaries';
import { issueMessage, showError, useShowError, zodRule } from './form';
import { formatTime } from './format';

export const TEMPLATES_KEY = ['followups', 'templates'] as const;

/**
 * After a follow-up, a comment or a "done": the upcoming list, the follow-up
 * lists, and the customers (timeline, last / next follow-up times) change.
 */
export async function refreshFollowups(queryClient: ReturnType<typeof useQueryClient>) {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ['followups'] }),
    queryClient.invalidateQueries({ queryKey: ['customers'] }),
    // a lead's last and next follow-up times and its score follow its follow-ups
    queryClient.invalidateQueries({ queryKey: ['leads'] }),
  ]);
}

export function useTemplates(enabled = true) {
  return useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: () => api.get<{ items: TemplateDto[] }>('/followup-templates').then((r) => r.items),
    staleTime: 60_000,
    enabled,
  });
}

interface ComposerValues {
  typeCode?: string | null;
  contactId?: number | null;
  content?: string;
  nextContactAt?: Dayjs | null;
}

/** Saves the composer's text as a template (mine, or shared with the company). */
function SaveTemplateModal({ content, typeCode, onClose }: { content: string; typeCode: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string; shared: boolean }>();
  const [saving, setSaving] = useState(false);
  const save = async (v: { name: string; shared: boolean }) => {
    setSaving(true);
    try {
      await api.post('/followup-templates', { name: v.name, typeCode, content, shared: v.shared });
      await queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      message.success(t('followups.templateSaved'));
      onClose();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('followups.saveTemplate')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'template-form-submit' }}
    >
      <Form form={form} name="template" layout="vertical" initialValues={{ name: content.slice(0, 20), shared: false }} onFinish={save}>
        <Form.Item label={t('followups.templateName')} name="name" required rules={[zodRule(TemplateCreate.shape.name, t)]}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item name="shared" valuePropName="checked">
          <Checkbox>{t('followups.templateShared')}</Checkbox>
        </Form.Item>
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} className="template-preview">
          {content}
        </Typography.Paragraph>
      </Form>
    </Modal>
  );
}

interface ComposerProps {
  entityType: FollowupEntity;
  entityId: number;
  /** On a customer: its contacts, one of whom may be the person spoken to. */
  contacts?: ContactDto[];
}

/**
 * Records a follow-up: how (phone, visit …), what was said (typed or from a
 * template), with whom, and optionally when to get in touch next (that time
 * lands in the author's upcoming list in the header).
 */
export function FollowupComposer({ entityType, entityId, contacts }: ComposerProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const queryClient = useQueryClient();
  const dict = useDictionaries();
  const templates = useTemplates();
  const showErr = useShowError();
  const [form] = Form.useForm<ComposerValues>();
  const [saving, setSaving] = useState(false);
  const [templateId, setTemplateId] = useState<number | null>(null);
  const [savingTemplate, setSavingTemplate] = useState(false);
  const content = Form.useWatch('content', form) ?? '';
  const typeCode = Form.useWatch('typeCode', form) ?? null;
  const firstType = dict.options('followup_type')[0]?.value;
  const template = templates.data?.find((x) => x.id === templateId);

  // the type list may arrive after the first render: start with its first type
  useEffect(() => {
    if (firstType && !form.getFieldValue('typeCode')) form.setFieldValue('typeCode', firstType);
  }, [firstType, form]);

  const pickTemplate = (id: number | null) => {
    setTemplateId(id);
    const tpl = templates.data?.find((x) => x.id === id);
    if (!tpl) return;
    form.setFieldValue('content', tpl.content);
    if (tpl.typeCode && dict.options('followup_type').some((o) => o.value === tpl.typeCode)) form.setFieldValue('typeCode', tpl.typeCode);
    void form.validateFields(['content']).catch(() => undefined);
  };

  const deleteTemplate = async () => {
    if (!template) return;
    try {
      await api.delete(`/followup-templates/${template.id}`);
      setTemplateId(null);
      await queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      message.success(t('followups.templateDeleted'));
    } catch (err) {
      showErr(err);
    }
  };

  const save = async (v: ComposerValues) => {
    const body = {
      entityType,
      entityId,
      typeCode: v.typeCode ?? firstType,
      content: v.content ?? '',
      contactId: entityType === 'customer' ? (v.contactId ?? null) : undefined,
      nextContactAt: v.nextContactAt ? v.nextContactAt.second(0).millisecond(0).toISOString() : null,
    };
    const parsed = FollowupCreate.safeParse(body);
    if (!parsed.success) {
      form.setFields(parsed.error.issues.map((i) => ({ name: String(i.path[0]), errors: [issueMessage(i, undefined, t)] })) as never);
      return;
    }
    setSaving(true);
    try {
      await api.post('/followups', parsed.data);
      await refreshFollowups(queryClient);
      message.success(t('followups.saved'));
      form.resetFields(['content', 'nextContactAt', 'contactId']);
      setTemplateId(null);
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSaving(false);
    }
  };

  const presets = [
    { label: t('followups.presets.tomorrow'), value: dayjs().add(1, 'day').hour(9).minute(0) },
    { label: t('followups.presets.threeDays'), value: dayjs().add(3, 'day').hour(9).minute(0) },
    { label: t('followups.presets.nextWeek'), value: dayjs().add(7, 'day').hour(9).minute(0) },
  ];

  return (
    <div className="followup-composer" data-testid="followup-composer">
      <Form<ComposerValues>
        form={form}
        name="followup"
        layout="vertical"
        initialValues={{ typeCode: firstType }}
        onFinish={(v) => void save(v)}
      >
        <Row gutter={12}>
          <Col xs={12} md={6}>
            <Form.Item label={t('followups.type')} name="typeCode" required rules={[zodRule(FollowupCreate.shape.typeCode, t)]}>
              <DictSelect kind="followup_type" />
            </Form.Item>
          </Col>
          {entityType === 'customer' && (
            <Col xs={12} md={6}>
              <Form.Item label={t('followups.contact')} name="contactId">
                <Select<number>
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  placeholder={t('followups.contactPlaceholder')}
                  options={(contacts ?? []).map((k) => ({ value: k.id, label: k.title ? `${k.name}（${k.title}）` : k.name }))}
                  notFoundContent={t('followups.noContacts')}
                />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={entityType === 'customer' ? 12 : 18}>
            <Form.Item label={t('followups.template')}>
              <Space.Compact style={{ width: '100%' }}>
                <Select<number>
                  id="followup_template"
                  allowClear
                  value={templateId ?? undefined}
                  onChange={(v) => pickTemplate(v ?? null)}
                  placeholder={t('followups.templatePlaceholder')}
                  loading={templates.isPending}
                  options={(templates.data ?? []).map((x) => ({
                    value: x.id,
                    label: x.shared && x.ownerId !== me.user.id ? t('followups.sharedTemplate', { name: x.name, owner: x.ownerName }) : x.name,
                  }))}
                  notFoundContent={t('followups.noTemplates')}
                  showSearch
                  optionFilterProp="label"
                  style={{ flex: 1, minWidth: 0 }}
                />
                {template && template.ownerId === me.user.id && (
                  <Popconfirm
                    title={t('followups.deleteTemplateConfirm', { name: template.name })}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    okButtonProps={{ danger: true }}
                    onConfirm={deleteTemplate}
                  >
                    <Button icon={<DeleteOutlined />} aria-label={t('followups.deleteTemplate')} title={t('followups.deleteTemplate')} />
                  </Popconfirm>
                )}
              </Space.Compact>
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('followups.content')} name="content" required rules={[zodRule(FollowupCreate.shape.content, t)]}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} placeholder={t('followups.contentPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('followups.nextContactAt')} name="nextContactAt" extra={t('followups.nextContactHelp')}>
              <DatePicker
                showTime={{ format: 'HH:mm', minuteStep: 5 }}
                format="YYYY-MM-DD HH:mm"
                presets={presets}
                disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                style={{ width: '100%' }}
                placeholder={t('followups.nextContactPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} className="followup-composer-actions">
            <Space wrap>
              <Button icon={<SaveOutlined />} disabled={!content.trim()} onClick={() => setSavingTemplate(true)} data-testid="followup-save-template">
                {t('followups.saveTemplate')}
              </Button>
              <Button type="primary" htmlType="submit" loading={saving} icon={<SendOutlined />} data-testid="followup-submit">
                {t('followups.submit')}
              </Button>
            </Space>
          </Col>
        </Row>
      </Form>
      {savingTemplate && <SaveTemplateModal content={content.trim()} typeCode={typeCode} onClose={() => setSavingTemplate(false)} />}
    </div>
  );
}

/** A comment box under a follow-up (点评), for users with followup.comment. */
function CommentBox({ followup }: { followup: FollowupDto }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    const parsed = CommentCreate.safeParse({ content: text });
    if (!parsed.success) {
      setError(issueMessage(parsed.error.issues[0]!, text, t));
      return;
    }
    setSending(true);
    try {
      await api.post(`/followups/${followup.id}/comments`, parsed.data);
      await refreshFollowups(queryClient);
      setText('');
      setError(null);
      setOpen(false);
      message.success(t('followups.commented'));
    } catch (err) {
      showError(err, { message, t });
    } finally {
      setSending(false);
    }
  };

  if (!open)
    return (
      <Button type="link" size="small" className="followup-comment-toggle" onClick={() => setOpen(true)} data-testid="followup-comment">
        {t('followups.comment')}
      </Button>
    );
  return (
    <div className="followup-comment-box">
      <Input.TextArea
        autoFocus
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        maxLength={2000}
        autoSize={{ minRows: 2, maxRows: 6 }}
        placeholder={t('followups.commentPlaceholder')}
        status={error ? 'error' : undefined}
        aria-label={t('followups.comment')}
        data-testid="followup-comment-input"
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Space className="followup-comment-actions">
        <Button size="small" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </Button>
        <Button size="small" type="primary" icon={<SendOutlined />} loading={sending} onClick={() => void send()} data-testid="followup-comment-submit">
          {t('followups.commentSend')}
        </Button>
      </Space>
    </div>
  );
}

/** Marks my planned next contact as done: it leaves the upcoming list. */
export function useCompleteFollowup() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showErr = useShowError();
  return async (id: number) => {
    try {
      await api.post(`/followups/${id}/done`, {});
      await refreshFollowups(queryClient);
      message.success(t('followups.markedDone'));
    } catch (err) {
      showErr(err);
    }
  };
}

/** The planned next contact of a follow-up: time, done / overdue, and "done" for its author. */
function NextContact({ followup }: { followup: FollowupDto }) {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const complete = useCompleteFollowup();
  if (!followup.nextContactAt) return null;
  const overdue = !followup.nextContactDone && new Date(followup.nextContactAt).getTime() < Date.now();
  const mine = followup.createdBy === me.user.id && can('followup.create');
  return (
    <div className="followup-next">
      <CalendarOutlined aria-hidden />
      <span>{t('followups.nextContact', { time: formatTime(followup.nextContactAt) })}</span>
      {followup.nextContactDone ? (
        <Tag color="green" bordered={false}>
          {t('followups.done')}
        </Tag>
      ) : overdue ? (
        <Tag color="red" bordered={false}>
          {t('followups.overdue')}
        </Tag>
      ) : null}
      {mine && !followup.nextContactDone && (
        <Button type="link" size="small" icon={<CheckOutlined />} onClick={() => void complete(followup.id)}>
          {t('followups.markDone')}
        </Button>
      )}
    </div>
  );
}

/** One follow-up: who, how, when, with whom; the text; the planned next contact; comments and a comment box. */
export function FollowupCard({ followup, showRecord }: { followup: FollowupDto; showRecord?: boolean }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const dict = useDictionaries();
  return (
    <div className="followup" data-testid="followup" data-followup-id={followup.id}>
      <div className="followup-head">
        <Tag color="blue" bordered={false}>
          {dict.label('followup_type', followup.typeCode)}
        </Tag>
        <Typography.Text strong>{followup.createdByName}</Typography.Text>
        <Typography.Text type="secondary">{formatTime(followup.createdAt)}</Typography.Text>
        {followup.contactName && <Typography.Text type="secondary">{t('followups.withContact', { name: followup.contactName })}</Typography.Text>}
        {showRecord && followup.customerId && <Link to={`/customers/${followup.customerId}?tab=followups`}>{followup.customerName}</Link>}
        {showRecord && !followup.customerId && followup.leadId && (
          <Link to={`/leads/${followup.leadId}?tab=followups`}>{t('followups.upcoming.lead', { name: followup.leadName ?? `#${followup.leadId}` })}</Link>
        )}
      </div>
      <div className="followup-content">{followup.content}</div>
      <NextContact followup={followup} />
      {followup.comments.length > 0 && (
        <ul className="followup-comments" aria-label={t('followups.comments')}>
          {followup.comments.map((c) => (
            <li key={c.id} data-testid="followup-comment-item">
              <Typography.Text strong>{c.authorName}</Typography.Text>
              <Typography.Text type="secondary" className="followup-comment-time">
                {formatTime(c.createdAt)}
              </Typography.Text>
              <div className="followup-comment-text">{c.content}</div>
            </li>
          ))}
        </ul>
      )}
      {can('followup.comment') && <CommentBox followup={followup} />}
    </div>
  );
}

/** The follow-ups of a record (a contact), newest first, page by page. */
export function FollowupList({ entityType, entityId, showRecord }: { entityType: FollowupEntity; entityId: number; showRecord?: boolean }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: ['followups', 'list', entityType, entityId],
    queryFn: ({ pageParam }) =>
      api.get<Page<FollowupDto>>('/followups', { entityType, entityId, limit: 20, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  if (list.error) return <Alert type="error" showIcon message={list.error.message} />;
  if (list.isPending) return <Skeleton active />;
  const items = list.data.pages.flatMap((p) => p.items);
  if (!items.length) return <Empty description={t('followups.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <div className="followup-list">
      {items.map((f) => (
        <FollowupCard key={f.id} followup={f} showRecord={showRecord} />
      ))}
      {list.hasNextPage && (
        <div className="list-footer">
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('list.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
