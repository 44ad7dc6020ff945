import { App } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../common/permissions';
import type { ExportFormat } from '../../../common/schemas/exchange';
import type { ImportEntity, ImportFieldDto, ImportJobDto, ImportStatus } from '../../../common/schemas/imports';
import { api, ApiError } from '../../api/client';
import { useShowError } from '../form';

/** The permission to import an entity's records. */
const IMPORT_PERMISSIONS: Record<ImportEntity, Permission> = {
  customer: 'customer.import',
  contact: 'contact.import',
  lead: 'lead.import',
  product: 'product.import',
  opportunity: 'opportunity.import',
};
export const importPermission = (entity: ImportEntity): Permission => IMPORT_PERMISSIONS[entity];

/** A job the server is still working on: the wizard keeps asking for its progress. */
export const isActive = (status: ImportStatus | undefined): boolean => status === 'queued' || status === 'running' || status === 'undoing';

/** How far a job is, 0–100: an import by the file read, an undo by the records taken back. */
export function jobPercent(job: ImportJobDto): number {
  if (job.status === 'completed') return 100;
  return Math.min(100, Math.floor((job.status === 'undoing' ? (job.rowsUndone + job.rowsRestored) / Math.max(1, job.rowsCreated + job.rowsUpdated) : job.progress) * 100));
}

/** Marker of "不导入" in the mapping selects (a Select shows no label for null). */
export const SKIP = '__skip__';

export interface MappingProblems {
  /** Required fields no column fills. */
  missing: ImportFieldDto[];
  /** Fields more than one column fills. */
  twice: ImportFieldDto[];
  /** No column is imported at all. */
  empty: boolean;
}

/** What keeps a mapping from being imported. */
export function mappingProblems(fields: readonly ImportFieldDto[], mapping: readonly (string | null)[]): MappingProblems {
  const used = new Map<string, number>();
  for (const key of mapping) if (key) used.set(key, (used.get(key) ?? 0) + 1);
  return {
    missing: fields.filter((f) => f.required && !used.has(f.key)),
    twice: fields.filter((f) => (used.get(f.key) ?? 0) > 1),
    empty: used.size === 0,
  };
}

export const hasProblems = (p: MappingProblems): boolean => p.missing.length > 0 || p.twice.length > 0 || p.empty;

/**
 * Whether a column of the file fills the owner (负责人): then a null owner in
 * the settings means "the file's owner column" rather than "me".
 */
export function ownerMapped(fields: readonly ImportFieldDto[], mapping: readonly (string | null)[]): boolean {
  const ownerKeys = new Set(fields.filter((f) => /^owner/i.test(f.key) || f.label === '负责人').map((f) => f.key));
  return mapping.some((k) => !!k && ownerKeys.has(k));
}

/** secondsLeft as "约 3 分 20 秒". */
export function timeLeftText(t: TFunction, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return t('imports.timeUnknown');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('imports.secondsLeft', { s });
  if (s < 3600) return t('imports.minutesLeft', { m: Math.floor(s / 60), s: s % 60 });
  return t('imports.hoursLeft', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

export const STATUS_COLORS: Record<ImportStatus, string> = {
  draft: 'default',
  queued: 'default',
  running: 'processing',
  completed: 'success',
  failed: 'error',
  cancelled: 'warning',
  undoing: 'processing',
  undone: 'default',
};

/**
 * The actions on a started import, shared by the wizard's last step and the
 * import history: cancel, undo, download the failed rows. `changed` gets the
 * job as the server answered.
 */
export function useImportActions(changed: (job: ImportJobDto) => void) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    try {
      await work();
    } catch (err) {
      if (err instanceof ApiError) message.error(err.message);
      else showError(err);
    } finally {
      setBusy(null);
    }
  };

  return {
    /** e.g. "undo:12" while the undo of job 12 runs. */
    busy,
    cancel: (job: ImportJobDto) =>
      run(`cancel:${job.id}`, async () => {
        changed(await api.post<ImportJobDto>(`/imports/${job.id}/cancel`));
        message.success(t('imports.cancelled'));
      }),
    undo: (job: ImportJobDto) =>
      run(`undo:${job.id}`, async () => {
        changed(await api.post<ImportJobDto>(`/imports/${job.id}/undo`));
        message.info(t('imports.undoStarted'));
      }),
    failures: (job: ImportJobDto, format: ExportFormat = 'xlsx') =>
      run(`failures:${job.id}`, () => api.download(`/imports/${job.id}/failures`, { format })),
  };
}
