/**
 * The first worksheet of an .xlsx file as rows of text, streamed: the sheet
 * part is inflated from its byte range and its bytes scanned tag by tag for
 * complete `<row>` elements (no DOM), so memory stays constant except for the
 * shared strings, which are kept compactly as UTF-8 bytes. Cells come out as
 * Excel shows them: numbers without exponents or float noise, dates as
 * YYYY-MM-DD (from the cell's number format), booleans as TRUE/FALSE.
 */
import { open } from 'node:fs/promises';
import type { TableReader, TableRow } from './read.js';
import { MAX_COLUMNS, MAX_ROW_CHARS, TableFormatError, type ZipEntry, ZipReader } from './zip-read.js';

// ---------------------------------------------------------------- XML text

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ESCAPE = /_x([0-9a-fA-F]{4})_/g;

function entity(whole: string, name: string): string {
  if (name.charCodeAt(0) !== 35) return NAMED[name]!;
  const code = name.charCodeAt(1) === 120 ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
}

/** XML character data as the text it stands for; also OOXML's `_xHHHH_` escapes (Excel writes CR as `_x000D_`). */
export function xmlValue(raw: string): string {
  let s = raw;
  // an XML parser turns raw CRLF and CR into LF; a CR written as &#13; survives
  if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
  if (s.includes('&')) s = s.replace(ENTITY, entity);
  if (s.includes('_x')) s = s.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return s;
}

/** An attribute of a start tag's text (`key` is ` name=`); generators write double quotes and spaces, other forms take the slow path. */
function attr(tag: string, key: string): string | undefined {
  let i = tag.indexOf(key);
  if (i < 0) {
    if (!/[\t\n\r]/.test(tag)) return undefined;
    tag = tag.replace(/[\t\n\r]/g, ' ');
    i = tag.indexOf(key);
    if (i < 0) return undefined;
  }
  const start = i + key.length + 1;
  const end = tag.indexOf(tag[start - 1] === "'" ? "'" : '"', start);
  return end < 0 ? undefined : tag.slice(start, end);
}

/** Attributes of small parts (workbook, rels, styles), any quoting. */
function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out.set(m[1]!, xmlValue(m[2] ?? m[3] ?? ''));
  return out;
}

/** The namespace prefix (with its colon) the part's root element uses: `x:` in `<x:worksheet>`, '' mostly. */
function rootPrefix(text: string, root: string): string | undefined {
  const m = new RegExp(`<([\\w.-]+:)?${root}[\\s>/]`).exec(text);
  return m ? (m[1] ?? '') : undefined;
}

/**
 * XML bytes fed piece by piece, seen as latin1 text: one character per byte,
 * so text positions are byte positions, searching is done on compact one-byte
 * strings, and no UTF-8 decoding happens except of the values themselves
 * (`utf8(from, to)`), which also come out as fresh strings that pin no chunk.
 * Markup is ASCII, so it reads the same either way.
 */
abstract class ByteXmlScanner {
  private restBytes: Buffer | null = null;
  private started = false;
  protected bytes: Buffer = Buffer.alloc(0);

  constructor(private readonly root: string) {}

  /** Parses the complete elements of `text`; returns where the unparsed rest starts. */
  protected abstract parse(text: string): number;
  protected abstract usePrefix(prefix: string): void;

  protected utf8(from: number, to: number): string {
    return (this.bytes as Sliceable).utf8Slice(from, to);
  }

  push(chunk: Buffer): void {
    const bytes = this.restBytes ? Buffer.concat([this.restBytes, chunk]) : chunk;
    const text = (bytes as Sliceable).latin1Slice(0, bytes.length);
    if (!this.started) {
      // the root element tells the namespace prefix (x:row in <x:worksheet>)
      const prefix = rootPrefix(text, this.root);
      if (prefix === undefined && bytes.length < 1024 * 1024) {
        this.restBytes = bytes;
        return;
      }
      this.started = true;
      this.usePrefix(prefix ?? '');
    }
    this.bytes = bytes;
    const pos = this.parse(text);
    this.restBytes = pos < bytes.length ? bytes.subarray(pos) : null;
    if (pos < bytes.length && bytes.length - pos > MAX_ROW_CHARS) throw new TableFormatError('row_too_large', 'a row of the sheet is too large');
  }
}

type Sliceable = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

/** Whether bytes[from, to) need XML decoding (an entity, a CR, an _xHHHH_ escape). */
function needsDecoding(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === 38 || b === 13 || (b === 95 && bytes[i + 1] === 120)) return true;
  }
  return false;
}

/** Where the shared-string scanner puts each `<si>` in turn. */
interface StringSink {
  add(s: string): void;
  /** A string given as UTF-8 bytes. */
  addBytes(source: Buffer, from: number, to: number): void;
}

/** Where a sheet's shared-string cells (t="s") get their text from, by index. */
interface StringSource {
  get(i: number): string;
}

