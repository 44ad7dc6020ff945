import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Drawer,
  Form,
  Grid,
  Input,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_ACCESS_ENTITIES, FIELD_ACCESS_LEVELS, type FieldAccessEntity, RESTRICTABLE_FIELDS } from '../../../common/field-access';
import { DATA_SCOPE_KEYS, isPermission, PERMISSION_GROUPS, SCOPED_MODULE_KEYS } from '../../../common/permissions';
import { RoleCreate } from '../../../common/schemas/org';
import { api } from '../../api/client';
import type { Role } from '../../api/types';
import { useSession } from '../../app/session';
import type { CustomFieldEntity } from '../../../common/schemas/custom-fields';
import { useCustomFields } from '../../components/customFields';
import { useSchemaForm, useShowError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';
import { groupLabel, moduleLabel, permissionLabel, scopeLabel } from '../../i18n';
import { ROLES_KEY, useRoles } from './roles';

interface PickerProps {
  value?: string[];
  onChange?: (value: string[]) => void;
  /** Codes the editor may grant; the others show but cannot be ticked (the server refuses them too). */
  grantable: (code: string) => boolean;
}

/** Permission checkboxes, grouped as in src/common/permissions.ts, with a "whole group" box per group. */
function PermissionPicker({ value = [], onChange, grantable }: PickerProps) {
  const set = new Set(value);
  const toggle = (codes: string[], on: boolean) => {
    const next = new Set(set);
    for (const c of codes) if (grantable(c)) on ? next.add(c) : next.delete(c);
    onChange?.([...next]);
  };
  return (
    <div>
      {PERMISSION_GROUPS.map((g) => {
        const held = g.codes.filter((c) => set.has(c)).length;
        return (
          <div key={g.key} className="perm-group">
            <div className="perm-group-title">
              <Checkbox
                checked={held === g.codes.length}
                indeterminate={held > 0 && held < g.codes.length}
                onChange={(e) => toggle(g.codes, e.target.checked)}
              >
                {groupLabel(g)}
              </Checkbox>
            </div>
            <Row gutter={[8, 4]} style={{ paddingLeft: 24 }}>
              {g.codes.map((code) => (
                <Col key={code} xs={24} sm={12}>
                  <Checkbox checked={set.has(code)} disabled={!grantable(code)} onChange={(e) => toggle([code], e.target.checked)}>
                    {permissionLabel(code)}
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </div>
        );
      })}
    </div>
  );
}

/** One entity's restrictable fields (standard, then custom) with a level each; none chosen: visible and editable. */
function FieldAccessRows({ entity }: { entity: FieldAccessEntity }) {
  const { t, i18n } = useTranslation();
  // products have no custom fields: the hook asks nothing for them
  const custom = useCustomFields(entity as CustomFieldEntity);
  const fields = [
    ...RESTRICTABLE_FIELDS[entity].map((f) => ({ key: f.key, label: i18n.language === 'en' ? f.en : f.zh })),
    ...custom.all.map((f) => ({ key: f.key, label: f.label })),
  ];
  return (
    <Row gutter={[12, 0]}>
      {fields.map((f) => (
        <Col key={f.key} xs={24} sm={12}>
          <Form.Item label={f.label} name={['fieldAccess', entity, f.key]} style={{ marginBottom: 12 }}>
            <Select
              allowClear
              placeholder={t('roles.fieldEditable')}
              options={FIELD_ACCESS_LEVELS.map((level) => ({ value: level, label: t(`roles.field_${level}`) }))}
            />
          </Form.Item>
        </Col>
      ))}
    </Row>
  );
}

/** Creates or changes a role: name, function permissions and a data scope per business module. */
function RoleDrawer({ role, onClose }: { role?: Role; onClose: () => void }) {
  const { t } = useTranslation();
  const { can, me } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const { form, field, submit, submitting } = useSchemaForm(RoleCreate);
  const superAdmin = me?.permissions.includes('*') ?? false;

  const save = submit(async (data) => {
    if (role) await api.patch(`/roles/${role.id}`, data);
    else await api.post('/roles', data);
    await queryClient.invalidateQueries({ queryKey: ROLES_KEY });
    message.success(t(role ? 'common.saved' : 'common.created'));
  }, onClose);

  return (
    <Drawer
      open
      title={t(role ? 'roles.edit' : 'roles.create')}
      width={screens.sm === false ? '100%' : 620}
      onClose={onClose}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        name="role"
        layout="vertical"
        onFinish={save}
        initialValues={
          role
            ? { name: role.name, description: role.description, permissions: role.permissions, dataScopes: role.dataScopes, fieldAccess: role.fieldAccess }
            : { permissions: ['customer.view'], dataScopes: { customer: 'self' } }
        }
      >
        <Form.Item label={t('roles.name')} {...field('name')}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item label={t('roles.description')} {...field('description')}>
          <Input.TextArea maxLength={200} autoSize={{ minRows: 2, maxRows: 4 }} />
        </Form.Item>
        <Form.Item label={t('roles.permissions')} {...field('permissions')} extra={superAdmin ? undefined : t('roles.grantableHelp')}>
          <PermissionPicker grantable={(code) => superAdmin || (isPermission(code) && can(code))} />
        </Form.Item>
        <Typography.Title level={5}>{t('roles.dataScopes')}</Typography.Title>
        <Alert type="info" showIcon message={t('roles.dataScopesHelp')} style={{ marginBottom: 16 }} />
        {SCOPED_MODULE_KEYS.map((m) => (
          <Form.Item key={m} label={moduleLabel(m)} name={['dataScopes', m]}>
            <Select
              allowClear
              placeholder={t('roles.noScope')}
              options={DATA_SCOPE_KEYS.map((s) => ({ value: s, label: scopeLabel(s) }))}
            />
          </Form.Item>
        ))}
        <Typography.Title level={5}>{t('roles.fieldAccess')}</Typography.Title>
        <Alert type="info" showIcon message={t('roles.fieldAccessHelp')} style={{ marginBottom: 16 }} />
        {FIELD_ACCESS_ENTITIES.map((entity) => (
          <div key={entity}>
            <Typography.Text strong>{t(`roles.entity_${entity}`)}</Typography.Text>
            <FieldAccessRows entity={entity} />
          </div>
        ))}
      </Form>
    </Drawer>
  );
}

export default function Roles() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const queryClient = useQueryClient();
  const roles = useRoles();
  const [editing, setEditing] = useState<{ role?: Role } | null>(null);
  const manage = can('role.manage');

  const remove = async (role: Role) => {
    try {
      await api.delete(`/roles/${role.id}`);
      await queryClient.invalidateQueries({ queryKey: ROLES_KEY });
      message.success(t('common.deleted'));
    } catch (err) {
      showError(err);
    }
  };

  const columns: ColumnsType<Role> = [
    {
      title: t('roles.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, r) => (
        <Space size={4}>
          <span>{name}</span>
          {r.code && <Tag>{t('roles.builtIn')}</Tag>}
        </Space>
      ),
    },
    { title: t('roles.description'), dataIndex: 'description', key: 'description', render: (v: string | null) => v || '-' },
    {
      title: t('roles.dataScopes'),
      dataIndex: 'dataScopes',
      key: 'dataScopes',
      render: (scopes: Role['dataScopes']) =>
        SCOPED_MODULE_KEYS.map((m) => (
          <Tag key={m} color={scopes[m] ? 'blue' : undefined}>
            {t('common.pair', { key: moduleLabel(m), value: scopes[m] ? scopeLabel(scopes[m]) : t('roles.noScope') })}
          </Tag>
        )),
    },
    {
      title: t('roles.permissions'),
      dataIndex: 'permissions',
      key: 'permissions',
      render: (codes: string[]) => t('roles.permissionCount', { count: codes.length }),
    },
    {
      title: t('roles.fieldAccess'),
      dataIndex: 'fieldAccess',
      key: 'fieldAccess',
      render: (access: Role['fieldAccess']) => {
        const levels = Object.values(access).flatMap((fields) => Object.values(fields ?? {}));
        return levels.length
          ? t('roles.fieldAccessCount', { hidden: levels.filter((l) => l === 'hidden').length, readonly: levels.filter((l) => l === 'readonly').length })
          : t('roles.fieldAccessNone');
      },
    },
    { title: t('roles.userCount'), dataIndex: 'userCount', key: 'userCount' },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: Role) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ role: r })}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('roles.deleteConfirm', { name: r.name })}
                  onConfirm={() => remove(r)}
                  okText={t('common.delete')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer
      title={t('menu.roles')}
      subTitle={t('roles.subtitle')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
            {t('roles.create')}
          </Button>
        )
      }
    >
      <Card className="page-card">
        {roles.error && <Alert type="error" showIcon message={roles.error.message} />}
        <Table<Role>
          rowKey="id"
          columns={columns}
          dataSource={roles.data}
          loading={roles.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          size="middle"
          expandable={{
            expandedRowRender: (r) => (
              <Space size={[4, 4]} wrap>
                {r.permissions.map((c) => (
                  <Tag key={c}>{permissionLabel(c)}</Tag>
                ))}
              </Space>
            ),
          }}
        />
      </Card>
      {editing && <RoleDrawer role={editing.role} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
