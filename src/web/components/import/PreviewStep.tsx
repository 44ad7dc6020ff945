import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Form, Radio, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes } from 'react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  DUPLICATE_MODES,
  type DuplicateMode,
  IMPORT_OWNER_TRANSFER,
  IMPORT_PREVIEW_ROWS,
  type ImportDraftDto,
  type ImportPreviewDto,
  type ImportPreviewRow,
  type ImportSettings,
} from '../../../common/schemas/imports';
import { api } from '../../api/client';
import { useMe, useSession } from '../../app/session';
import { UserSelect } from '../UserSelect';
import { ownerMapped } from './importUtils';

interface Props {
  draft: ImportDraftDto;
  settings: ImportSettings;
  onDuplicates: (mode: DuplicateMode) => void;
  onOwner: (ownerId: number | null) => void;
}

const STATUS_COLORS: Record<ImportPreviewRow['status'], string> = { ok: 'success', invalid: 'error', duplicate: 'warning' };

/** The preview of a draft with these settings; asked again whenever the settings change. */
export const previewQuery = (draftId: number, settings: ImportSettings) => ({
  queryKey: ['imports', draftId, 'preview', settings] as const,
  queryFn: () => api.post<ImportPreviewDto>(`/imports/${draftId}/preview`, settings),
});

/** Step 3 (预览): what to do with duplicates, who owns the records, and the first rows as they will be imported. */
export function PreviewStep({ draft, settings, onDuplicates, onOwner }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const me = useMe();
  const preview = useQuery({ ...previewQuery(draft.id, settings), placeholderData: keepPreviousData, gcTime: 60_000 });
  const fromFile = ownerMapped(draft.fields, settings.mapping);
  // products have no owner: nothing to choose
  const owned = IMPORT_OWNER_TRANSFER[draft.entity] !== null;

  // the mapped fields, in the order of the file's columns
  const shown = useMemo(() => {
    const keys: string[] = [];
    for (const k of settings.mapping) if (k && !keys.includes(k)) keys.push(k);
    return keys.map((k) => ({ key: k, label: draft.fields.find((f) => f.key === k)?.label ?? k }));
  }, [settings.mapping, draft.fields]);

  const rows = preview.data?.rows ?? [];
  const counts = { ok: 0, invalid: 0, duplicate: 0 };
  for (const r of rows) counts[r.status]++;

  const columns: ColumnsType<ImportPreviewRow> = [
    { title: t('imports.rowNumber'), dataIndex: 'rowNumber', key: 'rowNumber', width: 64, fixed: 'left' },
    ...shown.map((f) => ({
      title: f.label,
      key: f.key,
      render: (_: unknown, r: ImportPreviewRow) => {
        const v = r.values[f.key];
        return v === undefined || v === '' ? <Typography.Text type="secondary">-</Typography.Text> : v;
      },
    })),
    {
      title: t('imports.status'),
      key: 'status',
      fixed: 'right',
      width: 240,
      render: (_: unknown, r) => (
        <div data-testid="import-preview-status" data-status={r.status}>
          <Tag color={STATUS_COLORS[r.status]} bordered={false}>
            {t(`imports.rowStatuses.${r.status}`)}
          </Tag>
          {r.status === 'duplicate' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`imports.duplicateAction.${settings.duplicates}`)}
            </Typography.Text>
          )}
          {r.duplicateOf && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('imports.duplicateOf', { name: r.duplicateOf.name })}
              </Typography.Text>
            </div>
          )}
          {r.messages.map((m, i) => (
            <div key={i}>
              <Typography.Text type={r.status === 'invalid' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
                {m}
              </Typography.Text>
            </div>
          ))}
        </div>
      ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Form layout="vertical" className="import-options">
        <Space size="large" wrap align="start">
          <Form.Item label={t('imports.duplicates')} help={t('imports.duplicateHelp')} style={{ marginBottom: 8 }}>
            <Radio.Group
              value={settings.duplicates}
              onChange={(e) => onDuplicates(e.target.value as DuplicateMode)}
              optionType="button"
              data-testid="import-duplicates"
              options={DUPLICATE_MODES.map((m) => ({ value: m, label: t(`imports.duplicateModes.${m}`) }))}
            />
          </Form.Item>
          {owned && (
            <Form.Item label={t('imports.owner')} style={{ marginBottom: 8, minWidth: 280 }}>
              {can('user.view') ? (
                <UserSelect
                  allowClear
                  value={settings.ownerId}
                  onChange={onOwner}
                  placeholder={fromFile ? t('imports.ownerFromFile') : t('imports.ownerMe', { name: me.user.name })}
                  aria-label={t('imports.owner')}
                  data-testid="import-owner"
                />
              ) : (
                <Typography.Text>{fromFile ? t('imports.ownerFromFile') : t('imports.ownerMe', { name: me.user.name })}</Typography.Text>
              )}
            </Form.Item>
          )}
        </Space>
      </Form>
      <Space wrap>
        <Typography.Text strong>{t('imports.previewTitle', { count: IMPORT_PREVIEW_ROWS })}</Typography.Text>
        {preview.data && (
          <Typography.Text type="secondary" data-testid="import-preview-counts">
            {t('imports.previewCounts', counts)}
          </Typography.Text>
        )}
      </Space>
      {preview.error && <Alert type="error" showIcon message={preview.error.message} />}
      <div data-testid="import-preview">
        <Table<ImportPreviewRow>
          rowKey="rowNumber"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={preview.isFetching}
          pagination={false}
          scroll={{ x: 'max-content', y: 360 }}
          onRow={(r) => ({ 'data-row-status': r.status }) as HTMLAttributes<HTMLElement>}
        />
      </div>
    </Space>
  );
}
