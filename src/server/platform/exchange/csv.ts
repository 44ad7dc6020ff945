import type { Cell } from './cell.js';

/** Without the byte order mark, Excel (a Chinese Windows above all) reads UTF-8 as GBK and garbles the text. */
export const CSV_BOM = '\uFEFF';

// Excel and other spreadsheets evaluate a cell starting with these as a formula (CSV injection)
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field (RFC 4180): text that could run as a formula gets a leading `'`; numbers stay numbers. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, ended with CRLF as RFC 4180 says. */
export function csvRecord(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}
