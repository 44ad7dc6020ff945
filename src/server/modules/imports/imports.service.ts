/**
 * Imports of customers, contacts, leads, products and opportunities (CUS-16): a file is uploaded as a
 * draft, its columns mapped and previewed, then the import runs as a
 * background job (import-runner.ts) that can be followed, cancelled and undone.
 */
import type { Readable } from 'node:stream';
import type { Locale } from '../../../common/schemas/common.js';
import {
  IMPORT_MAX_BYTES,
  IMPORT_OWNER_TRANSFER,
  IMPORT_PREVIEW_ROWS,
  type ImportDraftDto,
  type ImportEntity,
  type ImportJobDto,
  type ImportPreviewDto,
  type ImportSettings,
} from '../../../common/schemas/imports.js';
import type { ExportFormat } from '../../../common/schemas/exchange.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { type ExportColumn, type PreparedExport, writeExport } from '../../platform/exchange/export.js';
import { fieldDto, guessMapping, headerKey, type ImportDefinition, prepareImport, type SourceRow } from '../../platform/exchange/import.js';
import { localTime } from '../../platform/exchange/list-export.js';
import { formatOf, openTable, TableFormatError } from '../../platform/exchange/read.js';
import { writeTemplate } from '../../platform/exchange/template.js';
import { FileTooLargeError, type FileStorage } from '../../platform/files/storage.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { isActiveUser } from '../org/users.repo.js';
import { IMPORT_DEFINITIONS } from './definitions.js';
import { evaluateRows, type ImportRunner, parseRows } from './import-runner.js';
import * as repo from './imports.repo.js';

const definitionFor = (actor: Actor, entity: ImportEntity): ImportDefinition<unknown> => {
  const definition = IMPORT_DEFINITIONS[entity];
  if (!actor.can(definition.permission)) throw new AppError('FORBIDDEN', { permission: definition.permission });
  return definition;
};

function toDto(j: repo.ImportJobRow, actor: Actor): ImportJobDto {
  const running = j.status === 'running' && j.run_started_at !== null;
  const pace = running ? (j.progress - j.run_started_progress) / Math.max(1, (j.now.getTime() - j.run_started_at!.getTime()) / 1000) : 0;
  const own = j.created_by === actor.userId;
  const finished = j.status === 'completed' || j.status === 'cancelled' || j.status === 'failed';
  return {
    id: j.id,
    entity: j.entity_type,
    fileName: j.file_name,
    status: j.status,
    settings: j.settings,
    rowsDone: j.rows_done,
    rowsCreated: j.rows_created,
    rowsUpdated: j.rows_updated,
    rowsSkipped: j.rows_skipped,
    rowsFailed: j.rows_failed,
    rowsUndone: j.rows_undone,
    rowsRestored: j.rows_restored,
    rowsKept: j.rows_kept,
    progress: j.status === 'completed' ? 1 : j.progress,
    secondsLeft: pace > 0 ? Math.ceil((1 - j.progress) / pace) : null,
    error: j.error,
    createdBy: { id: j.created_by, name: j.created_by_name },
    createdAt: j.created_at.toISOString(),
    startedAt: j.started_at?.toISOString() ?? null,
    finishedAt: j.finished_at?.toISOString() ?? null,
    allowed: {
      cancel: own && (j.status === 'queued' || j.status === 'running') && !j.cancel_requested,
      undo: own && finished && j.rows_created + j.rows_updated > 0,
      failures: j.rows_failed > 0,
    },
  };
}

/** A job the actor may see: their own, or any of the entity for a super administrator. */
async function visibleJob(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const job = await repo.getJob(q, actor.tenantId, id, forUpdate);
  if (!job || (job.created_by !== actor.userId && !actor.isSuperAdmin)) throw notFound();
  definitionFor(actor, job.entity_type);
  return job;
}

const unreadable = (err: unknown) =>
  err instanceof TableFormatError ? new AppError('IMPORT_FILE_UNREADABLE', { reason: err.message }, [{ path: 'file', message: 'fileType' }]) : err;

