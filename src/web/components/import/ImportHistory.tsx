import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { useEffect, useRef } from 'react';
import type { ImportEntity, ImportJobDto } from '../../../common/schemas/imports';
import { api } from '../../api/client';
import { formatTime } from '../format';
import { isActive, jobPercent, STATUS_COLORS, useImportActions } from './importUtils';

interface Props {
  entity: ImportEntity;
  open: boolean;
  onClose: () => void;
  /** An import was cancelled or undone here: the list's records changed. */
  onChanged: () => void;
}

export const historyKey = (entity: ImportEntity) => ['imports', 'history', entity] as const;

/** 导入记录: the user's recent imports of the entity, with their results, failed rows and undo. */
export function ImportHistory({ entity, open, onClose, onChanged }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const history = useQuery({
    queryKey: historyKey(entity),
    queryFn: () => api.get<{ items: ImportJobDto[] }>('/imports', { entity }).then((r) => r.items),
    enabled: open,
    refetchOnMount: 'always',
    // running imports move on: ask again while one runs
    refetchInterval: (q) => (q.state.data?.some((j) => isActive(j.status)) ? 2000 : false),
  });
  const actions = useImportActions(() => {
    void queryClient.invalidateQueries({ queryKey: historyKey(entity) });
    onChanged();
  });
  // an import or undo that ends here changed the records: the list reloads
  const activeIds = useRef(new Set<number>());
  useEffect(() => {
    const now = new Set((history.data ?? []).filter((j) => isActive(j.status)).map((j) => j.id));
    if ([...activeIds.current].some((id) => !now.has(id))) onChanged();
    activeIds.current = now;
  }, [history.data]);

  const columns: ColumnsType<ImportJobDto> = [
    { title: t('imports.fileName'), dataIndex: 'fileName', key: 'fileName', render: (v: string) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 200 }}>{v}</Typography.Text> },
    {
      title: t('imports.historyStatus'),
      dataIndex: 'status',
      key: 'status',
      render: (s: ImportJobDto['status'], j) => (
        <Tag color={STATUS_COLORS[s]} bordered={false}>
          {t(`imports.statuses.${s}`)}
          {isActive(s) ? ` ${jobPercent(j)}%` : ''}
        </Tag>
      ),
    },
    {
      title: t('imports.historyCounts'),
      key: 'counts',
      render: (_: unknown, j) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('imports.counts', { created: j.rowsCreated, updated: j.rowsUpdated, skipped: j.rowsSkipped, failed: j.rowsFailed })}
        </Typography.Text>
      ),
    },
    { title: t('imports.createdBy'), key: 'createdBy', render: (_: unknown, j) => j.createdBy.name },
    { title: t('imports.createdAt'), dataIndex: 'createdAt', key: 'createdAt', render: formatTime },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, j) => (
        <Space size={0} wrap>
          {j.allowed.failures && (
            <Button type="link" size="small" onClick={() => void actions.failures(j)} loading={actions.busy === `failures:${j.id}`}>
              {t('imports.failures')}
            </Button>
          )}
          {j.allowed.cancel && (
            <Popconfirm title={t('imports.cancelConfirm')} okText={t('imports.cancel')} cancelText={t('common.cancel')} onConfirm={() => actions.cancel(j)}>
              <Button type="link" size="small" danger>
                {t('imports.cancel')}
              </Button>
            </Popconfirm>
          )}
          {j.allowed.undo && (
            <Popconfirm
              title={t('imports.undo')}
              description={<div style={{ maxWidth: 360 }}>{t('imports.undoConfirm')}</div>}
              okText={t('imports.undo')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => actions.undo(j)}
            >
              <Button type="link" size="small" danger loading={actions.busy === `undo:${j.id}`}>
                {t('imports.undo')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Drawer
      title={t('imports.historyTitle', { entity: t(`imports.entities.${entity}`) })}
      open={open}
      onClose={onClose}
      width={900}
      zIndex={1100}
      destroyOnHidden
    >
      <div data-testid="import-history">
        {history.error && <Alert type="error" showIcon message={history.error.message} />}
        <Table<ImportJobDto>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={history.data ?? []}
          loading={history.isPending && open}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('imports.historyEmpty') }}
        />
      </div>
    </Drawer>
  );
}
