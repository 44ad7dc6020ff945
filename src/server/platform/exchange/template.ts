/**
 * An import template: one header row naming the fields (required ones marked
 * with *, which the mapping ignores), and in XLSX a drop-down list under each
 * choice field, so a file filled in Excel holds only values the import accepts.
 */
import type { ExportFormat } from '../../../common/schemas/exchange.js';
import type { ImportFieldDto } from '../../../common/schemas/imports.js';
import { CSV_BOM, csvRecord } from './csv.js';
import { XlsxWriter } from './xlsx.js';
import type { ByteSink } from './zip.js';

export const templateHeader = (f: ImportFieldDto) => (f.required ? `${f.label}*` : f.label);

export async function writeTemplate(sink: ByteSink, { format, title, fields }: { format: ExportFormat; title: string; fields: ImportFieldDto[] }): Promise<void> {
  const headers = fields.map(templateHeader);
  if (format === 'csv') return sink(Buffer.from(CSV_BOM + csvRecord(headers), 'utf8'));
  const lists = fields.flatMap((f, column) => (f.options?.length ? [{ column, values: f.options }] : []));
  const xlsx = await XlsxWriter.start(sink, title, { lists });
  await xlsx.header(headers);
  await xlsx.finish();
}
