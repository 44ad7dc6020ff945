/**
 * A CSV (or tab-separated text) file as rows, streamed: the encoding is told
 * from the byte order mark or the first 64 KB, the delimiter from the first
 * line, and records (RFC 4180, quotes may hold delimiters, quotes and line
 * breaks) are parsed as the decoded text comes, whatever way the chunks cut it.
 */
import { open } from 'node:fs/promises';
import type { TableReader, TableRow } from './read.js';
import { MAX_COLUMNS, MAX_ROW_CHARS, readRange, TableFormatError } from './zip-read.js';

const PREFIX = 64 * 1024;
const QUOTE = 34;
const CR = 13;
const LF = 10;

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** The encoding and the length of its byte order mark. */
export function detectEncoding(prefix: Buffer, wholeFile: boolean): { encoding: CsvEncoding; bom: number } {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  try {
    // streaming mode holds back a character cut at the prefix's end instead of calling it invalid
    new TextDecoder('utf-8', { fatal: true }).decode(prefix, { stream: !wholeFile });
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'gb18030', bom: 0 }; // covers GBK and GB2312, what Chinese Windows Excel saves "CSV" as
  }
}

/** Comma, tab or semicolon: whichever the first record holds most of outside quotes (comma on a tie or none). */
export function detectDelimiter(text: string): string {
  const counts = new Map<number, number>([[44, 0], [9, 0], [59, 0]]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && (c === LF || c === CR)) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = 44;
  for (const [c, n] of counts) if (n > counts.get(best)!) best = c;
  return String.fromCharCode(best);
}

/** Keeps a long value from pinning the whole decoded chunk it was sliced from (V8 makes slices of 13+ characters views). */
const ownString = (s: string) => (s.length > 12 ? (' ' + s).slice(1) : s);

/** ="0123" is how spreadsheets are told to keep a value as text; the value is what is inside. */
function unwrap(field: string): string {
  if (field.length >= 3 && field.charCodeAt(0) === 61 && field.charCodeAt(1) === QUOTE && field.charCodeAt(field.length - 1) === QUOTE) {
    const inner = field.slice(2, -1);
    if (!inner.includes('"')) return inner;
  }
  return field;
}

/** RFC 4180 records from text fed piece by piece; a record cut by a piece's end waits for the next. */
export class CsvParser {
  private rest = '';
  private record = 0;
  private fields: string[] = [];
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly out: TableRow[],
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(text: string, eof = false): void {
    const buf = this.rest ? this.rest + text : text;
    let pos = 0;
    while (pos < buf.length) {
      const next = this.parseRecord(buf, pos, eof);
      if (next < 0) break;
      pos = next;
      this.emit();
    }
    this.rest = pos < buf.length ? buf.slice(pos) : '';
    if (this.rest.length > MAX_ROW_CHARS) {
      throw new TableFormatError('row_too_large', `row ${this.record + 1} is too large (an unclosed quote?)`);
    }
  }

  end(): void {
    this.push('', true);
  }

  /** Parses one record starting at `pos` into `fields`; its end, or -1 when the text ends first (and more may come). */
  private parseRecord(buf: string, pos: number, eof: boolean): number {
    const n = buf.length;
    const d = this.delimiter;
    const fields = this.fields;
    fields.length = 0;
    for (;;) {
      let value: string;
      if (buf.charCodeAt(pos) === QUOTE) {
        value = '';
        let p = pos + 1;
        for (;;) {
          const q = buf.indexOf('"', p);
          if (q < 0) {
            if (!eof) return -1;
            value += buf.slice(p); // unclosed at the end: the rest is the value
            pos = n;
            break;
          }
          if (q + 1 === n && !eof) return -1; // a quote at the end may be the first of a doubled pair
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(p, q + 1);
            p = q + 2;
            continue;
          }
          value += buf.slice(p, q);
          pos = q + 1;
          break;
        }
        // text between the closing quote and the delimiter is kept, as spreadsheets do
        let p2 = pos;
        for (let c = buf.charCodeAt(p2); p2 < n && c !== d && c !== LF && c !== CR; c = buf.charCodeAt(++p2));
        if (p2 > pos) value += buf.slice(pos, p2);
        pos = p2;
      } else {
        let p = pos;
        for (let c = buf.charCodeAt(p); p < n && c !== d && c !== LF && c !== CR; c = buf.charCodeAt(++p));
        value = buf.slice(pos, p);
        pos = p;
      }
      fields.push(value);
      if (pos >= n) return eof ? n : -1;
      const c = buf.charCodeAt(pos);
      if (c === d) {
        pos++;
        if (pos >= n && eof) {
          fields.push('');
          return n;
        }
        continue;
      }
      if (c === CR) {
        if (pos + 1 >= n && !eof) return -1; // an LF may follow in the next piece
        return buf.charCodeAt(pos + 1) === LF ? pos + 2 : pos + 1;
      }
      return pos + 1; // LF
    }
  }

  private emit(): void {
    const rowNumber = ++this.record;
    const fields = this.fields;
    let last = fields.length - 1;
    while (last >= 0 && fields[last] === '') last--;
    if (last < 0) return; // an empty line
    if (last >= MAX_COLUMNS) throw new TableFormatError('too_many_columns', `more than ${MAX_COLUMNS} columns (row ${rowNumber})`);
    const cells = new Array<string>(last + 1);
    for (let i = 0; i <= last; i++) {
      const f = fields[i]!;
      cells[i] = f.charCodeAt(0) === 61 ? unwrap(f) : ownString(f);
    }
    this.out.push({ rowNumber, cells });
  }
}

export interface CsvOptions {
  /** Bytes per read (tests use tiny ones to cut characters and quoted fields anywhere). */
  readChunk?: number;
}

const ZIP_MAGIC = 0x04034b50;
const OLE2_MAGIC = 0xe011cfd0;

export async function openCsv(path: string, options: CsvOptions = {}): Promise<TableReader> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const prefix = Buffer.alloc(Math.min(size, PREFIX));
    if (prefix.length) await fh.read(prefix, 0, prefix.length, 0);
    if (prefix.length >= 4 && (prefix.readUInt32LE(0) === ZIP_MAGIC || prefix.readUInt32LE(0) === OLE2_MAGIC)) {
      throw new TableFormatError('not_csv', 'an Excel workbook, not a CSV file');
    }
    const { encoding, bom } = detectEncoding(prefix, size <= PREFIX);
    const delimiter = detectDelimiter(new TextDecoder(encoding, { ignoreBOM: true }).decode(prefix.subarray(bom)));
    let read = bom;
    let started = false;
    let finished = false;
    let closed: Promise<void> | null = null;
    return {
      format: 'csv',
      encoding,
      progress: () => (finished || size === 0 ? 1 : Math.min(1, read / size)),
      close() {
        closed ??= fh.close();
        return closed;
      },
      async *rows() {
        if (started) throw new Error('rows() may be called once');
        started = true;
        const out: TableRow[] = [];
        const parser = new CsvParser(delimiter, out);
        const decoder = new TextDecoder(encoding, { ignoreBOM: true });
        for await (const chunk of readRange(fh, bom, size, options.readChunk ?? PREFIX, (n) => (read += n))) {
          parser.push(decoder.decode(chunk, { stream: true }));
          for (let i = 0; i < out.length; i++) yield out[i]!;
          out.length = 0;
        }
        parser.push(decoder.decode());
        parser.end();
        yield* out;
        finished = true;
      },
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
