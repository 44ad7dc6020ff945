import { DeleteOutlined, EditOutlined, MoreOutlined, PlusOutlined, TeamOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Dropdown, Form, Input, InputNumber, Modal, Skeleton, Tag, Tree, type MenuProps } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { DepartmentCreate } from '../../../common/schemas/org';
import { api } from '../../api/client';
import type { Department } from '../../api/types';
import { useSession } from '../../app/session';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { buildDepartmentTree, DEPARTMENTS_KEY, type DepartmentNode, subtreeIds, useDepartments } from '../../components/departments';
import { useSchemaForm } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';

type Editing = { mode: 'create'; parentId: number } | { mode: 'edit'; department: Department };

/** Creates a department, or renames, reorders and moves one (the top department stays where it is). */
function DepartmentModal({ editing, all, onClose }: { editing: Editing; all: Department[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // the create schema checks the fields of both: name, parent and order
  const { form, field, submit, submitting } = useSchemaForm(DepartmentCreate);
  const dept = editing.mode === 'edit' ? editing.department : undefined;
  const isRoot = dept?.parentId === null;
  const blocked = useMemo(() => (dept ? subtreeIds(all, dept.id) : undefined), [all, dept]);

  const save = submit(async (data) => {
    if (dept) await api.patch(`/departments/${dept.id}`, isRoot ? { name: data.name, sort: data.sort, headUserId: data.headUserId ?? null } : { ...data, headUserId: data.headUserId ?? null });
    else await api.post('/departments', data);
    await queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
    message.success(t(dept ? 'common.saved' : 'common.created'));
  }, onClose);

  return (
    <Modal
      open
      title={t(dept ? 'departments.edit' : 'departments.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ 'data-testid': 'department-form-submit' }}
    >
      <Form
        form={form}
        name="department"
        layout="vertical"
        onFinish={save}
        initialValues={
          dept
            ? { name: dept.name, parentId: dept.parentId ?? dept.id, sort: dept.sort, headUserId: dept.headUserId }
            : { parentId: editing.mode === 'create' ? editing.parentId : undefined, sort: 0 }
        }
      >
        <Form.Item label={t('departments.name')} {...field('name')}>
          <Input autoFocus maxLength={50} data-testid="department-form-name" />
        </Form.Item>
        {isRoot ? (
          // the top department has no parent; the hidden value only satisfies the schema and is not sent
          <>
            <Form.Item label={t('departments.parent')} extra={t('departments.rootFixed')}>
              <Input value={t('departments.none')} disabled />
            </Form.Item>
            <Form.Item {...field('parentId')} hidden>
              <InputNumber />
            </Form.Item>
          </>
        ) : (
          <Form.Item label={t('departments.parent')} {...field('parentId')}>
            <DepartmentTreeSelect disabledIds={blocked} />
          </Form.Item>
        )}
        <Form.Item label={t('approvals.deptHead')} {...field('headUserId')} extra={t('approvals.deptHeadHelp')}>
          <UserSelect allowClear data-testid="department-form-head" />
        </Form.Item>
        <Form.Item label={t('departments.sort')} {...field('sort')} extra={t('departments.sortHelp')}>
          <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function Departments() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const [editing, setEditing] = useState<Editing | null>(null);
  const manage = can('department.manage');
  const all = useMemo(() => departments.data ?? [], [departments.data]);
  const root = all.find((d) => d.parentId === null);

  const remove = (d: Department) =>
    modal.confirm({
      title: t('departments.deleteConfirm', { name: d.name }),
      okText: t('common.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.delete(`/departments/${d.id}`);
          await queryClient.invalidateQueries({ queryKey: DEPARTMENTS_KEY });
          message.success(t('common.deleted'));
        } catch (err) {
          // refusals (members, sub-departments, the top department) are explained, not just flashed
          modal.warning({ title: t('departments.cannotDelete'), content: err instanceof Error ? err.message : String(err) });
        }
      },
    });

  const actions = (d: DepartmentNode): NonNullable<MenuProps['items']> => [
    ...(can('user.view')
      ? [
          {
            key: 'users',
            icon: <TeamOutlined />,
            label: t('departments.viewMembers'),
            onClick: () => navigate(`/org/users?departmentId=${d.id}`),
          },
        ]
      : []),
    ...(manage
      ? [
          {
            key: 'add',
            icon: <PlusOutlined />,
            label: t('departments.addChild'),
            onClick: () => setEditing({ mode: 'create', parentId: d.id }),
          },
          {
            key: 'edit',
            icon: <EditOutlined />,
            label: t('departments.editAction'),
            onClick: () => setEditing({ mode: 'edit', department: d }),
          },
          ...(d.parentId === null
            ? []
            : [{ key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete'), onClick: () => remove(d) }]),
        ]
      : []),
  ];

  const toNode = (d: DepartmentNode): DataNode => {
    const items = actions(d);
    return {
      key: d.id,
      title: (
        <span className="dept-node" data-testid={`department-${d.id}`}>
          <span className="dept-node-name">
            <span>{d.name}</span> <Tag bordered={false}>{t('departments.members', { count: d.memberCount })}</Tag>
          </span>
          {items.length > 0 && (
            <Dropdown menu={{ items }} trigger={['click']}>
              <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('common.more')} onClick={(e) => e.stopPropagation()} />
            </Dropdown>
          )}
        </span>
      ),
      children: d.children.map(toNode),
    };
  };
  const treeData = buildDepartmentTree(all).map(toNode);

  return (
    <PageContainer
      title={t('menu.departments')}
      subTitle={t('departments.subtitle')}
      extra={
        manage &&
        root && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ mode: 'create', parentId: root.id })}
            data-testid="department-create"
          >
            {t('departments.create')}
          </Button>
        )
      }
    >
      <Card className="page-card">
        {departments.error && <Alert type="error" showIcon message={departments.error.message} />}
        {departments.isPending ? (
          <Skeleton active />
        ) : (
          <Tree
            className="dept-tree"
            treeData={treeData}
            defaultExpandAll
            blockNode
            showLine
            selectable={false}
            data-testid="department-tree"
          />
        )}
      </Card>
      {editing && <DepartmentModal editing={editing} all={all} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
