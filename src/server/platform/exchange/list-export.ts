/**
 * A list as a file (CUS-16), whatever the entity: the list's own query and
 * scope, walked page by page with its keyset cursor, so an export holds
 * exactly what the list shows and never more than one page in memory; every
 * export is written to the operation log.
 */
import type { FastifyReply } from 'fastify';
import type { Locale } from '../../../common/schemas/common.js';
import type { ExportFormat } from '../../../common/schemas/exchange.js';
import type { Queryable } from '../../db/database.js';
import { hiddenFields } from '../access/field-access.js';
import type { Actor } from '../auth/actor.js';
import { recordChange } from '../audit/audit.service.js';
import type { Cell } from './cell.js';
import { type ExportColumn, type PreparedExport, pickColumns, sendExport, writeExport } from './export.js';

/** Rows read per transaction: each page in its own short one, so a slow download holds no connection. */
export const EXPORT_PAGE_SIZE = 1000;
/**
 * Times as the company reads them (the server does not know each user's zone
 * yet): Asia/Shanghai, which has kept UTC+8 without daylight saving since 1991,
 * so a fixed offset formatted by hand; Intl's formatter costs ~2 µs a call,
 * a tenth of a million-row export.
 */
const COMPANY_OFFSET_MS = 8 * 3600_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));
/** '2026-12-07 09:30' in the company's zone. */
export function localTime(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(Date.parse(iso) + COMPANY_OFFSET_MS);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

const YES_NO: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], en: ['Yes', 'No'] };
export const yesNo = (locale: Locale, value: boolean) => YES_NO[locale][value ? 0 : 1];
/** Tags and the like in one cell, as each language lists them. */
export const listCell = (locale: Locale, items: readonly string[]) => items.join(locale === 'zh-CN' ? '、' : ', ');

export const exportColumn = <Row>(key: string, zh: string, en: string, value: (row: Row) => Cell): ExportColumn<Row> => ({ key, header: { 'zh-CN': zh, en }, value });

/** What an export asks of any list besides its filters. */
interface ExportChoice {
  format: ExportFormat;
  columns?: string[] | undefined;
}

/** A list's filters as an export passes them on to its page reads. */
type ExportFilters<Query extends ExportChoice> = Omit<Query, 'format' | 'columns'>;

/** What one entity's export is: its name, its columns, and how its list reads a page. */
export interface ListExport<Row, Query extends ExportChoice> {
  /** The operation log's entity. */
  entity: string;
  /** The file's name before its date, and the XLSX sheet's name. */
  title: Record<Locale, string>;
  /** The columns the actor may pick from. */
  offered(actor: Actor, locale: Locale): Promise<ExportColumn<Row>[]>;
  /** One page of the list, as the list reads it (scope resolved afresh, filters), within `q`. */
  readPage(q: Queryable, actor: Actor, page: ExportFilters<Query> & { limit: number; cursor: string | undefined }): Promise<{ items: Row[]; nextCursor: string | null }>;
}

/** The list's pages, each read in its own transaction; the next one is read while the current one is written. */
async function* listBatches<Row, Query extends ExportChoice>(actor: Actor, list: ListExport<Row, Query>, filters: ExportFilters<Query>): AsyncGenerator<Row[]> {
  const read = (cursor: string | undefined) => actor.tx((q) => list.readPage(q, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }));
  let next: ReturnType<typeof read> | null = read(undefined);
  try {
    while (next) {
      const page: Awaited<ReturnType<typeof read>> = await next;
      next = page.nextCursor ? read(page.nextCursor) : null;
      yield page.items;
    }
  } finally {
    // a download broken off leaves a read under way: its outcome no longer matters
    next?.catch(() => {});
  }
}

/**
 * Checks the request (columns) and returns the export to stream; everything
 * that can be refused is refused here, before the response starts.
 */
export async function prepareListExport<Row, Query extends ExportChoice>(actor: Actor, list: ListExport<Row, Query>, query: Query, locale: Locale): Promise<PreparedExport> {
  const { format, columns: keys, ...filters } = query;
  // a column of a field the actor's roles hide (ORG-6) is not offered, and left out when asked for (a list's saved columns may name it)
  const hidden = hiddenFields(actor, list.entity);
  const columns = pickColumns(
    (await list.offered(actor, locale)).filter((c) => !hidden.has(c.key)),
    keys?.filter((k) => !hidden.has(k)),
  );
  const title = list.title[locale];
  const name = `${title}_${localTime(new Date().toISOString())!.slice(0, 10).replace(/-/g, '')}.${format}`;
  return {
    file: { name, format },
    async write(sink) {
      let rows = 0;
      async function* counted() {
        for await (const batch of listBatches(actor, list, filters)) {
          rows += batch.length;
          yield batch;
        }
      }
      let failure: unknown;
      await writeExport(sink, { format, locale, title, columns, batches: counted() }).catch((err: unknown) => {
        failure = err;
      });
      // logged even when the download broke off: the rows read may have left already
      await actor.tx((q) =>
        recordChange(q, actor, {
          entity: list.entity,
          recordId: null,
          recordName: name,
          action: 'export',
          changes: [
            { field: 'rows', before: null, after: rows },
            { field: 'format', before: null, after: format },
            { field: 'columns', before: null, after: columns.map((c) => c.key) },
            { field: 'filters', before: null, after: filters },
            ...(failure ? [{ field: 'completed', before: null, after: false }] : []),
          ],
        }),
      );
      if (failure) throw failure;
      return rows;
    },
  };
}

/** The route handler of a list's export: the download, once the request has been checked. */
export function exportHandler<Row, Query extends ExportChoice>(list: ListExport<Row, Query>) {
  return async ({ actor, query, locale, reply }: { actor: Actor; query: Query; locale: Locale; reply: FastifyReply }) =>
    sendExport(reply, await prepareListExport(actor, list, query, locale));
}
