import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { CUSTOMER_KINDS } from '../../../common/schemas/customers';
import { api, type QueryParams } from '../../api/client';
import type { CustomerDto, Page } from '../../api/types';
import { useSession } from '../../app/session';
import { DepartmentTreeSelect } from '../../components/DepartmentTreeSelect';
import { DictSelect, IndustryTreeSelect, StatusTag, useDictionaries, useIndustryPath } from '../../components/dictionaries';
import { dayRange, formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { RegionCascader } from '../../components/RegionCascader';
import { UserSelect } from '../../components/UserSelect';
import { CustomerFormDrawer } from './CustomerForm';
import { NextFollowup } from './NextFollowup';

type View = 'scope' | 'mine' | 'shared_with_me';
type Kind = (typeof CUSTOMER_KINDS)[number];

interface Filters {
  q?: string;
  view?: View;
  statusCode?: string | null;
  levelCode?: string | null;
  ownerId?: number | null;
  departmentId?: number | null;
  created?: [Dayjs | null, Dayjs | null] | null;
  sourceCode?: string | null;
  industryCode?: string | null;
  region?: string[];
  tag?: string;
  kind?: Kind;
  locked?: 'true' | 'false';
}

const toParams = (f: Filters): QueryParams => {
  const { from, to } = dayRange(f.created);
  return {
    q: f.q?.trim(),
    view: f.view,
    ownerId: f.ownerId,
    departmentId: f.departmentId,
    createdFrom: from,
    createdTo: to,
    statusCode: f.statusCode,
    levelCode: f.levelCode,
    sourceCode: f.sourceCode,
    industryCode: f.industryCode,
    provinceCode: f.region?.[0],
    cityCode: f.region?.[1],
    tag: f.tag?.trim(),
    kind: f.kind,
    locked: f.locked,
  };
};

export default function CustomerList() {
  const { t } = useTranslation();
  const { can } = useSession();
  const dict = useDictionaries();
  const industryPath = useIndustryPath();
  const [creating, setCreating] = useState(false);

  const columns = useMemo<ColumnsType<CustomerDto>>(
    () => [
      {
        title: t('customers.name'),
        dataIndex: 'name',
        key: 'name',
        sorter: true,
        render: (name: string, c) => (
          <Space size={4}>
            <Link to={`/customers/${c.id}`}>{name}</Link>
            {c.locked && (
              <Tooltip title={t('customers.locked')}>
                <LockOutlined aria-label={t('customers.locked')} className="muted-icon" />
              </Tooltip>
            )}
          </Space>
        ),
      },
      { title: t('customers.code'), dataIndex: 'code', key: 'code', render: (v: string) => <Typography.Text type="secondary">{v}</Typography.Text> },
      { title: t('customers.status'), dataIndex: 'statusCode', key: 'status', render: (v: string) => <StatusTag code={v} /> },
      { title: t('customers.level'), dataIndex: 'levelCode', key: 'level', render: (v: string | null) => dict.label('customer_level', v) ?? '-' },
      { title: t('customers.industry'), dataIndex: 'industryCode', key: 'industry', render: (v: string | null) => industryPath(v) ?? '-' },
      { title: t('customers.region'), dataIndex: 'regionName', key: 'region', render: (v: string | null) => v ?? '-' },
      { title: t('customers.owner'), dataIndex: 'ownerName', key: 'owner', render: (v: string | null) => v ?? '-' },
      { title: t('customers.department'), dataIndex: 'departmentName', key: 'department', render: (v: string | null) => v ?? '-' },
      { title: t('customers.lastFollowup'), dataIndex: 'lastFollowupAt', key: 'lastFollowup', render: formatTime },
      {
        title: t('customers.nextFollowup'),
        dataIndex: 'nextFollowupAt',
        key: 'nextFollowup',
        render: (v: string | null) => <NextFollowup at={v} />,
      },
      {
        title: t('customers.tags'),
        dataIndex: 'tags',
        key: 'tags',
        render: (tags: string[]) =>
          tags.length ? (
            <span className="tag-cell">
              {tags.map((tag) => (
                <Tag key={tag} bordered={false}>
                  {tag}
                </Tag>
              ))}
            </span>
          ) : (
            '-'
          ),
      },
      { title: t('common.createdAt'), dataIndex: 'createdAt', key: 'createdAt', sorter: true, render: formatTime },
      { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', sorter: true, render: formatTime },
    ],
    [t, dict, industryPath],
  );

  const filters = [
    <Form.Item name="q" key="q">
      <Input.Search allowClear placeholder={t('customers.searchPlaceholder')} aria-label={t('customers.searchPlaceholder')} />
    </Form.Item>,
    <Form.Item name="view" key="view">
      <Select<View>
        aria-label={t('customers.view')}
        options={[
          { value: 'scope', label: t('customers.views.scope') },
          { value: 'mine', label: t('customers.views.mine') },
          { value: 'shared_with_me', label: t('customers.views.shared_with_me') },
        ]}
      />
    </Form.Item>,
    <Form.Item name="statusCode" key="status">
      <DictSelect kind="customer_status" all allowClear placeholder={t('customers.status')} aria-label={t('customers.status')} />
    </Form.Item>,
    <Form.Item name="levelCode" key="level">
      <DictSelect kind="customer_level" all allowClear placeholder={t('customers.level')} aria-label={t('customers.level')} />
    </Form.Item>,
  ];

  const moreFilters = [
    <Form.Item name="industryCode" key="industry">
      <IndustryTreeSelect all allowClear placeholder={t('customers.industry')} aria-label={t('customers.industry')} />
    </Form.Item>,
    <Form.Item name="sourceCode" key="source">
      <DictSelect kind="customer_source" all allowClear placeholder={t('customers.source')} aria-label={t('customers.source')} />
    </Form.Item>,
    <Form.Item name="region" key="region">
      <RegionCascader levels={2} placeholder={t('customers.regionFilter')} aria-label={t('customers.regionFilter')} />
    </Form.Item>,
    <Form.Item name="tag" key="tag">
      <Input allowClear placeholder={t('customers.tagFilter')} aria-label={t('customers.tagFilter')} maxLength={20} />
    </Form.Item>,
    <Form.Item name="kind" key="kind">
      <Select<Kind>
        allowClear
        placeholder={t('customers.kind')}
        aria-label={t('customers.kind')}
        options={CUSTOMER_KINDS.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))}
      />
    </Form.Item>,
    <Form.Item name="locked" key="locked">
      <Select<'true' | 'false'>
        allowClear
        placeholder={t('customers.lockedFilter')}
        aria-label={t('customers.lockedFilter')}
        options={[
          { value: 'true', label: t('customers.lockedOptions.true') },
          { value: 'false', label: t('customers.lockedOptions.false') },
        ]}
      />
    </Form.Item>,
    ...(can('user.view')
      ? [
          <Form.Item name="ownerId" key="owner">
            <UserSelect allowClear placeholder={t('customers.owner')} aria-label={t('customers.owner')} />
          </Form.Item>,
        ]
      : []),
    ...(can('department.view')
      ? [
          <Form.Item name="departmentId" key="department">
            <DepartmentTreeSelect allowClear placeholder={t('customers.department')} />
          </Form.Item>,
        ]
      : []),
    <Form.Item name="created" key="created">
      <DatePicker.RangePicker style={{ width: '100%' }} placeholder={[t('customers.createdFrom'), t('customers.createdTo')]} />
    </Form.Item>,
  ];

  return (
    <PageContainer
      title={t('menu.customers')}
      extra={
        can('customer.create') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="customer-create">
            {t('customers.create')}
          </Button>
        )
      }
    >
      <ListPage<CustomerDto, Filters>
        testId="customer-list"
        queryKey="customers"
        fetchPage={(p) => api.get<Page<CustomerDto>>('/customers', p)}
        fetchTotal={(p) => api.get<{ total: number }>('/customers/count', p).then((r) => r.total)}
        columns={columns}
        rowKey="id"
        filters={filters}
        moreFilters={moreFilters}
        initialFilters={{ view: 'scope' }}
        toParams={toParams}
        defaultSort={{ field: 'updatedAt', order: 'desc' }}
      />
      {creating && <CustomerFormDrawer onClose={() => setCreating(false)} />}
    </PageContainer>
  );
}
