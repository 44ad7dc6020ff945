import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangePasswordBody, CreateApiTokenBody } from '../../../common/schemas/auth';
import { api } from '../../api/client';
import type { ApiToken, MeResponse, Session } from '../../api/types';
import { ME_KEY, useMe, useSession } from '../../app/session';
import { useSchemaForm, useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { SessionTable } from '../../components/SessionTable';
import { currentLocale, LOCALE_NAMES, LOCALES, type Locale } from '../../i18n';

const MY_SESSIONS = ['my-sessions'];
const MY_TOKENS = ['my-tokens'];

function BasicInfo() {
  const { t } = useTranslation();
  const me = useMe();
  const { changeLocale } = useSession();
  const showError = useShowError();
  return (
    <>
      <Descriptions
        column={{ xs: 1, sm: 2 }}
        bordered
        size="middle"
        items={[
          { key: 'name', label: t('profile.name'), children: me.user.name },
          { key: 'company', label: t('profile.company'), children: me.tenant.name },
          { key: 'mobile', label: t('users.mobile'), children: me.user.mobile ?? '-' },
          { key: 'email', label: t('users.email'), children: me.user.email ?? '-' },
          { key: 'department', label: t('users.department'), children: me.user.departmentName },
          { key: 'code', label: t('profile.companyCode'), children: me.tenant.code },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('profile.language')}
      </Typography.Title>
      <Radio.Group
        value={currentLocale()}
        optionType="button"
        options={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        onChange={(e) => void changeLocale(e.target.value as Locale).catch(showError)}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('profile.languageHelp')}
      </Typography.Paragraph>
      <TimeZoneSetting />
    </>
  );
}

/** Common zones of the users of a Chinese company; the one set stays listed whatever it is. */
const TIME_ZONES = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Dubai', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney', 'UTC'];

function TimeZoneSetting() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const showError = useShowError();
  const zones = TIME_ZONES.includes(me.user.timeZone) ? TIME_ZONES : [me.user.timeZone, ...TIME_ZONES];
  const change = async (timeZone: string) => {
    await api.put('/auth/preferences', { timeZone });
    queryClient.setQueryData<MeResponse | null>(ME_KEY, (old) => (old ? { ...old, user: { ...old.user, timeZone } } : old));
  };
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('products.timeZone.label')}
      </Typography.Title>
      <Select
        showSearch
        style={{ width: 260 }}
        value={me.user.timeZone}
        aria-label={t('products.timeZone.label')}
        options={zones.map((z) => ({ value: z, label: z }))}
        onChange={(z) => void change(z).catch(showError)}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('products.timeZone.help')}
      </Typography.Paragraph>
    </>
  );
}

function ChangePassword() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(ChangePasswordBody);
  const save = submit(async (data) => {
    await api.post('/auth/password', data);
    form.resetFields();
    await queryClient.invalidateQueries({ queryKey: MY_SESSIONS });
    message.success(t('profile.passwordChanged'));
  });
  return (
    <Form form={form} name="password" layout="vertical" onFinish={save} style={{ maxWidth: 420 }}>
      <Form.Item label={t('profile.currentPassword')} {...field('currentPassword')}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item label={t('profile.newPassword')} {...field('newPassword')} extra={t('users.passwordHelp')}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('profile.confirmPassword')}
        name="confirm"
        dependencies={['newPassword']}
        required
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_, v) => {
              if (v !== getFieldValue('newPassword')) throw new Error(t('profile.passwordMismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Alert type="info" showIcon message={t('profile.passwordSignsOut')} style={{ marginBottom: 16 }} />
      <Button type="primary" htmlType="submit" loading={submitting}>
        {t('profile.changePassword')}
      </Button>
    </Form>
  );
}

function MySessions() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: MY_SESSIONS, queryFn: () => api.get<{ items: Session[] }>('/auth/sessions').then((r) => r.items) });
  const revoke = async (s: Session) => {
    try {
      await api.delete(`/auth/sessions/${s.id}`);
      await queryClient.invalidateQueries({ queryKey: MY_SESSIONS });
      message.success(t('sessions.revoked', { count: 1 }));
    } catch (err) {
      showError(err);
    }
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t('profile.sessionsHelp')}</Typography.Paragraph>
      <SessionTable sessions={sessions.data} loading={sessions.isPending} onRevoke={revoke} />
    </>
  );
}