/** The shared strings (`<si>` elements) into a sink; plain ones are given as bytes, never decoded. */
class SharedStringsScanner extends ByteXmlScanner {
  private p = '';
  private siOpen = '<si';
  private siClose = '</si>';
  private plainOpen = '<t>';
  private preserveOpen = '<t xml:space="preserve">';
  private plainClose = '</t></si>';

  constructor(private readonly table: StringSink) {
    super('sst');
  }

  protected usePrefix(p: string): void {
    this.p = p;
    this.siOpen = `<${p}si`;
    this.siClose = `</${p}si>`;
    this.plainOpen = `<${p}t>`;
    this.preserveOpen = `<${p}t xml:space="preserve">`;
    this.plainClose = `</${p}t></${p}si>`;
  }

  protected parse(text: string): number {
    const { siOpen, siClose, table, bytes } = this;
    let pos = 0;
    for (;;) {
      const i = text.indexOf(siOpen, pos);
      if (i < 0) return Math.max(pos, text.length - siOpen.length);
      const at = i + siOpen.length;
      const next = text.charCodeAt(at);
      if (next !== next) return i;
      if (next === 47) {
        table.add(''); // <si/>
        pos = at + 2;
        continue;
      }
      if (next !== 62 && !isSpace(next)) {
        pos = at; // <sst>
        continue;
      }
      const end = text.indexOf(siClose, at);
      if (end < 0) return i;
      pos = end + siClose.length;
      // the common shapes: <si><t>…</t></si>, <si><t xml:space="preserve">…</t></si>
      const open = text.startsWith(this.plainOpen, at + 1) ? this.plainOpen : text.startsWith(this.preserveOpen, at + 1) ? this.preserveOpen : null;
      if (next === 62 && open) {
        const from = at + 1 + open.length;
        const to = pos - this.plainClose.length;
        if (to >= from && text.startsWith(this.plainClose, to) && text.indexOf('<', from) === to) {
          if (needsDecoding(bytes, from, to)) table.add(xmlValue(this.utf8(from, to)));
          else table.addBytes(bytes, from, to);
          continue;
        }
      }
      table.add(runText(this.utf8(text.indexOf('>', at) + 1, end), this.p));
    }
  }
}

/** The text of an `<si>` or `<is>`: its `<t>` runs joined, phonetic runs (`<rPh>`) left out. */
function runText(body: string, p: string): string {
  const tOpen = `<${p}t`;
  const tClose = `</${p}t>`;
  let i = body.indexOf(tOpen);
  // the common case, one plain <t>
  if (i >= 0 && body.indexOf(tOpen, i + 1) < 0) {
    const gt = body.indexOf('>', i);
    if (body.charCodeAt(gt - 1) === 47) return '';
    const end = body.indexOf(tClose, gt);
    return end < 0 ? '' : xmlValue(body.slice(gt + 1, end));
  }
  const phOpen = `<${p}rPh`;
  const phClose = `</${p}rPh>`;
  let out = '';
  let pos = 0;
  let ph = body.indexOf(phOpen);
  while (i >= 0) {
    if (ph >= 0 && ph < i) {
      const phEnd = body.indexOf(phClose, ph);
      if (phEnd < 0) break;
      pos = phEnd + phClose.length;
      ph = body.indexOf(phOpen, pos);
      i = body.indexOf(tOpen, pos);
      continue;
    }
    const next = body.charCodeAt(i + tOpen.length);
    const gt = body.indexOf('>', i);
    if (gt < 0) break;
    if (next === 62 || next === 32) {
      if (body.charCodeAt(gt - 1) !== 47) {
        const end = body.indexOf(tClose, gt);
        if (end < 0) break;
        out += body.slice(gt + 1, end);
        pos = end + tClose.length;
      } else pos = gt + 1;
    } else pos = i + 1;
    i = body.indexOf(tOpen, pos);
  }
  return xmlValue(out);
}

// ---------------------------------------------------------------- shared strings

const CACHE_SIZE = 4096;

/** Strings never straddle two blocks; a position is block * BLOCK + offset. */
const BLOCK = 4 * 1024 * 1024;

/**
 * The shared-string table as UTF-8 bytes in 4 MB blocks plus one offset per
 * string: 2M strings of ten Chinese characters take ~70 MB here, several
 * times that as JS strings.
 */
export class SharedStrings implements StringSink, StringSource {
  private readonly blocks: Buffer[] = [];
  private readonly used: number[] = [];
  private starts = new Uint32Array(1024);
  private block: Buffer | null = null;
  private at = 0;
  count = 0;

  /** `bound`: at most this many bytes will be added (the part's size), so small tables take small blocks. */
  constructor(private bound = Infinity) {}

  reserve(n: number): void {
    if (n + 1 > this.starts.length) this.grow(Math.min(n + 1, 1 << 26));
  }

