import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGb18030 } from '../../../../test/helpers/gbk.js';
import { readZip } from '../../../../test/helpers/xlsx.js';
import { formatOf, openTable, TableFormatError, type TableReader, type TableRow } from './read.js';
import { CsvParser, openCsv } from './read-csv.js';
import { formatKind, numberText, openXlsx, serialText, SharedStrings, SheetScanner } from './read-xlsx.js';
import { XlsxWriter } from './xlsx.js';
import { ZipWriter } from './zip.js';

const dir = mkdtempSync(join(tmpdir(), 'crm-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function file(content: Buffer | string, ext = 'csv'): string {
  const path = join(dir, `f${++fileNo}.${ext}`);
  writeFileSync(path, content);
  return path;
}

async function all(reader: TableReader): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  try {
    for await (const row of reader.rows()) rows.push(row);
  } finally {
    await reader.close();
  }
  return rows;
}

const cellsOf = (rows: TableRow[]) => rows.map((r) => r.cells);

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TableFormatError) return err.reason;
    throw err;
  }
  return 'no error';
}

async function zipOf(parts: Record<string, string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const zip = new ZipWriter(async (c) => void chunks.push(Buffer.from(c)));
  for (const [name, content] of Object.entries(parts)) await zip.add(name, content);
  await zip.finish();
  return Buffer.concat(chunks);
}

async function written(build: (x: XlsxWriter) => Promise<void>, options?: Parameters<typeof XlsxWriter.start>[2]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const x = await XlsxWriter.start(async (c) => void chunks.push(Buffer.from(c)), '客户', options);
  await build(x);
  await x.finish();
  return Buffer.concat(chunks);
}

describe('formatOf', () => {
  it('tells the format by extension, case-insensitively', () => {
    expect(['a.xlsx', 'B.XLSX', 'c.csv', 'd.CSV', 'e.txt', 'f.xls', 'g', 'h.xlsx.exe', '客户.Xlsx'].map(formatOf)).toEqual([
      'xlsx', 'xlsx', 'csv', 'csv', 'csv', null, null, null, 'xlsx',
    ]);
  });
});