/** Creates a token; its secret is shown once, in the dialog that follows. */
function CreateTokenModal({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { form, field, submit, submitting } = useSchemaForm(CreateApiTokenBody);
  const save = submit(async (data) => {
    const created = await api.post<ApiToken & { token: string }>('/auth/tokens', data);
    await queryClient.invalidateQueries({ queryKey: MY_TOKENS });
    onCreated(created.token);
  }, onClose);
  return (
    <Modal
      open
      title={t('tokens.create')}
      okText={t('tokens.createOk')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
    >
      <Form form={form} name="token" layout="vertical" onFinish={save} initialValues={{ expiresInDays: 90 }}>
        <Form.Item label={t('tokens.name')} {...field('name')} extra={t('tokens.nameHelp')}>
          <Input maxLength={50} autoFocus />
        </Form.Item>
        <Form.Item label={t('tokens.expiresIn')} {...field('expiresInDays')}>
          <Select
            allowClear
            placeholder={t('tokens.never')}
            options={[30, 90, 365].map((d) => ({ value: d, label: t('tokens.days', { count: d }) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ApiTokens() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string>();
  const tokens = useQuery({ queryKey: MY_TOKENS, queryFn: () => api.get<{ items: ApiToken[] }>('/auth/tokens').then((r) => r.items) });

  const revoke = async (token: ApiToken) => {
    try {
      await api.delete(`/auth/tokens/${token.id}`);
      await queryClient.invalidateQueries({ queryKey: MY_TOKENS });
      message.success(t('tokens.revoked'));
    } catch (err) {
      showError(err);
    }
  };

  const columns: ColumnsType<ApiToken> = [
    { title: t('tokens.name'), dataIndex: 'name', key: 'name' },
    { title: t('tokens.prefix'), dataIndex: 'prefix', key: 'prefix', render: (p: string) => <Typography.Text code>{p}…</Typography.Text> },
    { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'created', render: formatTime },
    {
      title: t('tokens.lastUsed'),
      dataIndex: 'lastUsedAt',
      key: 'used',
      render: (v: string | null) => (v ? formatTime(v) : t('tokens.neverUsed')),
    },
    {
      title: t('tokens.expiresAt'),
      dataIndex: 'expiresAt',
      key: 'expires',
      render: (v: string | null) => (v ? formatTime(v) : t('tokens.never')),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, tk: ApiToken) => (
        <Popconfirm
          title={t('tokens.revokeConfirm', { name: tk.name })}
          onConfirm={() => revoke(tk)}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
        >
          <Button type="link" size="small" danger>
            {t('tokens.revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <div className="list-toolbar">
        <Typography.Text type="secondary">{t('tokens.help')}</Typography.Text>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      </div>
      <Table<ApiToken>
        rowKey="id"
        columns={columns}
        dataSource={tokens.data}
        loading={tokens.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        size="small"
        locale={{ emptyText: t('tokens.none') }}
      />
      {creating && <CreateTokenModal onClose={() => setCreating(false)} onCreated={setSecret} />}
      <Modal
        open={!!secret}
        title={
          <>
            <KeyOutlined /> {t('tokens.createdTitle')}
          </>
        }
        onCancel={() => setSecret(undefined)}
        footer={
          <Button type="primary" onClick={() => setSecret(undefined)}>
            {t('tokens.saved')}
          </Button>
        }
      >
        <Alert type="warning" showIcon message={t('tokens.showOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable={{ text: secret }} code className="secret-box" data-testid="token-secret">
          {secret}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('tokens.usage')}</Typography.Paragraph>
      </Modal>
    </>
  );
}

export default function Profile() {
  const { t } = useTranslation();
  return (
    <PageContainer title={t('menu.profile')}>
      <Card className="page-card">
        <Tabs
          items={[
            { key: 'basic', label: t('profile.basic'), children: <BasicInfo /> },
            { key: 'password', label: t('profile.changePassword'), children: <ChangePassword /> },
            { key: 'sessions', label: t('profile.sessions'), children: <MySessions /> },
            { key: 'tokens', label: t('tokens.title'), children: <ApiTokens /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
