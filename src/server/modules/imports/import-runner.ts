/**
 * Runs imports in the background of the server that started them (or, after
 * a crash, of whichever server finds them unattended first). The file is read
 * in order and its rows settled in batches: each batch's records, failed rows
 * and the job's counters commit in one transaction, so a run that dies loses
 * no acknowledged row, writes no half row, and its successor starts exactly
 * after the last committed batch.
 */
import type { Locale } from '../../../common/schemas/common.js';
import type { DuplicateMode, ImportSettings } from '../../../common/schemas/imports.js';
import { type Database, type Queryable, savepoint } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { actorForUser } from '../../platform/auth/actor-loader.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { type DuplicateHit, type ImportDefinition, mappedTexts, type PreparedImport, parseRow, prepareImport, type SourceRow } from '../../platform/exchange/import.js';
import { analyzeImported, keptUpdated, liveImported, noteUpdated, settleUpdated, undoImported, updatedToSettle } from '../../platform/exchange/imported.repo.js';
import { openTable, type TableReader } from '../../platform/exchange/read.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { AppError } from '../../platform/http/errors.js';
import { fieldMessage, message } from '../../platform/i18n/messages.js';
import { notify } from '../notifications/notifications.repo.js';
import { IMPORT_DEFINITIONS } from './definitions.js';
import * as repo from './imports.repo.js';

export interface ImportRunnerOptions {
  /** Rows per transaction. */
  batchSize: number;
  /** A job whose heartbeat is older than this is taken to be orphaned and resumed elsewhere. */
  staleSeconds: number;
  /** Records an undo takes back per transaction. */
  undoChunk?: number;
  onError?: (err: unknown) => void;
}

export const DEFAULT_RUNNER_OPTIONS: ImportRunnerOptions = { batchSize: 2000, staleSeconds: 60 };

/** ~1.5 s per transaction at a million customers (each record leaves 24 indexes' live entries). */
const UNDO_CHUNK = 5000;
/** Updated records an undo sets back per transaction: each through the entity's own update, so fewer. */
const RESTORE_CHUNK = 500;

const TEXT = {
  repeated: { 'zh-CN': '与文件第 {row} 行重复', en: 'Repeats row {row} of the file' },
  refused: { 'zh-CN': '与已有记录「{name}」重复（{rule}）', en: 'Duplicates the existing record “{name}” ({rule})' },
  readOnly: { 'zh-CN': '与已有记录「{name}」重复（{rule}），但你无权修改该记录', en: 'Duplicates “{name}” ({rule}), which you may not change' },
  failed: { 'zh-CN': '无法导入此行', en: 'This row could not be imported' },
  ownerGone: { 'zh-CN': '发起导入的员工已停用或失去导入权限', en: 'The user who started the import is disabled or lost the import permission' },
  fileGone: { 'zh-CN': '导入文件无法读取', en: 'The import file cannot be read' },
  done: { 'zh-CN': '导入完成：新建 {rows_created}，更新 {rows_updated}，跳过 {rows_skipped}，失败 {rows_failed}', en: 'Import done: {rows_created} created, {rows_updated} updated, {rows_skipped} skipped, {rows_failed} failed' },
  stopped: { 'zh-CN': '导入已取消：新建 {rows_created}，失败 {rows_failed}', en: 'Import cancelled: {rows_created} created, {rows_failed} failed' },
  undone: { 'zh-CN': '导入已撤销：{rows_undone} 条移入回收站，{rows_kept} 条因被修改而保留', en: 'Import undone: {rows_undone} records moved to the recycle bin, {rows_kept} kept as they were changed' },
  undoneRestored: {
    'zh-CN': '导入已撤销：{rows_undone} 条移入回收站，{rows_restored} 条恢复为导入前的值，{rows_kept} 条因被修改而保留',
    en: 'Import undone: {rows_undone} records moved to the recycle bin, {rows_restored} set back to their values before, {rows_kept} kept as they were changed',
  },
} satisfies Record<string, Record<Locale, string>>;

const say = (locale: Locale, key: keyof typeof TEXT, params: object = {}) =>
  TEXT[key][locale].replace(/\{(\w+)\}/g, (_m, k: string) => String((params as Record<string, unknown>)[k]));

