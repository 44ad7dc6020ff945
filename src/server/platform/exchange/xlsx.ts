/**
 * A one-sheet XLSX workbook written as a stream: the sheet's rows go into the
 * ZIP as they come, so memory stays constant whatever the row count. Text is
 * written inline (t="inlineStr"), which needs no shared-string table built in
 * memory; inline strings are never evaluated as formulas, so no guard is needed.
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

/** Text as XML character data; a CR is kept as a reference (a parser would turn a raw one into LF). */
export function xmlText(value: string): string {
  return value.replace(NOT_XML, '').replace(XML_SPECIAL, (c) => ENTITY[c]!);
}

/** The column letters of a zero-based index: 0 → A, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Sheet names are at most 31 characters, without []:*?/\ . */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';

const CONTENT_TYPES = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>`;

const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">
<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>`;

const WORKBOOK_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">
<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/>
</Relationships>`;

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

const workbook = (name: string) => `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">
<sheets><sheet name="${xmlText(sheetName(name))}" sheetId="1" r:id="rId1"/></sheets>
</workbook>`;

// the header row stays in view while scrolling
const SHEET_HEAD = `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">
<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>
<sheetData>`;
const SHEET_TAIL = '</sheetData>\n</worksheet>';

function cellXml(value: Cell, ref: string, style: number): string {
  const s = style ? ` s="${style}"` : '';
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') return Number.isFinite(value) ? `<c r="${ref}"${s}><v>${value}</v></c>` : '';
  return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`;
}

/** Writes one sheet: `start`, then a header and rows, then `finish`. */
export class XlsxWriter {
  private rowCount = 0;
  private piece = '';

  private constructor(
    private readonly zip: ZipWriter,
    private readonly sheet: ZipEntryWriter,
  ) {}

  static async start(sink: ByteSink, name: string): Promise<XlsxWriter> {
    const zip = new ZipWriter(sink);
    await zip.add('[Content_Types].xml', CONTENT_TYPES);
    await zip.add('_rels/.rels', ROOT_RELS);
    await zip.add('xl/workbook.xml', workbook(name));
    await zip.add('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    await zip.add('xl/styles.xml', STYLES);
    const sheet = await zip.begin('xl/worksheets/sheet1.xml');
    const writer = new XlsxWriter(zip, sheet);
    writer.piece = SHEET_HEAD;
    return writer;
  }

  /** The first row, in bold. */
  header(cells: readonly string[]): Promise<void> {
    return this.row(cells, BOLD);
  }

  async row(cells: readonly Cell[], style = 0): Promise<void> {
    const r = ++this.rowCount;
    this.piece += `<row r="${r}">${cells.map((v, i) => cellXml(v, `${columnName(i)}${r}`, style)).join('')}</row>`;
    if (this.piece.length >= PIECE) await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.piece;
    this.piece = '';
    await this.sheet.write(Buffer.from(text, 'utf8'));
  }

  async finish(): Promise<void> {
    this.piece += SHEET_TAIL;
    await this.flush();
    await this.sheet.end();
    await this.zip.finish();
  }
}