/** The header and the first rows of a stored file. */
async function readHead(files: FileStorage, key: string, format: 'xlsx' | 'csv', rows: number) {
  const file = await files.local(key);
  const reader = await openTable(file.path, format, { head: true }).catch((err: unknown) => {
    void file.release();
    throw unreadable(err);
  });
  try {
    let headers: string[] | null = null;
    const sample: SourceRow[] = [];
    for await (const row of reader.rows()) {
      if (!headers) headers = row.cells;
      else sample.push(row);
      if (sample.length >= rows) break;
    }
    return { headers: headers ?? [], sample, encoding: reader.encoding };
  } catch (err) {
    throw unreadable(err);
  } finally {
    await reader.close();
    await file.release();
  }
}

/** Stores an uploaded file as a draft import and proposes a mapping of its columns. */
export async function uploadDraft(actor: Actor, files: FileStorage, input: { entity: ImportEntity; fileName: string }, body: Readable, locale: Locale): Promise<ImportDraftDto> {
  const definition = definitionFor(actor, input.entity);
  const format = formatOf(input.fileName);
  if (!format) throw new AppError('FILE_TYPE', { types: 'xlsx, csv' }, [{ path: 'fileName', message: 'fileType' }]);
  const stored = await files.put(`t${actor.tenantId}/imports`, body, IMPORT_MAX_BYTES).catch((e: unknown) => {
    throw e instanceof FileTooLargeError ? new AppError('FILE_TOO_LARGE', { mb: IMPORT_MAX_BYTES / 1024 / 1024 }) : e;
  });
  const head = await readHead(files, stored.key, format, 5).catch(async (err: unknown) => {
    await files.delete(stored.key);
    throw err;
  });
  if (!head.headers.some((h) => h.trim())) {
    await files.delete(stored.key);
    throw new AppError('IMPORT_FILE_UNREADABLE', { reason: locale === 'zh-CN' ? '第一行应是列名' : 'the first row must hold the column names' }, [{ path: 'file', message: 'required' }]);
  }
  return actor.tx(async (q) => {
    const prepared = await prepareImport(q, definition, actor, locale, { ownerId: null });
    const remembered = await repo.rememberedMapping(q, actor.tenantId, actor.userId, input.entity);
    const id = await repo.insertDraft(q, actor.tenantId, {
      entity: input.entity, fileName: input.fileName, fileKey: stored.key, format, encoding: head.encoding, headers: head.headers, locale, createdBy: actor.userId,
    });
    return {
      id,
      entity: input.entity,
      fileName: input.fileName,
      format,
      encoding: head.encoding,
      headers: head.headers,
      sample: head.sample.map((r) => r.cells),
      fields: prepared.fields.map(fieldDto),
      mapping: guessMapping(head.headers, prepared.fields, remembered),
    };
  });
}

const invalidSettings = (path: string, message: string) => new AppError('VALIDATION_FAILED', {}, [{ path, message }]);

/** Refuses a mapping that misses a required field or fills a field twice, and an owner the actor may not give records to. */
async function checkSettings(q: Queryable, actor: Actor, job: repo.ImportJobRow, fields: { key: string; required?: boolean }[], settings: ImportSettings) {
  if (settings.mapping.length !== job.headers.length) throw invalidSettings('mapping', 'mappingColumns');
  const mapped = settings.mapping.filter((k): k is string => k !== null);
  const known = new Set(fields.map((f) => f.key));
  const unknown = mapped.findIndex((k) => !known.has(k));
  if (unknown >= 0) throw invalidSettings(`mapping.${settings.mapping.indexOf(mapped[unknown]!)}`, 'unknownKey');
  if (new Set(mapped).size !== mapped.length) throw invalidSettings('mapping', 'mappingTwice');
  if (fields.some((f) => f.required && !mapped.includes(f.key))) throw invalidSettings('mapping', 'mappingRequired');
  const transfer = IMPORT_OWNER_TRANSFER[job.entity_type];
  if (settings.ownerId !== null && transfer === null) throw invalidSettings('ownerId', 'invalid');
  if (settings.ownerId !== null && transfer !== null && settings.ownerId !== actor.userId) {
    if (!actor.can(transfer)) throw new AppError('FORBIDDEN', { permission: transfer });
    if (!(await isActiveUser(q, actor.tenantId, settings.ownerId))) throw invalidSettings('ownerId', 'invalid');
  }
}