/** A row's failure in words: an AppError with its fields, anything else as a plain failure. */
export function reasonOf(locale: Locale, err: unknown): string {
  if (!(err instanceof AppError)) return say(locale, 'failed');
  const fields = err.fields.map((f) => `${f.path}: ${fieldMessage(locale, f.message) ?? f.message}`);
  return [message(locale, err.code, err.params), ...fields].join('；');
}

/** Another server took the job over (its heartbeat looked stale): this run stops without writing its batch. */
class Fenced extends Error {}

/** A row that cannot be imported: as read, with the reason. */
type Failure = { rowNumber: number; cells: string[]; reason: string };

interface Decided<Row> {
  create: { source: SourceRow; row: Row }[];
  update: { source: SourceRow; id: number; row: Row; fields: ReadonlySet<string> }[];
  skipped: number;
  failures: Failure[];
}

/**
 * What happens to each parsed row of a batch: repeats of an earlier row of the
 * batch and duplicates of existing records per the chosen mode, the rest created.
 * Earlier batches are in the database already, so their rows count as existing.
 */
export function decide<Row>(
  prepared: PreparedImport<Row>,
  locale: Locale,
  mode: DuplicateMode,
  rows: { source: SourceRow; row: Row; fields: ReadonlySet<string> }[],
  hits: (DuplicateHit | undefined)[],
): Decided<Row> {
  const out: Decided<Row> = { create: [], update: [], skipped: 0, failures: [] };
  const fail = (source: SourceRow, reason: string) => out.failures.push({ rowNumber: source.rowNumber, cells: source.cells, reason });
  const firstRow = new Map<string, number>();
  rows.forEach(({ source, row, fields }, i) => {
    const identities = prepared.identities(row);
    const earlier = identities.map((k) => firstRow.get(k)).find((r) => r !== undefined);
    if (earlier !== undefined) {
      if (mode === 'skip') out.skipped++;
      else fail(source, say(locale, 'repeated', { row: earlier }));
      return;
    }
    for (const k of identities) firstRow.set(k, source.rowNumber);
    const hit = hits[i];
    if (hit && mode === 'skip') out.skipped++;
    else if (hit && mode === 'update') {
      if (hit.writable) out.update.push({ source, id: hit.id, row, fields });
      else fail(source, say(locale, 'readOnly', hit));
    } else if (hit?.refuse) fail(source, say(locale, 'refused', hit));
    else out.create.push({ source, row });
  });
  return out;
}

/** Rows of a file parsed by the mapping and the fields' checks: no database involved, so a job does it while the previous batch is being written. */
export function parseRows<Row>(prepared: PreparedImport<Row>, locale: Locale, settings: ImportSettings, rows: SourceRow[]) {
  return rows.map((source) => {
    const texts = mappedTexts(settings.mapping, source.cells);
    return { source, texts, fields: new Set(texts.keys()) as ReadonlySet<string>, ...parseRow(prepared, locale, texts) };
  });
}

type ParsedRows<Row> = ReturnType<typeof parseRows<Row>>;

/**
 * What parsed rows of a file come to before anything is written (a batch of
 * the job, or the preview): their related records found, duplicates looked up
 * and decided by the mode; `failures` holds every row that cannot be imported.
 */
export async function evaluateRows<Row>(q: Queryable, prepared: PreparedImport<Row>, locale: Locale, settings: ImportSettings, parsed: ParsedRows<Row>) {
  const valid = parsed.flatMap((p) => ('row' in p ? [{ source: p.source, row: p.row, fields: p.fields }] : []));
  const reasons = prepared.resolve ? await prepared.resolve(q, valid.map((v) => v.row)) : [];
  const resolved = valid.filter((_, i) => !reasons[i]);
  const hits = await prepared.duplicates(q, resolved.map((r) => r.row));
  const decided = decide(prepared, locale, settings.duplicates, resolved, hits);
  const failures: Failure[] = [
    ...parsed.flatMap((p) => ('errors' in p ? [{ rowNumber: p.source.rowNumber, cells: p.source.cells, reason: p.errors.join('；') }] : [])),
    ...valid.flatMap((v, i) => (reasons[i] ? [{ rowNumber: v.source.rowNumber, cells: v.source.cells, reason: reasons[i] }] : [])),
    ...decided.failures,
  ];
  return { parsed, hitOf: new Map(resolved.map((r, i) => [r.source.rowNumber, hits[i]])), decided, failures };
}

