/**
 * Reading an uploaded table (customers, contacts, leads to import) row by row
 * in constant memory, whether it came as .xlsx or as CSV/text in whatever
 * encoding Excel saved it. Cells come as text exactly as the sheet shows them
 * (numbers without exponents, dates as YYYY-MM-DD); checking them is the
 * import's business.
 */
import { openCsv } from './read-csv.js';
import { openXlsx } from './read-xlsx.js';
export { MAX_COLUMNS, TableFormatError, type TableFormatReason } from './zip-read.js';

export type TableFormat = 'xlsx' | 'csv';

export interface TableRow {
  /** 1-based: the sheet's row number (XLSX `r`), the CSV record number counting empty lines (as Excel shows it). */
  rowNumber: number;
  cells: string[];
}

export interface TableReader {
  format: TableFormat;
  /** CSV: 'utf-8', 'gb18030', 'utf-16le' or 'utf-16be' (detected); XLSX: null. */
  encoding: string | null;
  /** Rows in file order, cells as text (trailing empty cells left out); empty rows skipped. May be called once. */
  rows(): AsyncIterable<TableRow>;
  /** Share of the file consumed so far, 0..1 (CSV bytes / compressed bytes of the XLSX sheet); 1 once rows() ended. */
  progress(): number;
  close(): Promise<void>;
}

/** The format a file's name says it is in; null for anything else (.xls included). */
export function formatOf(fileName: string): TableFormat | null {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === 'xlsx') return 'xlsx';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  return null;
}

/**
 * Opens a table file; a file that is not what `format` says (or is damaged)
 * rejects with a TableFormatError. Close the reader when done, also after an error in rows().
 * `head`: only the first rows will be read (an XLSX's shared strings are then not counted first).
 */
export function openTable(path: string, format: TableFormat, options: { head?: boolean } = {}): Promise<TableReader> {
  return format === 'xlsx' ? openXlsx(path, options) : openCsv(path);
}