describe('CSV', () => {
  it('reads UTF-8 with quoted commas, quotes and line breaks, CRLF ends, as Excel numbers the rows', async () => {
    const text = 'name,phone,note\r\n"Acme, Inc.",13800138000,"say ""hi""\r\nsecond line"\r\n北京云帆,010-1234,\r\n';
    const reader = await openTable(file(text), 'csv');
    expect(reader.encoding).toBe('utf-8');
    expect(reader.format).toBe('csv');
    expect(await all(reader)).toEqual([
      { rowNumber: 1, cells: ['name', 'phone', 'note'] },
      { rowNumber: 2, cells: ['Acme, Inc.', '13800138000', 'say "hi"\r\nsecond line'] },
      { rowNumber: 3, cells: ['北京云帆', '010-1234'] },
    ]);
  });

  it('drops a UTF-8 byte order mark', async () => {
    const reader = await openTable(file('\uFEFF客户名称,城市\n张三,北京\n'), 'csv');
    expect(reader.encoding).toBe('utf-8');
    expect(cellsOf(await all(reader))).toEqual([['客户名称', '城市'], ['张三', '北京']]);
  });

  it('reads GBK (GB18030) as Chinese Excel saves it', async () => {
    const text = '姓名,地址,备注\r\n王〇,北京,"张喆, 李堃"\r\n刘犇,广州市天河区,镕\r\n';
    const reader = await openTable(file(encodeGb18030(text)), 'csv');
    expect(reader.encoding).toBe('gb18030');
    expect(cellsOf(await all(reader))).toEqual([
      ['姓名', '地址', '备注'],
      ['王〇', '北京', '张喆, 李堃'],
      ['刘犇', '广州市天河区', '镕'],
    ]);
  });

  it('reads UTF-16 "Unicode text" (tab-separated) from its byte order mark', async () => {
    const text = '客户\t电话\r\n云帆\t13800138000\r\n𠮷野家\t"a\tb"\r\n';
    const le = await openTable(file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'txt'), 'csv');
    expect(le.encoding).toBe('utf-16le');
    const expected = [['客户', '电话'], ['云帆', '13800138000'], ['𠮷野家', 'a\tb']];
    expect(cellsOf(await all(le))).toEqual(expected);
    const be = Buffer.from(text, 'utf16le').swap16();
    const beReader = await openTable(file(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), 'csv');
    expect(beReader.encoding).toBe('utf-16be');
    expect(cellsOf(await all(beReader))).toEqual(expected);
  });

  it('detects tab and semicolon delimiters from the first line outside quotes', async () => {
    expect(cellsOf(await all(await openTable(file('a\tb,c\td\n1\t2,3\t4\n'), 'csv')))).toEqual([['a', 'b,c', 'd'], ['1', '2,3', '4']]);
    expect(cellsOf(await all(await openTable(file('"x,y,z";b;c\n1;2,5;3\n'), 'csv')))).toEqual([['x,y,z', 'b', 'c'], ['1', '2,5', '3']]);
    expect(cellsOf(await all(await openTable(file('only\nvalue\n'), 'csv')))).toEqual([['only'], ['value']]);
  });

  it('skips empty lines (still counted), trims trailing empty cells, takes CR-only line ends and no final line end', async () => {
    const text = 'a,b,,\r\n\r\n,,\n\rc,,d\r"",x\r,,,\nlast,"q"';
    expect(await all(await openTable(file(text), 'csv'))).toEqual([
      { rowNumber: 1, cells: ['a', 'b'] },
      { rowNumber: 5, cells: ['c', '', 'd'] },
      { rowNumber: 6, cells: ['', 'x'] },
      { rowNumber: 8, cells: ['last', 'q'] },
    ]);
  });

  it('unwraps ="…" (the text-keeping trick) but keeps other values as written', async () => {
    const text = 'a,b,c,d\n="0123","=""007""",=SUM(A1),\'=1\n';
    expect(cellsOf(await all(await openTable(file(text), 'csv')))).toEqual([['a', 'b', 'c', 'd'], ['0123', '007', '=SUM(A1)', "'=1"]]);
  });

  it('gives the same rows however the reads cut characters and quoted fields', async () => {
    const text = '姓名,备注,城市\r\n"王〇","第一行\r\n第二行, ""引号""",北京\r\n张喆,"",广州市天河区\r\n"李""堃",x,\r\n';
    const gbk = file(encodeGb18030(text));
    const utf8 = file(`${text}𠮷,😀\n`);
    const expected = [['姓名', '备注', '城市'], ['王〇', '第一行\r\n第二行, "引号"', '北京'], ['张喆', '', '广州市天河区'], ['李"堃', 'x']];
    for (const readChunk of [1, 2, 3, 5, 7, 13]) {
      expect(cellsOf(await all(await openCsv(gbk, { readChunk })))).toEqual(expected);
      expect(cellsOf(await all(await openCsv(utf8, { readChunk })))).toEqual([...expected, ['𠮷', '😀']]);
    }
  });

  it('parses text fed one character at a time like text fed whole', () => {
    const text = 'a,"b\r\nc""d",e\r\n"x"y,\r\r\n"",z';
    const whole: TableRow[] = [];
    const whole2 = new CsvParser(',', whole);
    whole2.push(text);
    whole2.end();
    const bits: TableRow[] = [];
    const parser = new CsvParser(',', bits);
    for (const ch of text) parser.push(ch);
    parser.end();
    expect(bits).toEqual(whole);
    expect(whole).toEqual([
      { rowNumber: 1, cells: ['a', 'b\r\nc"d', 'e'] },
      { rowNumber: 2, cells: ['xy'] },
      { rowNumber: 4, cells: ['', 'z'] },
    ]);
  });

  it('tells UTF-8 from a character cut at the end of the 64 KB it looks at', async () => {
    const text = `${'a'.repeat(64 * 1024 - 1)}中,文\n`; // '中' is bytes 65535..65537
    const reader = await openTable(file(text), 'csv');
    expect(reader.encoding).toBe('utf-8');
    expect((await all(reader))[0]!.cells[1]).toBe('文');
  });

  it('reports progress from 0 to 1', async () => {
    const reader = await openCsv(file(`h\n${'row\n'.repeat(50_000)}`), { readChunk: 16 * 1024 });
    expect(reader.progress()).toBe(0);
    const seen: number[] = [];
    let n = 0;
    for await (const _ of reader.rows()) if (++n % 10_000 === 0) seen.push(reader.progress());
    expect(n).toBe(50_001);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[0]).toBeLessThan(0.5);
    expect(seen.every((p, i) => p <= 1 && (i === 0 || p >= seen[i - 1]!))).toBe(true);
    expect(reader.progress()).toBe(1);
    await reader.close();
    const empty = await openTable(file(''), 'csv');
    expect(await all(empty)).toEqual([]);
    expect(empty.progress()).toBe(1);
  });

  it('refuses a workbook given as CSV, rows wider than 500 columns and an unclosed quote past the size limit', async () => {
    const xlsx = await written(async (x) => x.row(['a']));
    expect(await reason(openTable(file(xlsx), 'csv'))).toBe('not_csv');
    const wide = `${Array.from({ length: 501 }, (_, i) => `c${i}`).join(',')}\n`;
    expect(await reason(all(await openTable(file(wide), 'csv')))).toBe('too_many_columns');
    // trailing empty cells past the limit do not count
    const emptyTail = `a,b${','.repeat(2000)}\n`;
    expect(cellsOf(await all(await openTable(file(emptyTail), 'csv')))).toEqual([['a', 'b']]);
    const rows: TableRow[] = [];
    const parser = new CsvParser(',', rows);
    parser.push('a,b\n"never closed');
    expect(() => parser.push('x'.repeat(17 * 1024 * 1024))).toThrow(expect.objectContaining({ reason: 'row_too_large' }));
  });

  it('rows() may be called once', async () => {
    const reader = await openTable(file('a\n'), 'csv');
    await all(reader);
    await expect(reader.rows()[Symbol.asyncIterator]().next()).rejects.toThrow('once');
  });
});

const MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook written by hand: a hidden first sheet, the data on the second, dates, numbers and rich text. */
function handWorkbook(sheet: string, { date1904 = false, prefix = '' } = {}): Record<string, string> {
  return {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<Relationships ${RELS_NS}><Relationship Id="rId1" Type="${R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?>
<workbook ${MAIN} xmlns:r="${R}"><workbookPr${date1904 ? ' date1904="1"' : ''}/>
<sheets><sheet name="说明" sheetId="1" state="hidden" r:id="rId7"/><sheet name="数据" sheetId="2" r:id="rId8"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships ${RELS_NS}>
<Relationship Id="rId7" Type="${R}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId8" Type="${R}/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId9" Type="${R}/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId10" Type="${R}/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': `<styleSheet ${MAIN}><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="[&gt;=100]0;0.00"/><numFmt numFmtId="166" formatCode="yyyy/mm/dd\\ hh:mm"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164"><alignment/></xf><xf numFmtId="22"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="20"/></cellXfs></styleSheet>`,
    'xl/strings.xml': `<?xml version="1.0" encoding="UTF-8"?><${prefix}sst xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<${prefix}si><${prefix}t>客户名称</${prefix}t></${prefix}si>
<${prefix}si><${prefix}r><${prefix}rPr><${prefix}b/></${prefix}rPr><${prefix}t>北京</${prefix}t></${prefix}r><${prefix}r><${prefix}t xml:space="preserve"> 云帆</${prefix}t></${prefix}r><${prefix}rPh sb="0" eb="2"><${prefix}t>ペキン</${prefix}t></${prefix}rPh></${prefix}si>
<${prefix}si><${prefix}t>A&amp;B &lt;x&gt; line_x000D_
two</${prefix}t></${prefix}si><${prefix}si/></${prefix}sst>`,
    'xl/worksheets/sheet1.xml': `<worksheet ${MAIN}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row></sheetData></worksheet>`,
    'xl/worksheets/data.xml': sheet,
  };
}

const DATA_SHEET = (p = '') => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<${p}worksheet xmlns${p ? `:${p.slice(0, -1)}` : ''}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><${p}dimension ref="A1:F9"/><${p}sheetData>
<${p}row r="1" spans="1:6"><${p}c r="A1" t="s"><${p}v>0</${p}v></${p}c><${p}c r="B1" t="s"><${p}v>1</${p}v></${p}c><${p}c r="C1" t="s"><${p}v>2</${p}v></${p}c><${p}c r="D1" t="s"><${p}v>3</${p}v></${p}c><${p}c r="E1" t="s"><${p}v>99</${p}v></${p}c></${p}row>
<${p}row r="2"><${p}c r="A2" s="1"><${p}v>45352</${p}v></${p}c><${p}c r="B2" s="2"><${p}v>45352.75</${p}v></${p}c><${p}c r="C2" s="3"><${p}v>45352.5208333333</${p}v></${p}c><${p}c r="D2" s="5"><${p}v>60</${p}v></${p}c><${p}c r="E2" s="6"><${p}v>0.99999999</${p}v></${p}c><${p}c r="F2" s="1"><${p}v>61</${p}v></${p}c></${p}row>
<${p}row r="3"><${p}c r="A3"><${p}v>13800138000</${p}v></${p}c><${p}c r="B3"><${p}v>1.38001380001E+10</${p}v></${p}c><${p}c r="C3"><${p}v>0.30000000000000004</${p}v></${p}c><${p}c r="D3" s="4"><${p}v>1.5E+10</${p}v></${p}c><${p}c r="E3"><${p}v>-1.2E-5</${p}v></${p}c><${p}c r="F3"><${p}v>12345678901234567890</${p}v></${p}c></${p}row>
<${p}row r="4" spans="1:6" ht="20" customHeight="1"/>
<${p}row r="5"><${p}c r="A5" t="b"><${p}v>1</${p}v></${p}c><${p}c r="B5" t="b"><${p}v>0</${p}v></${p}c><${p}c r="C5" t="e"><${p}v>#N/A</${p}v></${p}c><${p}c r="D5" t="str"><${p}f>A1&amp;"x"</${p}f><${p}v>客户名称x</${p}v></${p}c><${p}c r="F5" t="inlineStr"><${p}is><${p}r><${p}t>富</${p}t></${p}r><${p}r><${p}rPr><${p}i/></${p}rPr><${p}t xml:space="preserve">文本 </${p}t></${p}r></${p}is></${p}c></${p}row>
<${p}row r="7"><${p}c r="C7" s="1"/><${p}c r="D7" t="inlineStr"><${p}is><${p}t>&#20013;&#x6587;&apos;&quot;</${p}t></${p}is></${p}c><${p}c r="E7" t="d"><${p}v>2024-03-01T00:00:00</${p}v></${p}c><${p}c r="F7" t="d"><${p}v>2024-03-01T08:30:00Z</${p}v></${p}c></${p}row>
<${p}row><${p}c t="inlineStr"><${p}is><${p}t>no refs</${p}t></${p}is></${p}c><${p}c><${p}v>2</${p}v></${p}c></${p}row>
<${p}row r="9"><${p}c r="A9" s="1"><${p}v></${p}v></${p}c><${p}c r="B9" t="s"><${p}v>3</${p}v></${p}c><${p}c r="ZZ9" s="1"/></${p}row>
</${p}sheetData><${p}rowBreaks count="1"><${p}brk id="3"/></${p}rowBreaks><${p}mergeCells count="1"><${p}mergeCell ref="A1:B1"/></${p}mergeCells></${p}worksheet>`;

const DATA_ROWS: TableRow[] = [
  { rowNumber: 1, cells: ['客户名称', '北京 云帆', 'A&B <x> line\r\ntwo'] },
  { rowNumber: 2, cells: ['2024-03-01', '2024-03-01', '2024-03-01 12:30', '1900-02-29 00:00', '00:00', '1900-03-01'] },
  { rowNumber: 3, cells: ['13800138000', '13800138000.1', '0.3', '15000000000', '-0.000012', '12345678901234567890'] },
  { rowNumber: 5, cells: ['TRUE', 'FALSE', '', '客户名称x', '', '富文本 '] },
  { rowNumber: 7, cells: ['', '', '', '中文\'"', '2024-03-01', '2024-03-01 08:30'] },
  { rowNumber: 8, cells: ['no refs', '2'] },
];

describe('XLSX', () => {
  it('reads back what our writer writes inline, exactly', async () => {
    const rows = [
      ['客户名称', '员工数', '备注', '编号'],
      ['北京云帆科技有限公司', 120, '<b>"A&B"</b> & 🙂', '_x000D_ literal'],
      ['上海𠮷野家', -0.5, 'line1\r\nline2\nline3', null],
      [null, 3, null, '0012'],
      [],
      ['last', 13800138000, 'a'.repeat(40_000)],
    ];
    const xlsx = await written(async (x) => {
      await x.header(rows[0] as string[]);
      for (const r of rows.slice(1)) await x.row(r);
    });
    const reader = await openTable(file(xlsx, 'xlsx'), 'xlsx');
    expect(reader.encoding).toBeNull();
    expect(reader.progress()).toBe(0);
    expect(await all(reader)).toEqual([
      { rowNumber: 1, cells: ['客户名称', '员工数', '备注', '编号'] },
      { rowNumber: 2, cells: ['北京云帆科技有限公司', '120', '<b>"A&B"</b> & 🙂', '_x000D_ literal'] },
      { rowNumber: 3, cells: ['上海𠮷野家', '-0.5', 'line1\r\nline2\nline3'] },
      { rowNumber: 4, cells: ['', '3', '', '0012'] },
      { rowNumber: 6, cells: ['last', '13800138000', 'a'.repeat(40_000)] },
    ]);
    expect(reader.progress()).toBe(1);
  });

  it('writes shared strings after the sheet and reads them back', async () => {
    const xlsx = await written(
      async (x) => {
        await x.header(['名称', '城市']);
        for (let i = 0; i < 3000; i++) await x.row([`客户${i % 1000}`, i % 2 ? '北京' : '广州市天河区', i]);
      },
      { sharedStrings: true },
    );
    const parts = readZip(xlsx);
    expect([...parts.keys()].slice(-2)).toEqual(['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']);
    const sst = parts.get('xl/sharedStrings.xml')!.toString();
    expect(sst).toContain('count="6002" uniqueCount="1004"');
    expect(parts.get('xl/worksheets/sheet1.xml')!.toString()).toContain('<c r="A1" t="s" s="1"><v>0</v></c>');
    expect(parts.get('[Content_Types].xml')!.toString()).toContain('/xl/sharedStrings.xml');
    expect(parts.get('xl/_rels/workbook.xml.rels')!.toString()).toContain('Target="sharedStrings.xml"');
    const rows = await all(await openTable(file(xlsx, 'xlsx'), 'xlsx'));
    expect(rows.length).toBe(3001);
    expect(rows[0]).toEqual({ rowNumber: 1, cells: ['名称', '城市'] });
    expect(rows[2999]).toEqual({ rowNumber: 3000, cells: ['客户998', '广州市天河区', '2998'] });
    expect(rows[3000]).toEqual({ rowNumber: 3001, cells: ['客户999', '北京', '2999'] });
  });

  it('reads shared strings alongside the sheet, in whatever order the table holds them', async () => {
    const xlsx = await written(
      async (x) => {
        await x.header(['名称', '城市']);
        for (let i = 0; i < 30_000; i++) await x.row([`客户${i}`, i % 3 ? '北京' : '广州']);
      },
      { sharedStrings: true },
    );
    const path = file(xlsx, 'xlsx');
    const head = await openTable(path, 'xlsx', { head: true });
    const first: TableRow[] = [];
    for await (const row of head.rows()) if (first.push(row) >= 3) break;
    await head.close();
    expect(first).toEqual([
      { rowNumber: 1, cells: ['名称', '城市'] },
      { rowNumber: 2, cells: ['客户0', '广州'] },
      { rowNumber: 3, cells: ['客户1', '北京'] },
    ]);
    const rows = await all(await openTable(path, 'xlsx'));
    expect(rows.length).toBe(30_001);
    expect(rows[15_001]).toEqual({ rowNumber: 15_002, cells: ['客户15000', '广州'] });
    expect(rows[30_000]).toEqual({ rowNumber: 30_001, cells: ['客户29999', '北京'] });

    // a table written in another order than the cells first use it (not Excel's way): read ahead as far as needed
    const sheet = `<worksheet ${MAIN}><sheetData>${[2, 1, 0, 2, 1]
      .map((s, r) => `<row r="${r + 1}"><c r="A${r + 1}" t="s"><v>${s}</v></c><c r="B${r + 1}" t="s"><v>${(s + 1) % 3}</v></c></row>`)
      .join('')}</sheetData></worksheet>`;
    const reversed = await zipOf({ ...handWorkbook(sheet), 'xl/strings.xml': `<sst ${MAIN}><si><t>零</t></si><si><t>一</t></si><si><t>二</t></si></sst>` });
    const expected = [['二', '零'], ['一', '二'], ['零', '一'], ['二', '零'], ['一', '二']];
    for (const head of [true, false]) expect(cellsOf(await all(await openTable(file(reversed, 'xlsx'), 'xlsx', { head })))).toEqual(expected);
  });

  it('writes drop-down lists for a template on a hidden sheet and still reads the first sheet only', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `选项${i}号`); // > 255 characters together
    const xlsx = await written(
      async (x) => {
        await x.header(['名称', '行业', '来源', '级别']);
      },
      { lists: [{ column: 1, values: long }, { column: 3, values: ['A', "B'C", 'D&E'] }, { column: 2, values: [] }], listSheetName: '选项' },
    );
    const parts = readZip(xlsx);
    const sheet = parts.get('xl/worksheets/sheet1.xml')!.toString();
    expect(sheet).toContain(
      `</sheetData>\n<dataValidations count="2"><dataValidation type="list" errorStyle="warning" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="B2:B1048576"><formula1>'选项'!$A$1:$A$60</formula1></dataValidation>` +
        `<dataValidation type="list" errorStyle="warning" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="D2:D1048576"><formula1>'选项'!$B$1:$B$3</formula1></dataValidation></dataValidations>\n</worksheet>`,
    );
    expect(parts.get('xl/workbook.xml')!.toString()).toContain('<sheet name="选项" sheetId="2" state="hidden" r:id="rId3"/>');
    expect(parts.get('xl/_rels/workbook.xml.rels')!.toString()).toContain('Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"');
    expect(parts.get('[Content_Types].xml')!.toString()).toContain('/xl/worksheets/sheet2.xml');
    const lists = parts.get('xl/worksheets/sheet2.xml')!.toString();
    expect(lists).toContain('<row r="2"><c r="A2" t="inlineStr"><is><t>选项1号</t></is></c><c r="B2" t="inlineStr"><is><t>B\'C</t></is></c></row>');
    expect(lists).toContain('<row r="60"><c r="A60" t="inlineStr"><is><t>选项59号</t></is></c></row>');
    expect(await all(await openTable(file(xlsx, 'xlsx'), 'xlsx'))).toEqual([{ rowNumber: 1, cells: ['名称', '行业', '来源', '级别'] }]);
    // the default workbook is unchanged: no second sheet, no validations
    const plain = readZip(await written(async (x) => x.header(['a'])));
    expect(plain.has('xl/worksheets/sheet2.xml')).toBe(false);
    expect(plain.get('xl/worksheets/sheet1.xml')!.toString()).not.toContain('dataValidation');
  });

  it('reads dates, numbers, booleans, errors, rich text, missing cells and entities from a hand-written workbook', async () => {
    const path = file(await zipOf(handWorkbook(DATA_SHEET())), 'xlsx');
    expect(await all(await openTable(path, 'xlsx'))).toEqual(DATA_ROWS);
  });

  it('reads a namespace-prefixed workbook (x:row, x:c) alike', async () => {
    const path = file(await zipOf(handWorkbook(DATA_SHEET('x:'), { prefix: 'x:' })), 'xlsx');
    expect(await all(await openTable(path, 'xlsx'))).toEqual(DATA_ROWS);
  });

  it('counts dates from 1904 when the workbook says so', async () => {
    const sheet = `<worksheet ${MAIN}><sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43890</v></c></row></sheetData></worksheet>`;
    const path = file(await zipOf(handWorkbook(sheet, { date1904: true })), 'xlsx');
    expect(cellsOf(await all(await openTable(path, 'xlsx')))).toEqual([['1904-01-01', '2024-03-01']]);
  });

  it('gives the same rows however reads and inflate cut the XML', async () => {
    const path = file(await zipOf(handWorkbook(DATA_SHEET())), 'xlsx');
    for (const readChunk of [1, 3, 17, 64]) expect(await all(await openXlsx(path, { readChunk }))).toEqual(DATA_ROWS);
    const text = DATA_SHEET();
    const strings = new SharedStrings();
    for (const s of ['客户名称', '北京 云帆', 'A&B <x> line\r\ntwo', '']) strings.add(s);
    const kinds = Uint8Array.from([0, 1, 1, 3, 0, 3, 2]);
    for (const size of [1, 2, 7, 100]) {
      const rows: TableRow[] = [];
      const scanner = new SheetScanner(rows, strings, kinds, false);
      const bytes = Buffer.from(text); // cut anywhere, also inside a character
      for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
      expect(rows).toEqual(DATA_ROWS);
    }
  });

  it('reads stored (uncompressed) entries from an archive with a comment', async (ctx) => {
    const source = file(await zipOf(handWorkbook(DATA_SHEET())), 'xlsx');
    const target = join(dir, 'stored.xlsx');
    const script = `import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_STORED) as out:
    out.comment = b'PK\\x05\\x06 a comment that looks like a signature'
    for n in src.namelist(): out.writestr(n, src.read(n))`;
    try {
      execFileSync('python3', ['-c', script, source, target]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ctx.skip();
      throw err;
    }
    const reader = await openTable(target, 'xlsx');
    expect(await all(reader)).toEqual(DATA_ROWS);
    expect(reader.progress()).toBe(1);
  });

  it('reports progress over the sheet entry', async () => {
    const xlsx = await written(async (x) => {
      for (let i = 0; i < 30_000; i++) await x.row([`客户${i}`, i, `备注 ${i * 7919}`]);
    });
    const reader = await openXlsx(file(xlsx, 'xlsx'), { readChunk: 4096 });
    const seen: number[] = [];
    let n = 0;
    for await (const _ of reader.rows()) if (++n % 5000 === 0) seen.push(reader.progress());
    expect(n).toBe(30_000);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[0]).toBeLessThan(0.5);
    expect(seen.every((p, i) => p <= 1 && (i === 0 || p >= seen[i - 1]!))).toBe(true);
    expect(reader.progress()).toBe(1);
    await reader.close();
  });

  it('refuses what is not a readable workbook with a TableFormatError', async () => {
    expect(await reason(openTable(file('name,phone\n张三,1\n', 'xlsx'), 'xlsx'))).toBe('not_xlsx');
    expect(await reason(openTable(file(Buffer.alloc(5)), 'xlsx'))).toBe('not_xlsx');
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600)]);
    expect(await reason(openTable(file(ole, 'xlsx'), 'xlsx'))).toBe('not_xlsx');
    expect(await reason(openTable(file(await zipOf({ 'word/document.xml': '<w/>' }), 'xlsx'), 'xlsx'))).toBe('not_xlsx');
    const noSheet = handWorkbook('');
    delete noSheet['xl/worksheets/data.xml'];
    delete noSheet['xl/worksheets/sheet1.xml'];
    expect(await reason(openTable(file(await zipOf(noSheet), 'xlsx'), 'xlsx'))).toBe('no_sheet');

    const xlsx = await written(async (x) => {
      for (let i = 0; i < 2000; i++) await x.row([`客户${i}`, i]);
    });
    expect(await reason(openTable(file(xlsx.subarray(0, xlsx.length >> 1), 'xlsx'), 'xlsx'))).toBe('bad_zip');
    // damage inside the sheet's deflate data: found while reading rows (inflate error or CRC)
    const sheetAt = xlsx.indexOf('xl/worksheets/sheet1.xml') + 100;
    const damaged = Buffer.from(xlsx);
    for (let i = 0; i < 64; i++) damaged[sheetAt + 200 + i] ^= 0x5a;
    const reader = await openTable(file(damaged, 'xlsx'), 'xlsx');
    expect(await reason(all(reader))).toBe('bad_zip');
  });

  it('refuses more than 500 columns with values, not empty styled cells far right', async () => {
    const wide = await written(async (x) => x.row(Array.from({ length: 501 }, (_, i) => i)));
    expect(await reason(all(await openTable(file(wide, 'xlsx'), 'xlsx')))).toBe('too_many_columns');
    const ok = await written(async (x) => x.row([...Array.from({ length: 500 }, (_, i) => i), null, '']));
    expect((await all(await openTable(file(ok, 'xlsx'), 'xlsx')))[0]!.cells.length).toBe(500);
  });
});