/** The first rows of the file as the import would treat them, written nowhere. */
export async function previewImport(actor: Actor, files: FileStorage, id: number, settings: ImportSettings, locale: Locale): Promise<ImportPreviewDto> {
  const job = await actor.tx((q) => visibleJob(q, actor, id));
  if (job.status !== 'draft') throw new AppError('IMPORT_NOT_DRAFT');
  const head = await readHead(files, job.file_key, job.file_format, IMPORT_PREVIEW_ROWS);
  return actor.tx(async (q) => {
    const definition = IMPORT_DEFINITIONS[job.entity_type];
    const prepared = await prepareImport(q, definition, actor, locale, { ownerId: settings.ownerId });
    await checkSettings(q, actor, job, prepared.fields, settings);
    const { parsed, hitOf, failures } = await evaluateRows(q, prepared, locale, settings, parseRows(prepared, locale, settings, head.sample));
    const failedOf = new Map(failures.map((f) => [f.rowNumber, f.reason]));
    return {
      rows: parsed.map((p) => {
        const hit = hitOf.get(p.source.rowNumber);
        const values = Object.fromEntries(p.texts);
        if ('errors' in p) return { rowNumber: p.source.rowNumber, values, status: 'invalid' as const, messages: p.errors };
        const failed = failedOf.get(p.source.rowNumber);
        if (failed) return { rowNumber: p.source.rowNumber, values, status: 'invalid' as const, messages: [failed], duplicateOf: hit && { id: hit.id, name: hit.name } };
        if (hit) return { rowNumber: p.source.rowNumber, values, status: 'duplicate' as const, messages: [`${hit.rule}：${hit.name}`], duplicateOf: { id: hit.id, name: hit.name } };
        return { rowNumber: p.source.rowNumber, values, status: 'ok' as const, messages: [] };
      }),
    };
  });
}

/** Starts the import: the job is queued and this server begins running it. */
export async function startImport(actor: Actor, runner: ImportRunner, id: number, settings: ImportSettings, locale: Locale): Promise<ImportJobDto> {
  const dto = await actor.tx(async (q) => {
    const job = await visibleJob(q, actor, id, true);
    if (job.status !== 'draft') throw new AppError('IMPORT_NOT_DRAFT');
    const prepared = await prepareImport(q, IMPORT_DEFINITIONS[job.entity_type], actor, locale, { ownerId: settings.ownerId });
    await checkSettings(q, actor, job, prepared.fields, settings);
    await repo.queue(q, actor.tenantId, id, settings);
    const choices = Object.fromEntries(job.headers.flatMap((h, i) => (settings.mapping[i] && headerKey(h) ? [[headerKey(h), settings.mapping[i]!]] : [])));
    await repo.rememberMapping(q, actor.tenantId, actor.userId, job.entity_type, choices);
    return toDto((await repo.getJob(q, actor.tenantId, id))!, actor);
  });
  runner.start(actor.tenantId, id);
  return dto;
}

export function getImport(actor: Actor, id: number) {
  return actor.tx(async (q) => toDto(await visibleJob(q, actor, id), actor));
}

export function listImports(actor: Actor, entity: ImportEntity) {
  definitionFor(actor, entity);
  return actor.tx(async (q) => ({ items: (await repo.listJobs(q, actor.tenantId, entity, actor.isSuperAdmin ? null : actor.userId, 50)).map((j) => toDto(j, actor)) }));
}

