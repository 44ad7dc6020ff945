import { DownloadOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Popconfirm, Progress, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportJobDto } from '../../../common/schemas/imports';
import { isActive, jobPercent, timeLeftText, useImportActions } from './importUtils';

interface Props {
  job: ImportJobDto;
  /** The job as the server answered an action (cancel, undo). */
  onChanged: (job: ImportJobDto) => void;
}

const RESULT_TYPES = { completed: 'success', failed: 'error', cancelled: 'warning', undone: 'info' } as const;

/** Step 4 (导入): the progress of a started import, then its result and what can be done with it. */
export function RunStep({ job, onChanged }: Props) {
  const { t } = useTranslation();
  const actions = useImportActions(onChanged);
  const active = isActive(job.status);
  const undoing = job.status === 'undoing';
  const percent = jobPercent(job);
  const progressStatus = job.status === 'failed' ? 'exception' : job.status === 'completed' ? 'success' : active ? 'active' : 'normal';
  const resultType = job.status in RESULT_TYPES ? RESULT_TYPES[job.status as keyof typeof RESULT_TYPES] : undefined;

  const counts = [
    ['done', 'rowsDone', job.rowsDone],
    ['created', 'rowsCreated', job.rowsCreated],
    ['updated', 'rowsUpdated', job.rowsUpdated],
    ['skipped', 'rowsSkipped', job.rowsSkipped],
    ['failed', 'rowsFailed', job.rowsFailed],
  ] as const;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <div data-testid="import-progress" data-status={job.status} data-percent={percent}>
        <Typography.Text strong>
          {t('imports.progress')}：{job.fileName}
        </Typography.Text>
        <Progress percent={percent} status={progressStatus} />
      </div>
      <Descriptions size="small" column={{ xs: 2, sm: 3, md: 6, lg: 6, xl: 6, xxl: 6 }} bordered layout="vertical">
        {counts.map(([id, label, value]) => (
          <Descriptions.Item key={id} label={t(`imports.${label}`)}>
            <span data-testid={`import-count-${id}`}>{value}</span>
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('imports.timeLeft')}>{active ? timeLeftText(t, job.secondsLeft) : '-'}</Descriptions.Item>
      </Descriptions>
      {active && (
        <Space direction="vertical" style={{ width: '100%' }}>
          {undoing && <Alert type="warning" showIcon data-testid="import-undoing" message={t('imports.undoing', { undone: job.rowsUndone, created: job.rowsCreated })} />}
          <Alert type="info" showIcon message={t('imports.closeHint')} />
          {job.allowed.cancel && (
            <Popconfirm
              title={t('imports.cancelConfirm')}
              okText={t('imports.cancel')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => actions.cancel(job)}
            >
              <Button danger icon={<StopOutlined />} loading={actions.busy === `cancel:${job.id}`} data-testid="import-cancel">
                {t('imports.cancel')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      )}
      {resultType && (
        <Alert
          type={resultType}
          showIcon
          data-testid="import-result"
          data-status={job.status}
          message={t(`imports.results.${job.status as keyof typeof RESULT_TYPES}`)}
          description={
            <Space direction="vertical">
              <span data-testid="import-result-summary">
                {t('imports.resultSummary', {
                  done: job.rowsDone,
                  created: job.rowsCreated,
                  updated: job.rowsUpdated,
                  skipped: job.rowsSkipped,
                  failed: job.rowsFailed,
                })}
              </span>
              {job.status === 'cancelled' && <span>{t('imports.cancelledHint')}</span>}
              {job.status === 'undone' && <span>{t(job.rowsUpdated > 0 ? 'imports.undoSummaryRestored' : 'imports.undoSummary', { undone: job.rowsUndone, restored: job.rowsRestored, kept: job.rowsKept })}</span>}
              {job.error && <Typography.Text type="danger">{job.error}</Typography.Text>}
            </Space>
          }
        />
      )}
      {!active && (job.allowed.failures || job.allowed.undo) && (
        <Space wrap>
          {job.allowed.failures && (
            <>
              <Button icon={<DownloadOutlined />} onClick={() => void actions.failures(job, 'xlsx')} loading={actions.busy === `failures:${job.id}`} data-testid="import-failures">
                {t('imports.failures')}
              </Button>
              <Button type="link" onClick={() => void actions.failures(job, 'csv')} data-testid="import-failures-csv">
                {t('imports.failuresCsv')}
              </Button>
            </>
          )}
          {job.allowed.undo && (
            <Popconfirm
              title={t('imports.undo')}
              description={<div style={{ maxWidth: 360 }}>{t('imports.undoConfirm')}</div>}
              okText={t('imports.undo')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true, 'data-testid': 'import-undo-confirm' }}
              onConfirm={() => actions.undo(job)}
            >
              <Button danger icon={<RollbackOutlined />} loading={actions.busy === `undo:${job.id}`} data-testid="import-undo">
                {t('imports.undo')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </Space>
  );
}