describe('XLSX values', () => {
  it('spells numbers out as Excel shows them', () => {
    expect(
      ['13800138000', '1.5E+10', '1.38001380001E+10', '0.30000000000000004', '0.1', '-0', '2.5E-3', '1E+21', '123456789012345678', '9.99999999999999E+307', '-1.0000000000000002'].map(
        numberText,
      ),
    ).toEqual(['13800138000', '15000000000', '13800138000.1', '0.3', '0.1', '-0', '0.0025', '1000000000000000000000', '123456789012345678', `999999999999999${'0'.repeat(293)}`, '-1']);
  });

  it('turns date serials into dates and times', () => {
    const [DATE, TIME, SEC] = [1, 2, 4];
    expect(serialText(45352, DATE, false)).toBe('2024-03-01');
    expect(serialText(45352.999999, DATE | TIME, false)).toBe('2024-03-02 00:00');
    expect(serialText(59, DATE, false)).toBe('1900-02-28');
    expect(serialText(60, DATE, false)).toBe('1900-02-29');
    expect(serialText(61, DATE, false)).toBe('1900-03-01');
    expect(serialText(1, DATE, true)).toBe('1904-01-02');
    expect(serialText(0.5 + 1 / 86400 * 7, TIME | SEC, false)).toBe('12:00:07');
    expect(serialText(-1, DATE, false)).toBeNull();
  });

  it('tells date formats from number formats', () => {
    const kinds = ['yyyy-mm-dd', 'yyyy"年"m"月"d"日"', 'm/d/yy h:mm', 'h:mm AM/PM', 'mm:ss', '[h]:mm:ss', '0.00', '#,##0 "days"', 'General', '@', '[Red][>=100]0;0', '0.0_m', '[$-804]mmm', '"d"0', 'hh:mm:ss;@'].map(formatKind);
    expect(kinds).toEqual([1, 1, 3, 2, 6, 6, 0, 0, 0, 0, 0, 0, 1, 0, 6]);
  });

  it('keeps shared strings compactly and across block boundaries', () => {
    const strings = new SharedStrings();
    const make = (i: number) => (i % 1000 === 0 ? '' : `客户名称${i}号有限公司${'长'.repeat(i % 7)}`);
    const n = 300_000;
    strings.reserve(n);
    for (let i = 0; i < n; i++) strings.add(make(i));
    expect(strings.count).toBe(n);
    for (const i of [0, 1, 999, 1000, 1001, 150_000, n - 1, ...Array.from({ length: 2000 }, (_, k) => k * 149)]) expect(strings.get(i)).toBe(make(i));
    expect(strings.get(n)).toBe('');
    expect(strings.get(-1)).toBe('');
    // ~40 bytes each: the blocks hold the UTF-8, not JS strings
    expect(strings.bytes()).toBeLessThan(n * 60);
  });
});
