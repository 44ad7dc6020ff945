import { Button, Popconfirm, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Session } from '../api/types';
import { formatTime } from './format';

/** The browser and system of a session, shortened from its user agent (the full text on hover). */
function Device({ userAgent }: { userAgent: string | null }) {
  if (!userAgent) return <>-</>;
  const browser =
    /(Edg|Chrome|Firefox|Safari|MicroMessenger)\/[\d.]+/.exec(userAgent)?.[0]?.replace('Edg/', 'Edge/') ?? userAgent.split(' ')[0];
  const system = /\(([^;)]+)/.exec(userAgent)?.[1];
  return (
    <Tooltip title={userAgent}>
      <span>{system ? `${browser} · ${system}` : browser}</span>
    </Tooltip>
  );
}

interface Props {
  sessions: Session[] | undefined;
  loading: boolean;
  onRevoke: (session: Session) => void;
}

/** Signed-in devices, mine or a user's, each of which can be signed out. */
export function SessionTable({ sessions, loading, onRevoke }: Props) {
  const { t } = useTranslation();
  const columns: ColumnsType<Session> = [
    {
      title: t('sessions.device'),
      dataIndex: 'userAgent',
      key: 'device',
      render: (v: string | null, s) => (
        <>
          <Device userAgent={v} />
          {s.current && (
            <Tag color="green" style={{ marginLeft: 8 }}>
              {t('sessions.current')}
            </Tag>
          )}
        </>
      ),
    },
    { title: t('sessions.ip'), dataIndex: 'ip', key: 'ip', render: (v: string | null) => v ?? '-' },
    { title: t('sessions.signedInAt'), dataIndex: 'createdAt', key: 'createdAt', render: formatTime },
    { title: t('sessions.lastSeen'), dataIndex: 'lastSeenAt', key: 'lastSeen', render: formatTime },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, s: Session) =>
        s.current ? (
          '-'
        ) : (
          <Popconfirm
            title={t('sessions.revokeConfirm')}
            onConfirm={() => onRevoke(s)}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
          >
            <Button type="link" size="small" danger>
              {t('sessions.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];
  return (
    <Table<Session>
      rowKey="id"
      columns={columns}
      dataSource={sessions}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      size="small"
      locale={{ emptyText: t('sessions.none') }}
    />
  );
}
