/**
 * A one-sheet XLSX workbook written as a stream: the sheet's rows go into the
 * ZIP as they come, so memory stays constant whatever the row count. Text is
 * written inline (t="inlineStr"), which needs no shared-string table built in
 * memory; inline strings are never evaluated as formulas, so no guard is needed.
 * Options: drop-down lists per column (import templates), kept on a hidden
 * second sheet; and shared strings (t="s", the table written after the sheet),
 * for files shaped like the ones Excel saves.
 */
import type { Cell } from './cell.js';
import { type ByteSink, type ZipEntryWriter, ZipWriter } from './zip.js';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Rows are gathered into pieces of about this many characters before deflating. */
const PIECE = 64 * 1024;

// XML 1.0 allows neither these control characters nor lone surrogates
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_SPECIAL = /[&<>"\r]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

/** Any character xmlText changes (lone surrogates included): most cells have none and are taken as they are. */
const NEEDS_ESCAPE = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF&<>"\r]/;

/** Text as XML character data; a CR is kept as a reference (a parser would turn a raw one into LF). */
export function xmlText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(NOT_XML, '').replace(XML_SPECIAL, (c) => ENTITY[c]!);
}

/** The column letters of a zero-based index: 0 → A, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The letters of the first columns, computed once (every cell of every row names its column). */
const COLUMN_NAMES = Array.from({ length: 256 }, (_, i) => columnName(i));
const columnOf = (index: number) => COLUMN_NAMES[index] ?? columnName(index);

/** Sheet names are at most 31 characters, without []:*?/\ . */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';

const WORKSHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';

const contentTypes = (lists: boolean, shared: boolean) => `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${WORKSHEET_TYPE}"/>
${lists ? `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="${WORKSHEET_TYPE}"/>\n` : ''}${
  shared ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\n' : ''
}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>`;

const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">
<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>`;

const workbookRels = (lists: boolean, shared: boolean) => `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">
<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/>
${lists ? `<Relationship Id="rId3" Type="${REL_NS}/worksheet" Target="worksheets/sheet2.xml"/>\n` : ''}${
  shared ? `<Relationship Id="rId4" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>\n` : ''
}</Relationships>`;

/** Style 0: plain; style 1: bold (the header row). */
const STYLES = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>`;

const BOLD = 1;

const workbook = (name: string, listSheet: string | null) => `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">
<sheets><sheet name="${xmlText(sheetName(name))}" sheetId="1" r:id="rId1"/>${
  listSheet === null ? '' : `<sheet name="${xmlText(listSheet)}" sheetId="2" state="hidden" r:id="rId3"/>`
}</sheets>
</workbook>`;

// the header row stays in view while scrolling
const SHEET_HEAD = `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">
<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>
<sheetData>`;
const SHEET_TAIL = '</sheetData>\n</worksheet>';

/** Readers decode _xHHHH_ in cell text (Excel's escape for control characters), so such text written literally escapes its '_'. */
const cellText = (value: string) => xmlText(value.includes('_x') ? value.replace(/_(?=x[0-9a-fA-F]{4}_)/g, '_x005F_') : value);
/** A <t> element; xml:space="preserve" only where spaces at an end or line breaks would otherwise be trimmed. */
const textElement = (value: string) => (/^\s|\s$|\n/.test(value) ? `<t xml:space="preserve">${cellText(value)}</t>` : `<t>${cellText(value)}</t>`);

/** A drop-down list of allowed values for one column of the data rows. */
export interface ColumnList {
  /** Zero-based, as in the cells passed to row(). */
  column: number;
  values: readonly string[];
}

export interface XlsxOptions {
  /** Drop-downs over rows 2..1048576, their values kept on a hidden sheet (no 255-character limit that way). */
  lists?: readonly ColumnList[];
  /** Name of that hidden sheet; 'lists' when not given. */
  listSheetName?: string;
  /** Text as shared strings (t="s"), the table held in memory and written after the sheet; inline strings otherwise. */
  sharedStrings?: boolean;
}

const MAX_ROW = 1048576;

/** Quoted for use in a formula: 'name', a quote doubled. */
const sheetRef = (name: string) => `'${name.replace(/'/g, "''")}'`;

function dataValidations(lists: readonly ColumnList[], listSheet: string): string {
  const used = lists.map((l, i) => ({ ...l, listColumn: i })).filter((l) => l.values.length > 0);
  if (!used.length) return '';
  // errorStyle="warning": a value outside the list is questioned, not refused; the import checks it anyway
  const items = used.map((l) => {
    const col = columnName(l.column);
    const range = `${sheetRef(listSheet)}!$${columnName(l.listColumn)}$1:$${columnName(l.listColumn)}$${l.values.length}`;
    return `<dataValidation type="list" errorStyle="warning" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="${col}2:${col}${MAX_ROW}"><formula1>${xmlText(range)}</formula1></dataValidation>`;
  });
  return `<dataValidations count="${items.length}">${items.join('')}</dataValidations>`;
}