export function cancelImport(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const job = await visibleJob(q, actor, id, true);
    if (job.created_by !== actor.userId) throw new AppError('RECORD_READ_ONLY');
    if (job.status !== 'queued' && job.status !== 'running' && job.status !== 'draft') throw new AppError('IMPORT_FINISHED');
    if (job.status === 'draft') await repo.finish(q, actor.tenantId, id, 'cancelled');
    else await repo.requestCancel(q, actor.tenantId, id);
    return toDto((await repo.getJob(q, actor.tenantId, id))!, actor);
  });
}

/**
 * Takes back what the import created and sets what it updated back to its
 * values before, where nobody changed the records since: in the background (a
 * big import's records take minutes).
 */
export async function undoImport(actor: Actor, runner: ImportRunner, id: number) {
  const job = await actor.tx(async (q) => {
    const job = await visibleJob(q, actor, id, true);
    if (job.created_by !== actor.userId) throw new AppError('RECORD_READ_ONLY');
    if (!['completed', 'cancelled', 'failed'].includes(job.status)) throw new AppError('IMPORT_NOT_FINISHED');
    await repo.startUndo(q, actor.tenantId, id);
    return (await repo.getJob(q, actor.tenantId, id))!;
  });
  runner.start(actor.tenantId, id);
  return toDto(job, actor);
}

const REASON: Record<Locale, string> = { 'zh-CN': '失败原因', en: 'Reason' };
const ROW: Record<Locale, string> = { 'zh-CN': '行号', en: 'Row' };
const FAILURE_PAGE = 1000;

/** The failed rows as a file: the row number, the file's own columns as read, and the reason. */
export async function failuresFile(actor: Actor, id: number, format: ExportFormat, locale: Locale): Promise<PreparedExport> {
  const job = await actor.tx((q) => visibleJob(q, actor, id));
  type Failure = { row_number: number; cells: string[]; reason: string };
  const columns: ExportColumn<Failure>[] = [
    { key: 'row', header: { 'zh-CN': ROW['zh-CN'], en: ROW.en }, value: (f) => f.row_number },
    ...job.headers.map((h, i): ExportColumn<Failure> => ({ key: `c${i}`, header: { 'zh-CN': h, en: h }, value: (f) => f.cells[i] ?? null })),
    { key: 'reason', header: { 'zh-CN': REASON['zh-CN'], en: REASON.en }, value: (f) => f.reason },
  ];
  async function* pages() {
    for (let after = 0; ; ) {
      const page = await actor.tx((q) => repo.failures(q, actor.tenantId, id, after, FAILURE_PAGE));
      if (page.length) yield page;
      if (page.length < FAILURE_PAGE) return;
      after = page[page.length - 1]!.row_number;
    }
  }
  const base = job.file_name.replace(/\.[^.]+$/, '');
  return {
    file: { name: `${base}_${locale === 'zh-CN' ? '失败行' : 'failed'}.${format}`, format },
    write: (sink) => writeExport(sink, { format, locale, title: locale === 'zh-CN' ? '失败行' : 'Failed rows', columns, batches: pages() }),
  };
}

/** An empty file with the entity's columns (required ones marked *) and drop-down lists for choice fields. */
export async function templateFile(actor: Actor, entity: ImportEntity, format: ExportFormat, locale: Locale): Promise<PreparedExport> {
  const definition = definitionFor(actor, entity);
  const fields = (await actor.tx((q) => prepareImport(q, definition, actor, locale, { ownerId: null }))).fields.map(fieldDto);
  const stamp = localTime(new Date().toISOString())!.slice(0, 10).replace(/-/g, '');
  const title = definition.title[locale];
  return {
    file: { name: `${title}${locale === 'zh-CN' ? '导入模板' : ' import template'}_${stamp}.${format}`, format },
    write: async (sink) => {
      await writeTemplate(sink, { format, title, fields });
      return 0;
    },
  };
}