  private grow(size: number): void {
    const starts = new Uint32Array(size);
    starts.set(this.starts.subarray(0, this.count + 1));
    this.starts = starts;
  }

  add(s: string): void {
    if (this.count + 2 > this.starts.length) this.grow(this.starts.length * 2);
    let need = s.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (!this.block || this.at + need > this.block.length) {
      need = Buffer.byteLength(s, 'utf8');
      if (need > BLOCK) throw new TableFormatError('row_too_large', 'a shared string is too large');
      if (!this.block || this.at + need > this.block.length) this.newBlock(need);
    }
    const base = (this.blocks.length - 1) * BLOCK;
    this.starts[this.count] = base + this.at;
    this.at += this.block!.write(s, this.at, 'utf8');
    this.used[this.blocks.length - 1] = this.at;
    this.starts[++this.count] = base + this.at;
  }

  /** A string given as UTF-8 bytes, copied as they are. */
  addBytes(source: Buffer, from: number, to: number): void {
    if (this.count + 2 > this.starts.length) this.grow(this.starts.length * 2);
    const need = to - from;
    if (need > BLOCK) throw new TableFormatError('row_too_large', 'a shared string is too large');
    if (!this.block || this.at + need > this.block.length) this.newBlock(need);
    const base = (this.blocks.length - 1) * BLOCK;
    this.starts[this.count] = base + this.at;
    const block = this.block!;
    if (need <= 64) {
      // Buffer#copy's call costs more than the copy of a short string
      for (let i = from, j = this.at; i < to; i++, j++) block[j] = source[i]!;
      this.at += need;
    } else this.at += source.copy(block, this.at, from, to);
    this.used[this.blocks.length - 1] = this.at;
    this.starts[++this.count] = base + this.at;
  }

  private newBlock(need: number): void {
    if (this.blocks.length >= 1023) throw new TableFormatError('row_too_large', 'the shared strings are too large');
    const size = Math.max(need, Math.min(BLOCK, this.bound));
    this.bound = Math.max(0, this.bound - size);
    this.block = Buffer.allocUnsafe(size);
    this.blocks.push(this.block);
    this.used.push(0);
    this.at = 0;
  }

  /** Recently decoded strings by index, direct-mapped: repeated values (cities, stages, owners) skip decoding. */
  private readonly cacheKeys = new Int32Array(CACHE_SIZE).fill(-1);
  private readonly cacheValues: string[] = new Array<string>(CACHE_SIZE).fill('');

  get(i: number): string {
    if (!(i >= 0 && i < this.count)) return '';
    const slot = i & (CACHE_SIZE - 1);
    if (this.cacheKeys[slot] === i) return this.cacheValues[slot]!;
    const value = this.decode(i);
    this.cacheKeys[slot] = i;
    this.cacheValues[slot] = value;
    return value;
  }

  private decode(i: number): string {
    const start = this.starts[i]!;
    const b = Math.floor(start / BLOCK);
    const base = b * BLOCK;
    // past the block's used bytes when the next string opened a new block
    const end = Math.min(this.starts[i + 1]!, base + this.used[b]!);
    // utf8Slice skips toString's argument handling, a third of the time per string
    return (this.blocks[b] as Sliceable).utf8Slice(start - base, end - base);
  }

  /** Bytes held, for tests and diagnostics. */
  bytes(): number {
    return this.blocks.reduce((n, b) => n + b.length, 0) + this.starts.byteLength;
  }
}

// ---------------------------------------------------------------- numbers and dates

const DATE = 1;
const TIME = 2;
const SECONDS = 4;

/** Built-in number formats that show dates or times (ids 27–36 and 50–58 are the zh-CN/ja/ko date formats). */
const BUILT_IN: Record<number, number> = {
  14: DATE, 15: DATE, 16: DATE, 17: DATE, 18: TIME, 19: TIME | SECONDS, 20: TIME, 21: TIME | SECONDS, 22: DATE | TIME,
  45: TIME | SECONDS, 46: TIME | SECONDS, 47: TIME | SECONDS,
  27: DATE, 28: DATE, 29: DATE, 30: DATE, 31: DATE, 32: TIME, 33: TIME | SECONDS, 34: TIME, 35: TIME | SECONDS, 36: DATE,
  50: DATE, 51: DATE, 52: DATE, 53: DATE, 54: DATE, 55: TIME, 56: TIME | SECONDS, 57: DATE, 58: DATE,
};

/** What a custom format code shows: DATE/TIME/SECONDS flags, 0 for a number format. */
export function formatKind(code: string): number {
  const section = code.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)[0]!;
  // quoted text, escaped and padding characters and [colour]/[$-804] brackets say nothing; [h] [mm] [ss] are elapsed time
  const elapsed = /\[(h+|m+|s+)\]/i.exec(section);
  const bare = section
    .replace(/"[^"]*"/g, '')
    .replace(/\\.|[_*]./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/am\/pm|a\/p/gi, '')
    .toLowerCase();
  let kind = 0;
  const h = bare.includes('h') || (elapsed !== null && /h/i.test(elapsed[1]!));
  const s = bare.includes('s') || (elapsed !== null && /s/i.test(elapsed[1]!));
  if (bare.includes('y') || bare.includes('d') || (bare.includes('m') && !h && !s)) kind |= DATE;
  if (h || s || (elapsed !== null && !(kind & DATE))) kind |= TIME;
  if (s) kind |= SECONDS;
  return kind;
}