/**
 * The end of a job's run, in its last transaction: an operation-log entry with
 * the job's figures, and a notification to whoever started it (who may have
 * closed the page long ago).
 */
async function announce(q: Queryable, actor: Actor, id: number, action: 'import' | 'undo_import', text: keyof typeof TEXT, figures: (job: repo.ImportJobRow) => Record<string, unknown>) {
  const job = (await repo.getJob(q, actor.tenantId, id))!;
  await recordChange(q, actor, {
    entity: job.entity_type,
    recordId: null,
    recordName: job.file_name,
    action,
    changes: Object.entries({ job: id, ...figures(job) }).map(([field, after]) => ({ field, before: null, after })),
  });
  await notify(q, actor.tenantId, { userId: job.created_by, kind: 'import_done', title: job.file_name, body: say(job.locale, text, job), entityType: 'import', entityId: id });
}

export class ImportRunner {
  private readonly active = new Map<string, { stop: boolean; done: Promise<void> }>();

  constructor(
    private readonly db: Database,
    private readonly files: FileStorage,
    private readonly options: ImportRunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {}

  /** Runs a job (its import, or its undo) here if no other server holds it; returns at once. */
  start(tenantId: number, id: number): void {
    const key = `${tenantId}:${id}`;
    if (this.active.has(key)) return;
    const state = { stop: false, done: Promise.resolve() };
    this.active.set(key, state);
    state.done = this.attend(tenantId, id, state)
      .catch((err: unknown) => this.options.onError?.(err))
      .finally(() => this.active.delete(key));
  }

  private async attend(tenantId: number, id: number, state: { stop: boolean }): Promise<void> {
    const claim = (take: typeof repo.claim) => this.db.tenant({ tenantId }, (q) => take(q, tenantId, id, this.options.staleSeconds));
    const job = await claim(repo.claim);
    if (job) return this.run(job, state);
    const undo = await claim(repo.claimUndo);
    if (undo) return this.undo(undo, state);
  }

  /** Renews a job's heartbeat while it runs: a long batch (or a slow start on a big file) must not look like a dead server. Returns the stop. */
  private heartbeats(tenantId: number, id: number): () => void {
    const beat = setInterval(() => {
      this.db.tenant({ tenantId }, (q) => repo.heartbeat(q, tenantId, id)).catch(() => {});
    }, (this.options.staleSeconds * 1000) / 3);
    return () => clearInterval(beat);
  }

  /** Starts every job no server attends to (after a crash or a shutdown elsewhere); returns how many. */
  async resumeUnattended(): Promise<number> {
    const jobs = await this.db.system((q) => repo.unattended(q, this.options.staleSeconds));
    for (const j of jobs) this.start(j.tenant_id, j.id);
    return jobs.length;
  }

  /** Resolves when this server runs no import (tests). */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.all([...this.active.values()].map((s) => s.done));
  }

  /** Stops after the current batches and hands the jobs back for another server to resume. */
  async stop(): Promise<void> {
    for (const s of this.active.values()) s.stop = true;
    await this.idle();
  }

  private async run(job: repo.ImportJobRow, state: { stop: boolean }): Promise<void> {
    const { tenant_id: tenantId, id, locale } = job;
    const definition = IMPORT_DEFINITIONS[job.entity_type];
    const fail = (reason: string) => this.db.tenant({ tenantId }, (q) => repo.finish(q, tenantId, id, 'failed', reason));
    const actor = await actorForUser(this.db, tenantId, job.created_by).catch(() => null);
    if (!actor || !actor.can(definition.permission)) return fail(say(locale, 'ownerGone'));
    const file = await this.files.local(job.file_key).catch(() => null);
    if (!file) return fail(say(locale, 'fileGone'));
    const reader = await openTable(file.path, job.file_format).catch(() => null);
    if (!reader) {
      await file.release();
      return fail(say(locale, 'fileGone'));
    }
    const stopBeats = this.heartbeats(tenantId, id);
    try {
      const prepared = await actor.tx((q) => prepareImport(q, definition, actor, locale, { ownerId: job.settings!.ownerId }));
      const outcome = await this.readAll(actor, job, prepared as PreparedImport<unknown>, reader, state);
      if (outcome === 'stopped') {
        await this.db.tenant({ tenantId }, (q) => repo.release(q, tenantId, id));
        return;
      }
      await actor.tx(async (q) => {
        await repo.finish(q, tenantId, id, outcome);
        await announce(q, actor, id, 'import', outcome === 'completed' ? 'done' : 'stopped', (done) => ({
          status: outcome, created: done.rows_created, updated: done.rows_updated, skipped: done.rows_skipped, failed: done.rows_failed,
        }));
      });
    } catch (err) {
      if (!(err instanceof Fenced)) {
        await fail(reasonOf(locale, err));
        throw err;
      }
    } finally {
      stopBeats();
      await reader.close();
      await file.release();
    }
  }

