import { DownOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Checkbox, Dropdown, Form, Input, Modal, Popconfirm, Select, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { ResetPasswordBody } from '../../../common/schemas/org';
import { api, type QueryParams } from '../../api/client';
import type { CountedPage, Session, User, UserStatus } from '../../api/types';
import { useMe, useSession } from '../../app/session';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { useSchemaForm, useShowError } from '../../components/form';
import { formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { SessionTable } from '../../components/SessionTable';
import { useRoles } from './roles';
import { UserDrawer } from './UserDrawer';

interface Filters {
  q?: string;
  departmentId?: number | null;
  includeSubDepartments?: boolean;
  status?: UserStatus;
  roleId?: number;
}

const toParams = (f: Filters): QueryParams => ({
  q: f.q?.trim(),
  departmentId: f.departmentId,
  // the sub-department switch only means something with a department
  includeSubDepartments: f.departmentId ? f.includeSubDepartments : undefined,
  status: f.status,
  roleId: f.roleId,
});

/** Sets a new password; the user is signed out everywhere. */
function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { form, field, submit, submitting } = useSchemaForm(ResetPasswordBody);
  const save = submit(async (data) => {
    await api.put(`/users/${user.id}/password`, data);
    message.success(t('users.passwordReset'));
  }, onClose);
  return (
    <Modal
      open
      title={t('users.resetPasswordTitle', { name: user.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
    >
      <Form form={form} name="reset-password" layout="vertical" onFinish={save}>
        <Form.Item label={t('users.newPassword')} {...field('password')} extra={t('users.resetPasswordHelp')}>
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A user's active sessions, each revocable, or all at once. */
function SessionsModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const key = ['users', 'sessions', user.id];
  const sessions = useQuery({
    queryKey: key,
    queryFn: () => api.get<{ items: Session[] }>(`/users/${user.id}/sessions`).then((r) => r.items),
  });

  const revoke = async (sessionId?: number) => {
    try {
      const { revoked } = await api.post<{ revoked: number }>(`/users/${user.id}/sessions/revoke`, sessionId ? { sessionId } : {});
      message.success(t('sessions.revoked', { count: revoked }));
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Modal open width={720} title={t('users.sessionsTitle', { name: user.name })} onCancel={onClose} footer={null}>
      <SessionTable sessions={sessions.data} loading={sessions.isPending} onRevoke={(x) => revoke(x.id)} />
      <div style={{ marginTop: 16, textAlign: 'right' }}>
        <Popconfirm
          title={t('users.revokeAllConfirm', { name: user.name })}
          onConfirm={() => revoke()}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
        >
          <Button danger disabled={!sessions.data?.length}>
            {t('users.revokeAll')}
          </Button>
        </Popconfirm>
      </div>
    </Modal>
  );
}

type Dialog = { kind: 'create' } | { kind: 'edit' | 'password' | 'sessions'; user: User };

export default function Users() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const [search] = useSearchParams();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const roles = useRoles(can('role.view'));
  const manage = can('user.manage');
  const initialDepartment = Number(search.get('departmentId')) || undefined;

  const setStatus = (user: User, status: UserStatus) =>
    modal.confirm({
      title: t(status === 'disabled' ? 'users.disableConfirm' : 'users.enableConfirm', { name: user.name }),
      content: status === 'disabled' ? t('users.disableHelp') : undefined,
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: status === 'disabled' },
      onOk: async () => {
        try {
          await api.put(`/users/${user.id}/status`, { status });
          await queryClient.invalidateQueries({ queryKey: ['users'] });
          await queryClient.invalidateQueries({ queryKey: ['departments'] });
          message.success(t(status === 'disabled' ? 'users.disabled' : 'users.enabled'));
        } catch (err) {
          showError(err);
        }
      },
    });

  // a super administrator's account is only changed by another super administrator
  const mayChange = (u: User) => manage && (!u.isSuperAdmin || me.user.isSuperAdmin);
  const columns: ColumnsType<User> = [
    {
      title: t('users.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, u) => (
        <Space size={4} wrap>
          <span>{name}</span>
          {u.isSuperAdmin && <Tag color="gold">{t('users.superAdmin')}</Tag>}
          {u.lockedUntil && <Tag color="orange">{t('users.locked')}</Tag>}
        </Space>
      ),
    },
    { title: t('users.mobile'), dataIndex: 'mobile', key: 'mobile', render: (v: string | null) => v ?? '-' },
    { title: t('users.email'), dataIndex: 'email', key: 'email', render: (v: string | null) => v ?? '-' },
    { title: t('users.department'), dataIndex: 'departmentName', key: 'department' },
    { title: t('users.position'), dataIndex: 'position', key: 'position', render: (v: string | null) => v ?? '-' },
    { title: t('users.superior'), dataIndex: 'superiorName', key: 'superior', render: (v: string | null) => v ?? '-' },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      key: 'roles',
      render: (rs: User['roles']) => (rs.length ? rs.map((r) => <Tag key={r.id}>{r.name}</Tag>) : '-'),
    },
    {
      title: t('users.status'),
      dataIndex: 'status',
      key: 'status',
      render: (s: UserStatus) => <Badge status={s === 'active' ? 'success' : 'default'} text={t(`users.statuses.${s}`)} />,
    },
    { title: t('users.lastLogin'), dataIndex: 'lastLoginAt', key: 'lastLogin', render: formatTime },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right' as const,
            render: (_: unknown, u: User) =>
              mayChange(u) ? (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setDialog({ kind: 'edit', user: u })}>
                    {t('common.edit')}
                  </Button>
                  <Dropdown
                    trigger={['click']}
                    menu={{
                      items: [
                        ...(u.id === me.user.id
                          ? []
                          : [
                              u.status === 'active'
                                ? { key: 'disable', danger: true, label: t('users.disable'), onClick: () => setStatus(u, 'disabled') }
                                : { key: 'enable', label: t('users.enable'), onClick: () => setStatus(u, 'active') },
                            ]),
                        { key: 'password', label: t('users.resetPassword'), onClick: () => setDialog({ kind: 'password', user: u }) },
                        { key: 'sessions', label: t('users.sessions'), onClick: () => setDialog({ kind: 'sessions', user: u }) },
                      ],
                    }}
                  >
                    <Button type="link" size="small">
                      {t('common.more')} <DownOutlined />
                    </Button>
                  </Dropdown>
                </Space>
              ) : (
                '-'
              ),
          },
        ]
      : []),
  ];

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('users.searchPlaceholder')} aria-label={t('users.searchPlaceholder')} />
    </Form.Item>,
    ...(can('department.view')
      ? [
          <Form.Item name="departmentId" key="department">
            <DepartmentTreeSelect allowClear placeholder={t('users.department')} />
          </Form.Item>,
          <Form.Item name="includeSubDepartments" key="sub" valuePropName="checked">
            <Checkbox>{t('users.includeSub')}</Checkbox>
          </Form.Item>,
        ]
      : []),
    <Form.Item name="status" key="status">
      <Select
        allowClear
        placeholder={t('users.status')}
        aria-label={t('users.status')}
        options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`users.statuses.${s}`) }))}
      />
    </Form.Item>,
    ...(can('role.view')
      ? [
          <Form.Item name="roleId" key="role">
            <Select
              allowClear
              placeholder={t('users.role')}
              aria-label={t('users.role')}
              options={roles.data?.map((r) => ({ value: r.id, label: r.name }))}
            />
          </Form.Item>,
        ]
      : []),
  ];

  return (
    <PageContainer
      title={t('menu.users')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'create' })} data-testid="user-create">
            {t('users.create')}
          </Button>
        )
      }
    >
      <ListPage<User, Filters>
        testId="user-list"
        queryKey="users"
        fetchPage={(p) => api.get<CountedPage<User>>('/users', p)}
        columns={columns}
        rowKey="id"
        filters={filters}
        initialFilters={{ departmentId: initialDepartment, includeSubDepartments: true }}
        toParams={toParams}
      />
      {dialog?.kind === 'create' && <UserDrawer departmentId={initialDepartment} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit' && <UserDrawer user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'password' && <ResetPasswordModal user={dialog.user} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'sessions' && <SessionsModal user={dialog.user} onClose={() => setDialog(null)} />}
    </PageContainer>
  );
}
