/**
 * Exports of any list (CUS-16): columns chosen by key, rows coming in batches
 * (a list walked page by page), written as CSV or XLSX to a stream at the pace
 * the client reads it.
 */
import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ExportFormat } from '../../../common/schemas/exchange.js';
import type { Locale } from '../../../common/schemas/common.js';
import { attachmentDisposition } from '../http/content-disposition.js';
import { AppError } from '../http/errors.js';
import type { Cell } from './cell.js';
import { CSV_BOM, csvRecord } from './csv.js';
import { XlsxWriter } from './xlsx.js';
import type { ByteSink } from './zip.js';

export interface ExportColumn<Row> {
  key: string;
  header: Record<Locale, string>;
  value(row: Row): Cell;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** CSV text is gathered into pieces of about this many characters before writing. */
const CSV_PIECE = 64 * 1024;

/**
 * The columns asked for, in that order; all offered ones when none are. An
 * unknown key is a VALIDATION_FAILED naming it (`columns.<key>`).
 */
export function pickColumns<Row>(offered: readonly ExportColumn<Row>[], keys: readonly string[] | undefined): ExportColumn<Row>[] {
  if (!keys) return [...offered];
  const byKey = new Map(offered.map((c) => [c.key, c]));
  const unknown = keys.filter((k) => !byKey.has(k));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', {}, unknown.map((k) => ({ path: `columns.${k}`, message: 'unknownColumn' })));
  return [...new Set(keys)].map((k) => byKey.get(k)!);
}

/** Writes to `out` only as fast as it drains; rejects when it closes or fails first (the client went away). */
export function streamSink(out: Writable): ByteSink {
  return (chunk) => {
    if (out.destroyed) return Promise.reject(new Error('export stream closed'));
    if (out.write(chunk)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const settle = (err?: Error) => {
        out.off('drain', onDrain).off('close', onClose).off('error', settle);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error('export stream closed'));
      out.on('drain', onDrain).on('close', onClose).on('error', settle);
    });
  };
}

export interface ExportSpec<Row> {
  format: ExportFormat;
  locale: Locale;
  /** The XLSX sheet's name. */
  title: string;
  columns: readonly ExportColumn<Row>[];
  batches: AsyncIterable<readonly Row[]>;
}

/** Writes the header row and every batch's rows to `sink`; resolves with the number of rows. */
export async function writeExport<Row>(sink: ByteSink, spec: ExportSpec<Row>): Promise<number> {
  const headers = spec.columns.map((c) => c.header[spec.locale]);
  const cells = (row: Row) => spec.columns.map((c) => c.value(row));
  let rows = 0;
  if (spec.format === 'xlsx') {
    const xlsx = await XlsxWriter.start(sink, spec.title);
    await xlsx.header(headers);
    for await (const batch of spec.batches) {
      for (const row of batch) await xlsx.row(cells(row));
      rows += batch.length;
    }
    await xlsx.finish();
    return rows;
  }
  let piece = CSV_BOM + csvRecord(headers);
  for await (const batch of spec.batches) {
    for (const row of batch) {
      piece += csvRecord(cells(row));
      if (piece.length >= CSV_PIECE) {
        await sink(Buffer.from(piece, 'utf8'));
        piece = '';
      }
    }
    rows += batch.length;
  }
  await sink(Buffer.from(piece, 'utf8'));
  return rows;
}

/** An export checked and ready to stream. */
export interface PreparedExport {
  file: { name: string; format: ExportFormat };
  /** Writes the file to `sink` (then the operation log entry); resolves with the number of rows. */
  write(sink: ByteSink): Promise<number>;
}

/**
 * Answers with a download of the prepared export. Everything that can be
 * refused (permission, input) must be checked before: once the body streams,
 * the status is sent, and a failure can only cut the response short.
 */
export function sendExport(reply: FastifyReply, { file, write }: PreparedExport) {
  const body = new PassThrough();
  write(streamSink(body)).then(
    () => body.end(),
    (err: Error) => body.destroy(err),
  );
  return reply
    .header('content-type', CONTENT_TYPES[file.format])
    .header('content-disposition', attachmentDisposition(file.name))
    .header('cache-control', 'private, no-store')
    .send(body);
}