/** Writes one sheet: `start`, then a header and rows, then `finish`. */
export class XlsxWriter {
  private rowCount = 0;
  private piece = '';
  /** Shared strings and their indexes, in order of first use; null when text is written inline. */
  private readonly shared: Map<string, number> | null;
  private sharedUses = 0;

  private constructor(
    private readonly zip: ZipWriter,
    private sheet: ZipEntryWriter,
    private readonly options: XlsxOptions,
    private readonly listSheet: string | null,
  ) {
    this.shared = options.sharedStrings ? new Map() : null;
  }

  static async start(sink: ByteSink, name: string, options: XlsxOptions = {}): Promise<XlsxWriter> {
    const lists = options.lists?.some((l) => l.values.length > 0) ?? false;
    let listSheet: string | null = null;
    if (lists) {
      listSheet = sheetName(options.listSheetName ?? 'lists');
      // two sheets may not share a name (case-insensitively)
      if (listSheet.toLowerCase() === sheetName(name).toLowerCase()) listSheet = `${listSheet.slice(0, 30)}_`;
    }
    const shared = options.sharedStrings ?? false;
    const zip = new ZipWriter(sink);
    await zip.add('[Content_Types].xml', contentTypes(lists, shared));
    await zip.add('_rels/.rels', ROOT_RELS);
    await zip.add('xl/workbook.xml', workbook(name, listSheet));
    await zip.add('xl/_rels/workbook.xml.rels', workbookRels(lists, shared));
    await zip.add('xl/styles.xml', STYLES);
    const sheet = await zip.begin('xl/worksheets/sheet1.xml');
    const writer = new XlsxWriter(zip, sheet, options, listSheet);
    writer.piece = SHEET_HEAD;
    return writer;
  }

  /** The first row, in bold. */
  header(cells: readonly string[]): Promise<void> {
    return this.row(cells, BOLD);
  }

  async row(cells: readonly Cell[], style = 0): Promise<void> {
    const r = ++this.rowCount;
    let xml = `<row r="${r}">`;
    for (let i = 0; i < cells.length; i++) xml += this.cellXml(cells[i], `${columnOf(i)}${r}`, style);
    this.piece += `${xml}</row>`;
    if (this.piece.length >= PIECE) await this.flush();
  }

  private cellXml(value: Cell, ref: string, style: number): string {
    const s = style ? ` s="${style}"` : '';
    if (value === null || value === undefined || value === '') return '';
    if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : '';
    if (this.shared) {
      let index = this.shared.get(value);
      if (index === undefined) this.shared.set(value, (index = this.shared.size));
      this.sharedUses++;
      return `<c r="${ref}" t="s"${s}><v>${index}</v></c>`;
    }
    return `<c r="${ref}" t="inlineStr"${s}><is>${textElement(value)}</is></c>`;
  }

  private async flush(): Promise<void> {
    const text = this.piece;
    this.piece = '';
    await this.sheet.write(Buffer.from(text, 'utf8'));
  }

  async finish(): Promise<void> {
    const lists = this.options.lists ?? [];
    this.piece += this.listSheet === null ? SHEET_TAIL : `</sheetData>\n${dataValidations(lists, this.listSheet)}\n</worksheet>`;
    await this.flush();
    await this.sheet.end();
    if (this.listSheet !== null) await this.writeListSheet(lists);
    if (this.shared) await this.writeSharedStrings(this.shared);
    await this.zip.finish();
  }

  /** The hidden sheet: list k's values down column k. */
  private async writeListSheet(lists: readonly ColumnList[]): Promise<void> {
    this.sheet = await this.zip.begin('xl/worksheets/sheet2.xml');
    this.piece = `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData>`;
    const height = Math.max(...lists.map((l) => l.values.length));
    for (let r = 1; r <= height; r++) {
      const cells: string[] = [];
      lists.forEach((l, k) => {
        const v = l.values[r - 1];
        if (v !== undefined) cells.push(this.cellXml(v, `${columnName(k)}${r}`, 0));
      });
      this.piece += `<row r="${r}">${cells.join('')}</row>`;
      if (this.piece.length >= PIECE) await this.flush();
    }
    this.piece += SHEET_TAIL;
    await this.flush();
    await this.sheet.end();
  }

  private async writeSharedStrings(shared: Map<string, number>): Promise<void> {
    this.sheet = await this.zip.begin('xl/sharedStrings.xml');
    this.piece = `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${this.sharedUses}" uniqueCount="${shared.size}">`;
    for (const text of shared.keys()) {
      this.piece += `<si>${textElement(text)}</si>`;
      if (this.piece.length >= PIECE) await this.flush();
    }
    this.piece += '</sst>';
    await this.flush();
    await this.sheet.end();
  }
}
