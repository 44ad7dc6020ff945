import { DatePicker, Form, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type QueryParams } from '../../api/client';
import type { LoginLogEntry, LoginResult, Page } from '../../api/types';
import { useSession } from '../../app/session';
import { dayRange, formatTime } from '../../components/format';
import { ListPage } from '../../components/ListPage';
import { PageContainer } from '../../components/PageContainer';
import { UserSelect } from '../../components/UserSelect';

interface Filters {
  userId?: number | null;
  result?: LoginResult;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const RESULTS: LoginResult[] = ['success', 'bad_password', 'locked', 'unknown_user', 'disabled', 'tenant_required'];

const toParams = (f: Filters): QueryParams => {
  const { from, to } = dayRange(f.range);
  return { userId: f.userId, result: f.result, from, to };
};

export default function LoginLog() {
  const { t } = useTranslation();
  const { can } = useSession();

  const columns: ColumnsType<LoginLogEntry> = [
    { title: t('audit.at'), dataIndex: 'at', key: 'at', render: formatTime },
    { title: t('loginLog.user'), dataIndex: 'userName', key: 'user', render: (v: string | null) => v ?? '-' },
    { title: t('loginLog.login'), dataIndex: 'login', key: 'login' },
    {
      title: t('loginLog.result'),
      dataIndex: 'result',
      key: 'result',
      render: (r: LoginResult) => <Tag color={r === 'success' ? 'green' : 'red'}>{t(`loginLog.results.${r}`)}</Tag>,
    },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', render: (v: string | null) => v ?? '-' },
    {
      title: t('loginLog.userAgent'),
      dataIndex: 'userAgent',
      key: 'ua',
      render: (v: string | null) => (
        <Typography.Text type="secondary" ellipsis={{ tooltip: v }} style={{ maxWidth: 320 }}>
          {v ?? '-'}
        </Typography.Text>
      ),
    },
  ];

  const filters = [
    ...(can('user.view')
      ? [
          <Form.Item name="userId" key="user">
            <UserSelect allowClear placeholder={t('loginLog.user')} aria-label={t('loginLog.user')} />
          </Form.Item>,
        ]
      : []),
    <Form.Item name="result" key="result">
      <Select
        allowClear
        placeholder={t('loginLog.result')}
        aria-label={t('loginLog.result')}
        options={RESULTS.map((r) => ({ value: r, label: t(`loginLog.results.${r}`) }))}
      />
    </Form.Item>,
    <Form.Item name="range" key="range">
      <DatePicker.RangePicker style={{ width: '100%' }} placeholder={[t('audit.from'), t('audit.to')]} />
    </Form.Item>,
  ];

  return (
    <PageContainer title={t('menu.loginLog')} subTitle={t('loginLog.subtitle')}>
      <ListPage<LoginLogEntry, Filters>
        testId="login-log"
        queryKey="audit-logins"
        fetchPage={(p) => api.get<Page<LoginLogEntry>>('/audit/logins', p)}
        columns={columns}
        rowKey="id"
        filters={filters}
        toParams={toParams}
      />
    </PageContainer>
  );
}
