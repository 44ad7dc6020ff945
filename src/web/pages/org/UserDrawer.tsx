import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Drawer, Form, Grid, Input, Radio, Row, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { Password } from '../../../common/schemas/common';
import { UserCreate, UserUpdate } from '../../../common/schemas/org';
import { api } from '../../api/client';
import type { User } from '../../api/types';
import { useMe, useSession } from '../../app/session';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { useSchemaForm, zodRule } from '../../components/form';
import { UserSelect } from '../../components/UserSelect';
import { useRoles } from './roles';

interface Props {
  /** The user to change; none to add one. */
  user?: User;
  /** Department preselected for a new user. */
  departmentId?: number;
  onClose: () => void;
}

/** Adds or changes a user: contact, department, superior, roles; only a super administrator sees the super-administrator switch. */
export function UserDrawer({ user, departmentId, onClose }: Props) {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const { form, field, submit, submitting } = useSchemaForm(user ? UserUpdate : UserCreate);
  const roles = useRoles(can('role.view'));

  const save = submit(async (data) => {
    if (user) await api.patch(`/users/${user.id}`, data);
    else await api.post('/users', data);
    await queryClient.invalidateQueries({ queryKey: ['users'] });
    await queryClient.invalidateQueries({ queryKey: ['departments'] });
    message.success(t(user ? 'common.saved' : 'common.created'));
  }, onClose);

  const initialValues = user
    ? {
        name: user.name,
        mobile: user.mobile,
        email: user.email,
        gender: user.gender,
        departmentId: user.departmentId,
        position: user.position,
        superiorId: user.superiorId,
        roleIds: user.roles.map((r) => r.id),
        isSuperAdmin: user.isSuperAdmin,
      }
    : { gender: 'unknown', departmentId, roleIds: [], isSuperAdmin: false };

  const half = { xs: 24, sm: 12 };

  return (
    <Drawer
      open
      title={t(user ? 'users.edit' : 'users.create')}
      width={screens.sm === false ? '100%' : 560}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="user-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form form={form} name="user" layout="vertical" initialValues={initialValues} onFinish={save}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('users.name')} {...field('name')}>
              <Input maxLength={50} autoFocus data-testid="user-form-name" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('users.gender')} {...field('gender')}>
              <Radio.Group
                options={(['male', 'female', 'unknown'] as const).map((g) => ({ value: g, label: t(`users.genders.${g}`) }))}
                optionType="button"
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('users.mobile')} {...field('mobile')} extra={t('users.contactHelp')}>
              <Input inputMode="tel" maxLength={20} data-testid="user-form-mobile" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('users.email')} {...field('email')}>
              <Input type="email" maxLength={254} data-testid="user-form-email" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('users.department')} {...field('departmentId')}>
              <DepartmentTreeSelect data-testid="user-form-department" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('users.position')} {...field('position')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('users.superior')} {...field('superiorId')}>
              <UserSelect allowClear exclude={user ? [user.id] : []} placeholder={t('common.searchUser')} />
            </Form.Item>
          </Col>
          {can('role.view') && (
            <Col xs={24}>
              <Form.Item label={t('users.roles')} {...field('roleIds')}>
                <Select
                  mode="multiple"
                  loading={roles.isPending}
                  options={roles.data?.map((r) => ({ value: r.id, label: r.name }))}
                  optionFilterProp="label"
                  data-testid="user-form-roles"
                />
              </Form.Item>
            </Col>
          )}
          {!user && (
            <Col xs={24}>
              <Form.Item
                label={t('users.password')}
                name="password"
                required
                rules={[zodRule(Password, t)]}
                extra={t('users.passwordHelp')}
              >
                <Input.Password autoComplete="new-password" data-testid="user-form-password" />
              </Form.Item>
            </Col>
          )}
          {me.user.isSuperAdmin && (
            <Col xs={24}>
              <Form.Item label={t('users.superAdmin')} {...field('isSuperAdmin')} valuePropName="checked" extra={t('users.superAdminHelp')}>
                <Switch />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Drawer>
  );
}
