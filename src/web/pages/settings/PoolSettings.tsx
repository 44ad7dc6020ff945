import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Col, Drawer, Form, Grid, Input, InputNumber, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { POOL_RULE_KINDS, PoolInput } from '../../../common/schemas/pool';
import { api } from '../../api/client';
import type { PoolDto, PoolRuleKind } from '../../api/types';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { DictSelect } from '../../components/dictionaries';
import { issueMessage, showError } from '../../components/form';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { refreshPools, usePools } from '../pool/pool';

const LIMITS = ['maxOwned', 'maxClaimsPerDay', 'reclaimDelayDays', 'reminderDays', 'protectionLimit', 'protectionDays'] as const;
type LimitKey = (typeof LIMITS)[number];

interface Values extends Partial<Record<LimitKey, number | null>> {
  name?: string;
  enabled?: boolean;
  members?: { type?: 'user' | 'department'; id?: number | null; isAdmin?: boolean }[];
  rules?: { kind?: PoolRuleKind; levelCode?: string | null; days?: number | null }[];
}

const initialOf = (p: PoolDto | undefined): Values =>
  p
    ? {
        name: p.name,
        enabled: p.enabled,
        ...Object.fromEntries(LIMITS.map((k) => [k, p[k]])),
        members: p.members.map((m) => ({ type: m.type, id: m.id, isAdmin: m.isAdmin })),
        rules: p.rules.map((r) => ({ kind: r.kind, levelCode: r.levelCode, days: r.days })),
      }
    : { enabled: true, members: [], rules: [] };