/** A number's digits without an exponent, rounded to the 15 significant digits Excel keeps. */
function plainDigits(n: number): string {
  const text = n.toPrecision(15);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const negative = mantissa.startsWith('-');
  const [int, frac = ''] = (negative ? mantissa.slice(1) : mantissa).split('.');
  const digits = int! + frac;
  const point = int!.length + exponent;
  let out =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  if (out.includes('.')) out = out.replace(/0+$/, '').replace(/\.$/, '');
  out = out.replace(/^0+(?=\d)/, '');
  return negative && out !== '0' ? `-${out}` : out;
}

/** A numeric cell as written, except exponents (1.38E+10) spelled out and float noise rounded to 15 digits. */
export function numberText(v: string): string {
  let digits = 0;
  let leading = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (c !== 48 || !leading) {
        leading = false;
        digits++;
      }
    } else if (c === 46 || (c === 45 && i === 0)) {
      // '.', or the sign
    } else {
      digits = 99; // an exponent or something odd: go through Number
      break;
    }
  }
  if (digits <= 15 || (digits < 99 && !v.includes('.'))) return v; // an integer stays as written, however long
  const n = Number(v);
  return Number.isFinite(n) ? plainDigits(n) : v;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** A date serial as 'YYYY-MM-DD', 'YYYY-MM-DD HH:mm[:ss]' or 'HH:mm[:ss]' (the format decides which parts show). */
