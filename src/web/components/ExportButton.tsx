import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomFieldDto } from '../../common/schemas/custom-fields';
import { EXPORT_FORMATS, EXPORTED_CUSTOM_FIELD_TYPES, type ExportFormat } from '../../common/schemas/exchange';
import { api, type QueryParams } from '../api/client';
import { useShowError } from './form';

/** The shown columns the export can hold: all standard ones, custom fields but user and file ones. */
export function exportedColumns(shown: readonly string[], fields: readonly CustomFieldDto[]): string[] {
  const exported = new Set(fields.filter((f) => EXPORTED_CUSTOM_FIELD_TYPES.includes(f.type)).map((f) => f.key));
  return shown.filter((key) => !key.startsWith('cf_') || exported.has(key));
}

/** The list's latest query, kept from ListPage's `onParamsChange` for the export to take when asked. */
export function useLatestParams() {
  const latest = useRef<QueryParams>({});
  const track = useCallback((params: QueryParams) => {
    latest.current = params;
  }, []);
  const current = useCallback(() => latest.current, []);
  return { track, current };
}

interface ExportButtonProps {
  /** The list's export endpoint, e.g. '/contacts/export'. */
  path: string;
  /** The list's current query (filters and sort). */
  params: () => QueryParams;
  columns: string[];
  selectedIds?: number[];
  testId: string;
}

/**
 * 导出: a list as the user sees it (filters, view, sort, shown columns) or
 * only the selected rows, as Excel or CSV.
 */
export function ExportButton({ path, params, columns, selectedIds = [], testId }: ExportButtonProps) {
  const { t } = useTranslation();
  const showError = useShowError();
  const [busy, setBusy] = useState(false);
  const { message } = App.useApp();

  const run = async (format: ExportFormat, background: boolean) => {
    setBusy(true);
    try {
      const { sort, order, ...filters } = params();
      // a selection is exported as picked, even if the filters changed since
      const rows = selectedIds.length ? { ids: selectedIds.join(',') } : filters;
      const query = { ...rows, sort, order, format, columns: columns.join(',') };
      if (background) {
        // written on the server; the notification area says when the file is ready
        await api.post(`${path}/job`, {}, { query });
        void message.success(t('list.export.started'));
      } else await api.download(path, query);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dropdown
      disabled={busy}
      trigger={['click']}
      menu={{
        items: [
          ...EXPORT_FORMATS.map((f) => ({ key: f, label: t(`list.export.${f}`) })),
          { type: 'divider' as const },
          ...EXPORT_FORMATS.map((f) => ({ key: `job-${f}`, label: t('list.export.background', { format: t(`list.export.${f}`) }) })),
        ],
        onClick: ({ key }) => void run(key.replace(/^job-/, '') as ExportFormat, key.startsWith('job-')),
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={testId}>
        {selectedIds.length ? t('list.export.selected', { count: selectedIds.length }) : t('list.export.button')}
      </Button>
    </Dropdown>
  );
}
