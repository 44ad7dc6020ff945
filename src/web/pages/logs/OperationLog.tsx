import { DatePicker, Form, Select, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type QueryParams } from '../../api/client';
import type { Operation, Page } from '../../api/types';
import { ChangeLog } from '../../components/ChangeLog';
import { dayRange, formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';
import { useSession } from '../../app/session';
import { dynamicLabel } from '../../i18n';

interface Filters {
  entity?: string;
  action?: string;
  actorId?: number | null;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The entities and actions the server writes to the log, for the filter choices. */
const ENTITIES = ['customer', 'contact', 'dictionary', 'user', 'department', 'role', 'api_token', 'tenant'];
const ACTIONS = [
  'create',
  'update',
  'delete',
  'transfer',
  'lock',
  'unlock',
  'move',
  'add_member',
  'remove_member',
  'share',
  'unshare',
  'enable',
  'disable',
  'reset_password',
  'change_password',
  'revoke_sessions',
  'revoke',
  'export',
];

const toParams = (f: Filters): QueryParams => {
  const { from, to } = dayRange(f.range);
  return { entity: f.entity, action: f.action, actorId: f.actorId, from, to };
};

export default function OperationLog() {
  const { t } = useTranslation();
  const { can } = useSession();

  const columns: ColumnsType<Operation> = [
    { title: t('audit.at'), dataIndex: 'at', key: 'at', render: formatTime },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      key: 'actor',
      render: (v: string | null, op) => (op.actorId === null ? t('audit.system') : v),
    },
    { title: t('audit.entity'), dataIndex: 'entity', key: 'entity', render: (v: string) => dynamicLabel('audit.entities', v) },
    {
      title: t('audit.record'),
      dataIndex: 'recordName',
      key: 'record',
      render: (v: string | null, op) => v ?? (op.recordId ? `#${op.recordId}` : '-'),
    },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', render: (v: string) => dynamicLabel('audit.actions', v) },
    {
      title: t('audit.changes'),
      dataIndex: 'changes',
      key: 'changes',
      render: (changes: Operation['changes']) => (
        <div style={{ minWidth: 240, maxWidth: 480 }}>
          <ChangeLog changes={changes} />
        </div>
      ),
    },
    {
      title: t('audit.ip'),
      dataIndex: 'ip',
      key: 'ip',
      render: (v: string | null) => <Typography.Text type="secondary">{v ?? '-'}</Typography.Text>,
    },
  ];

  const filters = [
    <Form.Item name="entity" key="entity">
      <Select
        allowClear
        placeholder={t('audit.entity')}
        aria-label={t('audit.entity')}
        options={ENTITIES.map((e) => ({ value: e, label: dynamicLabel('audit.entities', e) }))}
      />
    </Form.Item>,
    <Form.Item name="action" key="action">
      <Select
        allowClear
        placeholder={t('audit.action')}
        aria-label={t('audit.action')}
        options={ACTIONS.map((a) => ({ value: a, label: dynamicLabel('audit.actions', a) }))}
      />
    </Form.Item>,
    ...(can('user.view')
      ? [
          <Form.Item name="actorId" key="actor">
            <UserSelect allowClear placeholder={t('audit.actor')} aria-label={t('audit.actor')} />
          </Form.Item>,
        ]
      : []),
    <Form.Item name="range" key="range">
      <DatePicker.RangePicker style={{ width: '100%' }} placeholder={[t('audit.from'), t('audit.to')]} />
    </Form.Item>,
  ];

  return (
    <PageContainer title={t('menu.operationLog')} subTitle={t('audit.operationSubtitle')}>
      <ListPage<Operation, Filters>
        testId="operation-log"
        queryKey="audit-operations"
        fetchPage={(p) => api.get<Page<Operation>>('/audit/operations', p)}
        columns={columns}
        rowKey="id"
        filters={filters}
        toParams={toParams}
      />
    </PageContainer>
  );
}