export function serialText(serial: number, kind: number, date1904: boolean): string | null {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2958466) return null; // Excel shows ##### outside 1900..9999
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86400);
  if (seconds === 86400) {
    days++;
    seconds = 0;
  }
  let date = '';
  if (kind & DATE) {
    if (!date1904 && days === 60) date = '1900-02-29'; // Lotus's leap-year bug that Excel keeps
    else {
      const epoch = date1904 ? Date.UTC(1904, 0, 1) : days < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
      const d = new Date(epoch + days * 86_400_000);
      date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    }
  }
  if (!(kind & TIME)) return date;
  let time = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}`;
  if (kind & SECONDS) time += `:${pad2(seconds % 60)}`;
  return date ? `${date} ${time}` : time;
}

/** A t="d" cell's ISO 8601 text in the same shapes. */
function isoText(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v);
  if (!m) return v;
  if (!m[2] || (m[2] === '00' && m[3] === '00' && (m[4] ?? '00') === '00')) return m[1]!;
  return `${m[1]} ${m[2]}:${m[3]}${m[4] && m[4] !== '00' ? `:${m[4]}` : ''}`;
}

// ---------------------------------------------------------------- styles, workbook

/** Date/time flags of each cell style (cellXfs index). */
export function styleKinds(xml: string): Uint8Array {
  const formats = new Map<number, number>();
  // a format code may hold a raw '>' ([>=100]0) inside its quoted attribute
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?numFmt\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const a = attrs(m[1]!);
    formats.set(Number(a.get('numFmtId')), formatKind(a.get('formatCode') ?? ''));
  }
  const xfs = /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  const kinds: number[] = [];
  for (const m of xfs.matchAll(/<(?:[\w.-]+:)?xf\b([^>]*)>/g)) {
    const id = Number(attrs(m[1]!).get('numFmtId') ?? 0);
    kinds.push(formats.get(id) ?? BUILT_IN[id] ?? 0);
  }
  return Uint8Array.from(kinds);
}

interface Relationship {
  type: string;
  target: string;
}

function relationships(xml: string, base: string): Map<string, Relationship> {
  const out = new Map<string, Relationship>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const a = attrs(m[1]!);
    if (a.get('TargetMode') === 'External') continue;
    out.set(a.get('Id') ?? '', { type: a.get('Type') ?? '', target: resolvePart(base, a.get('Target') ?? '') });
  }
  return out;
}

/** A relationship target as a part name: absolute ('/xl/…') or relative to the source part's folder. */
function resolvePart(base: string, target: string): string {
  const parts = target.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const piece of target.replace(/^\//, '').split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

const relsOf = (part: string) => {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
};

interface Workbook {
  sheet: ZipEntry;
  sharedStrings: ZipEntry | undefined;
  styles: ZipEntry | undefined;
  date1904: boolean;
}

/** The first visible worksheet (else the first worksheet) and the parts it needs, found through the relationships. */
async function locate(zip: ZipReader): Promise<Workbook> {
  const text = async (e: ZipEntry | undefined) => (e ? (await zip.read(e)).toString('utf8') : undefined);
  const rootRels = await text(zip.entry('_rels/.rels'));
  const officeDocument = rootRels ? [...relationships(rootRels, '').values()].find((r) => r.type.endsWith('/officeDocument')) : undefined;
  const workbookName = officeDocument?.target ?? 'xl/workbook.xml';
  const workbookXml = await text(zip.entry(workbookName));
  const rels = relationships((await text(zip.entry(relsOf(workbookName)))) ?? '', workbookName);
  const byType = (suffix: string, fallback: string) =>
    zip.entry([...rels.values()].find((r) => r.type.endsWith(suffix))?.target ?? fallback);
  let sheet: ZipEntry | undefined;
  let date1904 = false;
  if (workbookXml) {
    date1904 = /<(?:[\w.-]+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](1|true)["']/.test(workbookXml);
    const sheets = [...workbookXml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)].map((m) => {
      const a = attrs(m[1]!);
      const id = [...a].find(([k]) => k.endsWith(':id'))?.[1] ?? a.get('id');
      const rel = id === undefined ? undefined : rels.get(id);
      return { hidden: (a.get('state') ?? 'visible') !== 'visible', rel };
    });
    const worksheets = sheets.filter((s) => s.rel?.type.endsWith('/worksheet') && zip.entry(s.rel.target));
    const chosen = worksheets.find((s) => !s.hidden) ?? worksheets[0];
    if (chosen) sheet = zip.entry(chosen.rel!.target);
  }
  sheet ??= zip.entry('xl/worksheets/sheet1.xml') ?? zip.entries.find((e) => /^xl\/worksheets\/[^/]+\.xml$/i.test(e.name));
  if (!sheet) {
    throw workbookXml
      ? new TableFormatError('no_sheet', 'the workbook has no worksheet')
      : new TableFormatError('not_xlsx', 'a ZIP archive but not an Excel workbook');
  }
  return {
    sheet,
    sharedStrings: byType('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: byType('/styles', 'xl/styles.xml'),
    date1904,
  };
}

/** A shared-string cell's text until its string is read: NUL cannot occur in XML text, so no real cell looks like it. */
const PENDING = '\u0000';

/**
 * The shared strings read alongside the sheet instead of whole beforehand: a
 * million-row file's table (one entry per distinct text) would otherwise sit
 * in memory for the whole read. Cells get a placeholder as the sheet is
 * parsed; before rows go out, the table is read as far as they need (Excel
 * writes strings in order of first use, so that is just past the last read)
 * and the placeholders replaced. With `uses` (how often the sheet uses each
 * string, 2 meaning "more than once") a string used once is dropped when its
 * cell takes it and an unused one never kept; without, every string read is kept.
 */
class StreamedStrings implements StringSink, StringSource {
  private readonly kept: SharedStrings;
  /** Index in `kept` of each kept string, by its index in the table. */
  private readonly keptAt = new Map<number, number>();
  /** Strings used once, read but not yet taken by their cell. */
  private readonly once = new Map<number, string>();
  private readonly scanner = new SharedStringsScanner(this);
  private read = 0;
  private wanted = -1;

  constructor(
    private readonly chunks: AsyncIterator<Buffer>,
    bound: number,
    private readonly uses: Uint8Array | null,
  ) {
    this.kept = new SharedStrings(bound);
  }

  private keeps(i: number): 0 | 1 | 2 {
    return this.uses ? ((this.uses[i] ?? 0) as 0 | 1 | 2) : 2;
  }

  add(s: string): void {
    const i = this.read++;
    const uses = this.keeps(i);
    if (uses === 2) {
      this.keptAt.set(i, this.kept.count);
      this.kept.add(s);
    } else if (uses === 1) this.once.set(i, s);
  }

  addBytes(source: Buffer, from: number, to: number): void {
    const i = this.read++;
    const uses = this.keeps(i);
    if (uses === 2) {
      this.keptAt.set(i, this.kept.count);
      this.kept.addBytes(source, from, to);
    } else if (uses === 1) this.once.set(i, (source as Sliceable).utf8Slice(from, to));
  }

  get(i: number): string {
    if (i > this.wanted) this.wanted = i;
    return PENDING + i;
  }

  /** Reads the table as far as the cells parsed so far need, and gives them their texts; rows left empty go. */
  async fill(rows: TableRow[]): Promise<TableRow[]> {
    while (this.read <= this.wanted) {
      const next = await this.chunks.next();
      if (next.done) break;
      this.scanner.push(next.value);
    }
    let kept = 0;
    for (const row of rows) {
      const cells = row.cells;
      for (let c = 0; c < cells.length; c++) if (cells[c]!.charCodeAt(0) === 0) cells[c] = this.take(Number(cells[c]!.slice(1)));
      while (cells.length && cells[cells.length - 1] === '') cells.pop(); // an empty shared string is no value
      if (cells.length) rows[kept++] = row;
    }
    rows.length = kept;
    return rows;
  }

  private take(i: number): string {
    const at = this.keptAt.get(i);
    if (at !== undefined) return this.kept.get(at);
    const s = this.once.get(i) ?? '';
    this.once.delete(i);
    return s;
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

/** How often the sheet uses each shared string (0, 1, or 2 for more): one pass of the sheet that keeps nothing else. */
async function countUses(zip: ZipReader, sheet: ZipEntry, kinds: Uint8Array, date1904: boolean): Promise<Uint8Array> {
  let uses = new Uint8Array(1024);
  const counter: StringSource = {
    get(i) {
      if (!(i >= 0)) return '';
      if (i >= uses.length) {
        const grown = new Uint8Array(Math.max(i + 1, uses.length * 2));
        grown.set(uses);
        uses = grown;
      }
      if (uses[i]! < 2) uses[i]!++;
      return '';
    },
  };
  const out: TableRow[] = [];
  const scanner = new SheetScanner(out, counter, kinds, date1904);
  for await (const chunk of await zip.stream(sheet)) {
    scanner.push(chunk);
    out.length = 0;
  }
  return uses;
}

// ---------------------------------------------------------------- the sheet

/** Column index of a cell reference's letters ('B3' → 1) in ref[from, to); -1 without letters. */
function columnIndex(ref: string, from = 0, to = ref.length): number {
  let n = 0;
  let i = from;
  for (; i < to; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return i === from ? -1 : n - 1;
}


const enum Type {
  Number,
  Shared,
  Formula,
  Inline,
  Boolean,
  Error,
  Date,
}

/** A t attribute's value (body[from, to)) as a Type, told apart by length and first letter. */
function typeOf(body: string, from: number, to: number): Type {
  const first = body.charCodeAt(from);
  switch (to - from) {
    case 1:
      return first === 115 ? Type.Shared : first === 98 ? Type.Boolean : first === 101 ? Type.Error : first === 100 ? Type.Date : Type.Number;
    case 3:
      return first === 115 ? Type.Formula : Type.Number; // 'str'
    case 9:
      return first === 105 ? Type.Inline : Type.Number; // 'inlineStr'
    default:
      return Type.Number;
  }
}

/** A run of decimal digits as a number; NaN when something else is there. */
function digits(body: string, from: number, to: number): number {
  if (from >= to) return NaN;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = body.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Where a row's parse stopped because the text ran out (more will come). */
const INCOMPLETE = -1;

/**
 * Turns the sheet's XML text, fed piece by piece, into rows. A row is parsed
 * in place, tag after tag, from its start tag to `</row>`; when the text ends
 * inside it, the row is parsed again once the next piece has come.
 */
export class SheetScanner extends ByteXmlScanner {
  private lastRow = 0;
  private p = '';
  private rowOpen = '<row';
  private rowClose = '</row>';
  private cOpen = '<c';
  private cClose = '</c>';
  private vOpen = '<v>';
  private vOpenBare = '<v';
  private vClose = '</v>';
  private inlinePreserve = '<is><t xml:space="preserve">';
  private inlinePlain = '<is><t>';
  private inlineClose = '</t></is></c>';
  /** The row being parsed; set by parseRow. */
  private cells: string[] = [];
  private rowNumber = 0;

  constructor(
    private readonly out: TableRow[],
    private readonly strings: StringSource | null = null,
    private readonly kinds: Uint8Array = new Uint8Array(0),
    private readonly date1904 = false,
  ) {
    super('worksheet');
  }

  protected parse(buf: string): number {
    const { rowOpen } = this;
    let pos = 0;
    for (;;) {
      const i = buf.indexOf(rowOpen, pos);
      if (i < 0) return Math.max(pos, buf.length - rowOpen.length); // keep a start tag cut at the end
      const next = buf.charCodeAt(i + rowOpen.length);
      if (next !== next) return i;
      if (!isSpace(next) && next !== 62 && next !== 47) {
        pos = i + 1; // <rowBreaks>
        continue;
      }
      const end = this.parseRow(buf, i);
      if (end === INCOMPLETE) return i;
      pos = end;
    }
  }

  protected usePrefix(p: string): void {
    this.p = p;
    this.rowOpen = `<${p}row`;
    this.rowClose = `</${p}row>`;
    this.cOpen = `<${p}c`;
    this.cClose = `</${p}c>`;
    this.vOpen = `<${p}v>`;
    this.vOpenBare = `<${p}v`;
    this.vClose = `</${p}v>`;
    this.inlinePreserve = `<${p}is><${p}t xml:space="preserve">`;
    this.inlinePlain = `<${p}is><${p}t>`;
    this.inlineClose = `</${p}t></${p}is></${p}c>`;
  }

  /** The row whose start tag begins at `i`; returns where it ends, or INCOMPLETE. */
  private parseRow(buf: string, i: number): number {
    const gt = buf.indexOf('>', i);
    if (gt < 0) return INCOMPLETE;
    const r = attr(buf.slice(i + this.rowOpen.length, gt), ' r=');
    const rowNumber = r ? Number(r) : this.lastRow + 1;
    if (buf.charCodeAt(gt - 1) === 47) {
      this.lastRow = rowNumber; // <row …/>: no cells
      return gt + 1;
    }
    this.rowNumber = rowNumber;
    this.cells = [];
    let column = -1;
    let q = gt + 1;
    const n = buf.length;
    const { cOpen, rowClose } = this;
    for (;;) {
      let c = buf.charCodeAt(q);
      while (isSpace(c)) c = buf.charCodeAt(++q);
      if (q >= n) return INCOMPLETE;
      if (c !== 60) {
        q = buf.indexOf('<', q); // stray text between cells
        if (q < 0) return INCOMPLETE;
        continue;
      }
      if (buf.startsWith(rowClose, q)) {
        q += rowClose.length;
        break;
      }
      if (buf.startsWith(cOpen, q)) {
        const after = buf.charCodeAt(q + cOpen.length);
        if (after !== after) return INCOMPLETE;
        if (isSpace(after) || after === 62 || after === 47) {
          q = this.parseCell(buf, q + cOpen.length, column);
          if (q === INCOMPLETE) return INCOMPLETE;
          column = this.column;
          continue;
        }
      }
      q = this.skipElement(buf, q); // anything else inside a row (extLst)
      if (q === INCOMPLETE) return INCOMPLETE;
    }
    this.lastRow = rowNumber;
    if (this.cells.length) this.out.push({ rowNumber, cells: this.cells });
    return q;
  }

  /** Past the element starting at `q` ('<name …/>' or '<name …>…</name>'). */
  private skipElement(buf: string, q: number): number {
    const gt = buf.indexOf('>', q);
    if (gt < 0) return INCOMPLETE;
    if (buf.charCodeAt(gt - 1) === 47 || buf.charCodeAt(q + 1) === 47) return gt + 1;
    let nameEnd = q + 1;
    while (nameEnd < gt && !isSpace(buf.charCodeAt(nameEnd))) nameEnd++;
    const close = `</${buf.slice(q + 1, nameEnd)}>`;
    const end = buf.indexOf(close, gt);
    return end < 0 ? INCOMPLETE : end + close.length;
  }

  /** Set by parseCell: the column of the cell just read. */
  private column = -1;

  /** A cell whose attributes start at `q` (after '<c'); returns where it ends, or INCOMPLETE. */
  private parseCell(buf: string, q: number, previous: number): number {
    let at = -1;
    let type = Type.Number;
    let style = 0;
    let c = buf.charCodeAt(q);
    // scanned char by char: names and values are a few characters, shorter than a native search pays off
    for (;;) {
      while (isSpace(c)) c = buf.charCodeAt(++q);
      if (c === 62 || c === 47) break;
      const nameStart = q;
      while (c !== 61 && c === c) c = buf.charCodeAt(++q);
      let nameEnd = q;
      while (isSpace(buf.charCodeAt(nameEnd - 1))) nameEnd--;
      c = buf.charCodeAt(++q);
      while (isSpace(c)) c = buf.charCodeAt(++q);
      const quote = c;
      const valueStart = q + 1;
      c = buf.charCodeAt(++q);
      while (c !== quote && c === c) c = buf.charCodeAt(++q);
      if (c !== c) return INCOMPLETE; // NaN: the text ended inside the tag
      if (nameEnd - nameStart === 1) {
        const name = buf.charCodeAt(nameStart);
        if (name === 114) at = columnIndex(buf, valueStart, q);
        else if (name === 116) type = typeOf(buf, valueStart, q);
        else if (name === 115) style = digits(buf, valueStart, q) || 0;
      }
      c = buf.charCodeAt(++q);
    }
    if (c !== c) return INCOMPLETE;
    const column = (this.column = at >= 0 ? at : previous + 1);
    if (c === 47) {
      if (q + 1 >= buf.length) return INCOMPLETE;
      return q + 2; // <c …/>: formatting only
    }
    const gt = q;
    let value: string;
    let end: number;
    if (type === Type.Inline) {
      end = this.inline(buf, gt);
      if (end === INCOMPLETE) return INCOMPLETE;
      value = this.text;
    } else if (buf.startsWith(this.vOpen, gt + 1)) {
      // the common shape: <c …><v>…</v></c>
      const vStart = gt + 1 + this.vOpen.length;
      const vEnd = buf.indexOf(this.vClose, vStart);
      if (vEnd < 0) return INCOMPLETE;
      const after = vEnd + this.vClose.length;
      if (buf.startsWith(this.cClose, after)) end = after + this.cClose.length;
      else {
        const close = buf.indexOf(this.cClose, after);
        if (close < 0) return INCOMPLETE;
        end = close + this.cClose.length;
      }
      value = this.value(buf, vStart, vEnd, type, style);
    } else {
      // a formula before the value, attributes on <v>, no value
      const close = buf.indexOf(this.cClose, gt);
      if (close < 0) return INCOMPLETE;
      end = close + this.cClose.length;
      const v = buf.indexOf(this.vOpenBare, gt);
      if (v < 0 || v > close) return end;
      const vGt = buf.indexOf('>', v);
      if (buf.charCodeAt(vGt - 1) === 47) return end;
      const vEnd = buf.indexOf(this.vClose, vGt);
      if (vEnd < 0 || vEnd > close) return end;
      value = this.value(buf, vGt + 1, vEnd, type, style);
    }
    if (value !== '') {
      if (column >= MAX_COLUMNS) throw new TableFormatError('too_many_columns', `more than ${MAX_COLUMNS} columns (row ${this.rowNumber})`);
      const cells = this.cells;
      while (cells.length < column) cells.push('');
      cells[column] = value;
    }
    return end;
  }

  /** Set by inline(). */
  private text = '';

  /** An inline string cell whose '>' is at `gt`: its text into `this.text`; returns where the cell ends, or INCOMPLETE. */
  private inline(buf: string, gt: number): number {
    // the shape writers use: <is><t xml:space="preserve">…</t></is></c> (or a plain <t>), one search to its end
    const open = buf.startsWith(this.inlinePreserve, gt + 1) ? this.inlinePreserve : buf.startsWith(this.inlinePlain, gt + 1) ? this.inlinePlain : null;
    if (open) {
      const from = gt + 1 + open.length;
      const end = buf.indexOf(this.inlineClose, from);
      if (end < 0) return INCOMPLETE;
      if (buf.indexOf('<', from) === end) {
        const raw = this.utf8(from, end);
        this.text = needsDecoding(this.bytes, from, end) ? xmlValue(raw) : raw;
        return end + this.inlineClose.length;
      }
    }
    const close = buf.indexOf(this.cClose, gt);
    if (close < 0) return INCOMPLETE;
    this.text = runText(this.utf8(gt + 1, close), this.p);
    return close + this.cClose.length;
  }

  private value(body: string, from: number, to: number, type: Type, style: number): string {
    switch (type) {
      case Type.Shared:
        return this.strings ? this.strings.get(digits(body, from, to)) : '';
      case Type.Formula:
        return xmlValue(this.utf8(from, to));
      case Type.Boolean:
        return from === to ? '' : body.charCodeAt(from) === 49 || body.startsWith('true', from) ? 'TRUE' : 'FALSE';
      case Type.Error:
        return '';
      case Type.Date:
        return isoText(body.slice(from, to));
      default: {
        if (from === to) return '';
        const raw = body.slice(from, to);
        const kind = style ? this.kinds[style] : 0;
        if (kind) {
          const text = serialText(Number(raw), kind, this.date1904);
          if (text !== null) return text;
        }
        return numberText(raw);
      }
    }
  }
}

export interface XlsxOptions {
  /** Bytes per read from the file (tests use tiny ones to cut the XML anywhere). */
  readChunk?: number;
  /**
   * Only the first rows will be read: no pass over the sheet to learn which
   * shared strings are used once (the strings read are all kept, and only as
   * far as the rows read need).
   */
  head?: boolean;
}

export async function openXlsx(path: string, options: XlsxOptions = {}): Promise<TableReader> {
  const fh = await open(path, 'r');
  try {
    const zip = await ZipReader.open(fh);
    const book = await locate(zip);
    const kinds = book.styles ? styleKinds((await zip.read(book.styles)).toString('utf8')) : new Uint8Array(0);
    const sst = book.sharedStrings;
    const uses = sst && !options.head ? await countUses(zip, book.sheet, kinds, book.date1904) : null;
    const strings = sst ? new StreamedStrings((await zip.stream(sst))[Symbol.asyncIterator](), sst.size, uses) : null;
    const stream = await zip.stream(book.sheet, options.readChunk);
    let started = false;
    let finished = false;
    let closed: Promise<void> | null = null;
    return {
      format: 'xlsx',
      encoding: null,
      progress: () => (finished ? 1 : Math.min(1, stream.progress())),
      close() {
        stream.destroy();
        closed ??= (strings?.close() ?? Promise.resolve()).then(() => fh.close());
        return closed;
      },
      async *rows() {
        if (started) throw new Error('rows() may be called once');
        started = true;
        const out: TableRow[] = [];
        const scanner = new SheetScanner(out, strings, kinds, book.date1904);
        for await (const chunk of stream) {
          scanner.push(chunk);
          if (strings) await strings.fill(out);
          for (let i = 0; i < out.length; i++) yield out[i]!;
          out.length = 0;
        }
        finished = true;
      },
    };
  } catch (err) {
    await fh.close();
    throw err;
  }
}