/** Creates or edits a pool: name, limits, members and their administrators, recycling rules per kind and level. */
function PoolEditor({ pool, onClose }: { pool?: PoolDto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);

  const save = async (v: Values) => {
    const body = {
      name: v.name ?? '',
      enabled: v.enabled ?? true,
      ...Object.fromEntries(LIMITS.map((k) => [k, v[k] ?? null])),
      members: (v.members ?? []).map((m) => ({ type: m.type ?? 'user', id: m.id, isAdmin: !!m.isAdmin })),
      rules: (v.rules ?? []).map((r) => ({ kind: r.kind, levelCode: r.levelCode ?? null, days: r.days })),
    };
    const parsed = PoolInput.safeParse(body);
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => ({
          name: i.path.length >= 3 ? [String(i.path[0]), Number(i.path[1]), String(i.path[2])] : [String(i.path[0])],
          errors: [issueMessage(i, undefined, t)],
        })) as never,
      );
      return;
    }
    setSaving(true);
    try {
      if (pool) await api.put(`/pools/${pool.id}`, parsed.data);
      else await api.post('/pools', parsed.data);
      await refreshPools(queryClient);
      message.success(t(pool ? 'common.saved' : 'common.created'));
      onClose();
    } catch (err) {
      showError(err, {
        message,
        t,
        form,
        mapPath: (path) => {
          const [list, index, field] = path.split('.');
          return (list === 'members' || list === 'rules') && index !== undefined && field ? [list, Number(index), field] : undefined;
        },
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      title={pool ? t('poolSettings.editTitle', { name: pool.name }) : t('poolSettings.create')}
      width={screens.md === false ? '100%' : 760}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="pool-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} name="pool" layout="vertical" initialValues={initialOf(pool)} onFinish={(v) => void save(v)}>
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item label={t('poolSettings.name')} name="name" required>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label={t('poolSettings.enabled')} name="enabled" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('pool.limits')}</Typography.Title>
        <Row gutter={16}>
          {LIMITS.map((k) => (
            <Col key={k} xs={24} sm={12} lg={8}>
              <Form.Item label={t(`pool.fields.${k}`)} name={k} extra={t(`poolSettings.help.${k}`)}>
                <InputNumber<number> min={1} max={100000} precision={0} style={{ width: '100%' }} placeholder={t('pool.noLimit')} />
              </Form.Item>
            </Col>
          ))}
        </Row>

        <Typography.Title level={5}>{t('pool.members')}</Typography.Title>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <div className="editable-list">
              {fields.map((f) => (
                <Row key={f.key} gutter={8} align="middle" className="editable-row">
                  <Col xs={8} sm={6}>
                    <Form.Item name={[f.name, 'type']} noStyle>
                      <Select
                        aria-label={t('poolSettings.memberType')}
                        options={[
                          { value: 'user', label: t('poolSettings.memberTypes.user') },
                          { value: 'department', label: t('poolSettings.memberTypes.department') },
                        ]}
                        onChange={() => form.setFieldValue(['members', f.name, 'id'], null)}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={16} sm={10}>
                    <Form.Item noStyle shouldUpdate>
                      {() =>
                        form.getFieldValue(['members', f.name, 'type']) === 'department' ? (
                          <Form.Item name={[f.name, 'id']} noStyle>
                            <DepartmentTreeSelect placeholder={t('poolSettings.memberTypes.department')} />
                          </Form.Item>
                        ) : (
                          <Form.Item name={[f.name, 'id']} noStyle>
                            <UserSelect placeholder={t('common.searchUser')} />
                          </Form.Item>
                        )
                      }
                    </Form.Item>
                  </Col>
                  <Col xs={16} sm={6}>
                    <Form.Item name={[f.name, 'isAdmin']} valuePropName="checked" noStyle>
                      <Checkbox>{t('pool.admin')}</Checkbox>
                    </Form.Item>
                  </Col>
                  <Col xs={8} sm={2}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ type: 'user', isAdmin: false })}>
                {t('poolSettings.addMember')}
              </Button>
            </div>
          )}
        </Form.List>

        <Typography.Title level={5} className="section-title">
          {t('pool.rules')}
        </Typography.Title>
        <Alert type="info" showIcon message={t('poolSettings.rulesHelp')} className="page-alert" />
        <Form.List name="rules">
          {(fields, { add, remove }) => (
            <div className="editable-list">
              {fields.map((f) => (
                <Row key={f.key} gutter={8} align="middle" className="editable-row">
                  <Col xs={24} sm={9}>
                    <Form.Item name={[f.name, 'kind']} noStyle>
                      <Select<PoolRuleKind>
                        aria-label={t('pool.ruleKind')}
                        options={POOL_RULE_KINDS.map((k) => ({ value: k, label: t(`pool.ruleKinds.${k}`) }))}
                        style={{ width: '100%' }}
                      />
                    </Form.Item>
                  </Col>
                  <Col xs={12} sm={7}>
                    <Form.Item name={[f.name, 'levelCode']} noStyle>
                      <DictSelect kind="customer_level" allowClear placeholder={t('pool.allLevels')} aria-label={t('customers.level')} />
                    </Form.Item>
                  </Col>
                  <Col xs={8} sm={6}>
                    <Form.Item name={[f.name, 'days']} noStyle>
                      <InputNumber<number> min={1} max={3650} precision={0} addonAfter={t('poolSettings.days')} style={{ width: '100%' }} aria-label={t('pool.ruleDays')} />
                    </Form.Item>
                  </Col>
                  <Col xs={4} sm={2}>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </Col>
                </Row>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ kind: 'no_followup', levelCode: null, days: 30 })}>
                {t('poolSettings.addRule')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

/** Every pool of the company: create and edit them (pool.manage). */
export default function PoolSettings() {
  const { t } = useTranslation();
  const pools = usePools();
  const [editing, setEditing] = useState<PoolDto | 'new' | null>(null);
  return (
    <PageContainer
      title={t('menu.poolSettings')}
      subTitle={t('poolSettings.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="pool-create">
          {t('poolSettings.create')}
        </Button>
      }
    >
      <Card className="page-card">
        {pools.error && <Alert type="error" showIcon message={pools.error.message} />}
        <Table<PoolDto>
          rowKey="id"
          loading={pools.isFetching}
          dataSource={pools.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('poolSettings.name'),
              dataIndex: 'name',
              render: (v: string, p) => (
                <Space size={4}>
                  {v}
                  {!p.enabled && <Tag bordered={false}>{t('dictionaries.disabledTag')}</Tag>}
                </Space>
              ),
            },
            { title: t('poolSettings.customerCount'), dataIndex: 'customerCount', align: 'right' },
            { title: t('pool.fields.maxClaimsPerDay'), dataIndex: 'maxClaimsPerDay', render: (v: number | null) => v ?? t('pool.noLimit') },
            { title: t('pool.fields.maxOwned'), dataIndex: 'maxOwned', render: (v: number | null) => v ?? t('pool.noLimit') },
            {
              title: t('pool.members'),
              key: 'members',
              render: (_: unknown, p) => (
                <span className="tag-cell">
                  {p.members.map((m) => (
                    <Tag key={`${m.type}-${m.id}`} color={m.isAdmin ? 'gold' : undefined} bordered={false}>
                      {m.type === 'department' ? t('pool.memberDepartment', { name: m.name }) : m.name}
                    </Tag>
                  ))}
                </span>
              ),
            },
            { title: t('pool.rules'), key: 'rules', render: (_: unknown, p) => p.rules.map((r) => t(`pool.ruleText.${r.kind}`, { days: r.days })).join(t('common.listSeparator')) || '-' },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, p) => (
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(p)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {editing && <PoolEditor pool={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}
