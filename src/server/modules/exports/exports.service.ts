/**
 * Exports too large to wait for (CUS-16): written in the background to a file
 * in storage, the user told by a notification when it is ready, downloaded by
 * its owner only. The file is the same as the direct download's (same list
 * query, scope, columns, operation log entry).
 */
import { PassThrough } from 'node:stream';
import type { Locale } from '../../../common/schemas/common.js';
import type { ExportJobDto } from '../../../common/schemas/exchange.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { streamSink } from '../../platform/exchange/export.js';
import { type ListExport, prepareListExport } from '../../platform/exchange/list-export.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { notify } from '../notifications/notifications.repo.js';
import * as repo from './exports.repo.js';

/** Largest export file kept (a million customers as CSV are ~200 MB). */
const MAX_EXPORT_BYTES = 2 * 1024 * 1024 * 1024;
/** Seconds between heartbeats of a running export; one silent for three of these is taken as abandoned. */
export const EXPORT_HEARTBEAT_SECONDS = 10;

const READY: Record<Locale, (rows: number) => string> = {
  'zh-CN': (rows) => `导出完成，共 ${rows.toLocaleString('zh-CN')} 行，点击下载`,
  en: (rows) => `Export ready: ${rows.toLocaleString('en')} rows; click to download`,
};
const ABANDONED = 'the server stopped while writing the file; export again';

const toDto = (j: repo.ExportJobRow): ExportJobDto => ({
  id: j.id,
  entity: j.entity_type,
  status: j.status,
  fileName: j.file_name,
  size: j.file_size,
  rows: j.rows,
  error: j.error,
  createdAt: j.created_at.toISOString(),
  finishedAt: j.finished_at?.toISOString() ?? null,
});

/**
 * Starts writing a list's export in the background and answers at once; the
 * request is checked (columns) before, as for a direct download.
 */
export async function startExport<Row, Query extends { format: 'xlsx' | 'csv' }>(
  actor: Actor,
  files: FileStorage,
  list: ListExport<Row, Query>,
  query: Query,
  locale: Locale,
): Promise<ExportJobDto> {
  const prepared = await prepareListExport(actor, list, query, locale);
  const id = await actor.tx((q) => repo.insertJob(q, actor.tenantId, { entity: list.entity, query, locale, createdBy: actor.userId }));
  const beat = setInterval(() => void actor.tx((q) => repo.heartbeat(q, actor.tenantId, id)).catch(() => {}), EXPORT_HEARTBEAT_SECONDS * 1000);
  const body = new PassThrough();
  const stored = files.put(`t${actor.tenantId}/exports`, body, MAX_EXPORT_BYTES);
  void prepared
    .write(streamSink(body))
    .then(async (rows) => {
      body.end();
      const file = await stored;
      await actor.tx(async (q) => {
        await repo.complete(q, actor.tenantId, id, { name: prepared.file.name, key: file.key, size: file.size, rows });
        await notify(q, actor.tenantId, { userId: actor.userId, kind: 'export_ready', title: prepared.file.name, body: READY[locale](rows), entityType: 'export', entityId: id });
      });
    })
    .catch(async (err: unknown) => {
      body.destroy(err as Error);
      await stored.catch(() => {});
      await actor.tx((q) => repo.fail(q, actor.tenantId, id, err instanceof Error ? err.message : String(err))).catch(() => {});
    })
    .finally(() => clearInterval(beat));
  return toDto((await actor.tx((q) => repo.getJob(q, actor.tenantId, id)))!);
}

export function listExports(actor: Actor) {
  return actor.tx(async (q) => ({ items: (await repo.listJobs(q, actor.tenantId, actor.userId, 20)).map(toDto) }));
}

export function getExport(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const job = await repo.getJob(q, actor.tenantId, id);
    if (!job || job.created_by !== actor.userId) throw notFound();
    return toDto(job);
  });
}

/** The finished file, for the user who asked for it. */
export async function downloadExport(actor: Actor, files: FileStorage, id: number) {
  const job = await actor.tx((q) => repo.getJob(q, actor.tenantId, id));
  if (!job || job.created_by !== actor.userId) throw notFound();
  if (job.status !== 'completed' || !job.file_key) throw new AppError('EXPORT_NOT_READY');
  return { name: job.file_name!, format: job.query.format as 'xlsx' | 'csv', size: job.file_size!, stream: await files.get(job.file_key) };
}

/** Marks exports whose server died as failed (run by every server now and then). */
export function failAbandonedExports(db: Database) {
  return db.system((q) => repo.failAbandoned(q, EXPORT_HEARTBEAT_SECONDS * 3, ABANDONED));
}