  /**
   * Takes back what a job created, chunk by chunk, each chunk and its count in
   * one transaction; a server that stops or dies leaves the rest to another.
   * Ends with the count of records kept because they were changed.
   */
  private async undo(job: repo.ImportJobRow, state: { stop: boolean }): Promise<void> {
    const { tenant_id: tenantId, id, locale } = job;
    const definition = IMPORT_DEFINITIONS[job.entity_type];
    const chunk = this.options.undoChunk ?? UNDO_CHUNK;
    const stopBeats = this.heartbeats(tenantId, id);
    const end = async (q: Queryable, error: string | null) =>
      repo.markUndone(q, tenantId, id, (await liveImported(q, job.entity_type, tenantId, id)) + (await keptUpdated(q, tenantId, id)), error);
    try {
      const actor = await actorForUser(this.db, tenantId, job.created_by).catch(() => null);
      if (!actor) return await this.db.tenant({ tenantId }, (q) => end(q, say(locale, 'ownerGone')));
      for (let undone = chunk; undone === chunk; ) {
        if (state.stop) return await this.db.tenant({ tenantId }, (q) => repo.release(q, tenantId, id));
        // PGlite answers in the same thread without I/O: let requests in between chunks
        await new Promise((resolve) => setImmediate(resolve));
        undone = await actor.tx(async (q) => {
          const n = await undoImported(q, job.entity_type, tenantId, id, job.created_by, definition.untouched, chunk);
          if (!(await repo.addUndone(q, tenantId, id, { undone: n }))) throw new Fenced();
          return n;
        });
      }
      for (let settled = RESTORE_CHUNK; definition.restore && settled === RESTORE_CHUNK; ) {
        if (state.stop) return await this.db.tenant({ tenantId }, (q) => repo.release(q, tenantId, id));
        await new Promise((resolve) => setImmediate(resolve));
        settled = await actor.tx((q) => this.restoreChunk(q, actor, job, definition.restore!));
      }
      await actor.tx(async (q) => {
        await end(q, null);
        await announce(q, actor, id, 'undo_import', job.rows_updated > 0 ? 'undoneRestored' : 'undone', (done) => ({ undone: done.rows_undone, restored: done.rows_restored, kept: done.rows_kept }));
      });
    } catch (err) {
      if (err instanceof Fenced) return;
      // what was taken back stays so; the rest is counted as kept and the reason shown
      await this.db.tenant({ tenantId }, (q) => end(q, reasonOf(locale, err)));
      throw err;
    } finally {
      stopBeats();
    }
  }

  /**
   * Sets a chunk of the records the job updated back to their values before,
   * each in a savepoint: one changed since, or that today's rules refuse
   * (a required field, a status transition), is kept as it is. Returns how
   * many were settled; fewer than RESTORE_CHUNK means none is left.
   */
  private async restoreChunk(q: Queryable, actor: Actor, job: repo.ImportJobRow, restore: NonNullable<ImportDefinition<unknown>['restore']>): Promise<number> {
    const { tenant_id: tenantId, id } = job;
    const rows = await updatedToSettle(q, job.entity_type, tenantId, id, RESTORE_CHUNK);
    const restored: number[] = [];
    const kept: number[] = [];
    for (const r of rows) {
      const ok = r.unchanged && (await savepoint(q, () => restore(q, actor, r.record_id, r.changes)).then(
        () => true,
        (err: unknown) => {
          if (!(err instanceof AppError)) this.options.onError?.(err);
          return false;
        },
      ));
      (ok ? restored : kept).push(r.record_id);
    }
    await settleUpdated(q, tenantId, id, restored, 'restored');
    await settleUpdated(q, tenantId, id, kept, 'kept');
    if (!(await repo.addUndone(q, tenantId, id, { restored: restored.length }))) throw new Fenced();
    return rows.length;
  }

  /**
   * Reads the file past the rows already settled and settles the rest batch by
   * batch. While one batch is written (the database's work), the next is read
   * and parsed (this process's work), so the two overlap on separate cores.
   */
  private async readAll(actor: Actor, job: repo.ImportJobRow, prepared: PreparedImport<unknown>, reader: TableReader, state: { stop: boolean }) {
    const alreadyDone = job.rows_done;
    let done = alreadyDone;
    let seen = 0;
    // statistics refreshed as the table grows: after 2,000 new rows, then each time five times as many
    let nextAnalyze = 2000;
    let header = true;
    let batch: SourceRow[] = [];
    let writing: Promise<boolean> | null = null;
    let writingRows = 0;
    /** Waits for the batch being written; true when the job is to end here (cancelled or stopped). */
    const settled = async (): Promise<'cancelled' | 'stopped' | null> => {
      if (!writing) return null;
      const cancel = await writing;
      writing = null;
      done += writingRows;
      if (done - alreadyDone >= nextAnalyze) {
        await analyzeImported(this.db, job.entity_type);
        nextAnalyze *= 5;
      }
      return cancel ? 'cancelled' : state.stop ? 'stopped' : null;
    };
    const flush = async () => {
      const parsed = parseRows(prepared, job.locale, job.settings!, batch);
      const progress = reader.progress();
      const end = await settled();
      if (end) return end;
      writingRows = batch.length;
      writing = this.settle(actor, job, done, prepared, parsed, progress);
      // awaited by settled(); until then a failure must not count as unhandled
      writing.catch(() => {});
      batch = [];
      return null;
    };
    for await (const row of reader.rows()) {
      if (header) {
        header = false;
        continue;
      }
      if (seen++ < alreadyDone) continue;
      batch.push(row);
      if (batch.length >= this.options.batchSize) {
        const end = await flush();
        if (end) return end;
      }
    }
    if (batch.length) {
      const end = await flush();
      if (end) return end;
    }
    const end = await settled();
    return end === 'cancelled' ? end : ('completed' as const);
  }

  /** One batch in one transaction; returns whether the user asked to cancel. */
  private async settle(actor: Actor, job: repo.ImportJobRow, done: number, prepared: PreparedImport<unknown>, batch: ParsedRows<unknown>, progress: number): Promise<boolean> {
    return actor.tx(async (q) => {
      const { decided, failures } = await evaluateRows(q, prepared, job.locale, job.settings!, batch);
      const created = await this.write(q, job.locale, decided.create, failures, (items) => prepared.insert(q, items.map((i) => i.row), job.id));
      const updated = await this.write(q, job.locale, decided.update, failures, (items) => prepared.update(q, items));
      if (updated) await noteUpdated(q, job.entity_type, actor.tenantId, job.id, actor.userId, decided.update.map((i) => i.id));
      await repo.insertFailures(q, actor.tenantId, job.id, failures);
      const fence = await repo.addBatch(q, actor.tenantId, job.id, done, {
        done: batch.length, created, updated, skipped: decided.skipped, failed: failures.length, progress: Math.min(progress, 0.999),
      });
      if (!fence) throw new Fenced();
      return fence.cancel_requested;
    });
  }

  /**
   * Writes items as one set; when that fails, one by one, each in its own
   * savepoint, so a row the checks let through but the database refuses fails
   * alone with its reason. Returns how many were written.
   */
  private async write<T extends { source: SourceRow }>(
    q: Queryable,
    locale: Locale,
    items: T[],
    failures: Failure[],
    writeSet: (items: T[]) => Promise<unknown>,
  ): Promise<number> {
    if (!items.length) return 0;
    try {
      await savepoint(q, () => writeSet(items));
      return items.length;
    } catch (err) {
      // a refusal is the row's reason; anything else is a fault worth a log line
      if (!(err instanceof AppError)) this.options.onError?.(err);
      if (items.length === 1) {
        failures.push({ rowNumber: items[0]!.source.rowNumber, cells: items[0]!.source.cells, reason: reasonOf(locale, err) });
        return 0;
      }
    }
    let written = 0;
    for (const item of items) written += await this.write(q, locale, [item], failures, writeSet);
    return written;
  }
}
