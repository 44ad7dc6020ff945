import { describe, expect, it } from 'vitest';
import { pythonTestZip, readZip, sheetRows } from '../../../../test/helpers/xlsx.js';
import { columnName, XlsxWriter, xmlText } from './xlsx.js';
import type { ByteSink } from './zip.js';

/** A sink that keeps what it gets, yielding to the event loop now and then like a slow client. */
function collector() {
  const chunks: Buffer[] = [];
  const sink: ByteSink = async (chunk) => {
    chunks.push(Buffer.from(chunk));
    if (chunks.length % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  };
  return { sink, bytes: () => Buffer.concat(chunks) };
}

describe('XLSX writer', () => {
  it('writes a workbook that reads back: Chinese text, numbers, escaping, a bold header', async () => {
    const out = collector();
    const xlsx = await XlsxWriter.start(out.sink, '客户');
    await xlsx.header(['客户名称', '员工数', '备注']);
    await xlsx.row(['北京云帆科技有限公司', 120, '<b>"A&B"</b>']);
    await xlsx.row(['上海𠮷野家', -0.5, 'bell\x07 gone\r\nkept']);
    await xlsx.row([null, 3, '=1+1']);
    await xlsx.row([' 前后有空格 ', 4, 'x']);
    await xlsx.finish();
    const file = out.bytes();

    const parts = readZip(file);
    expect([...parts.keys()]).toEqual([
      '[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml',
    ]);
    expect(parts.get('xl/workbook.xml')!.toString()).toContain('<sheet name="客户"');
    const sheet = parts.get('xl/worksheets/sheet1.xml')!.toString();
    expect(sheet).toContain('<c r="A1" t="inlineStr" s="1">');
    expect(sheet).toContain('<c r="B2"><v>120</v></c>');
    expect(sheet).toContain('&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;');
    expect(sheet).not.toMatch(/[\x07]/);
    // spaces at an end are kept by xml:space; other text goes without it (a million-row sheet is ~20% smaller)
    expect(sheet).toContain('<t xml:space="preserve"> 前后有空格 </t>');
    expect(sheet).toContain('<t>北京云帆科技有限公司</t>');
    expect(sheetRows(file)).toEqual([
      ['客户名称', '员工数', '备注'],
      ['北京云帆科技有限公司', 120, '<b>"A&B"</b>'],
      ['上海𠮷野家', -0.5, 'bell gone\r\nkept'],
      [3, '=1+1'], // an empty cell is left out; inline text is never a formula
      [' 前后有空格 ', 4, 'x'],
    ]);
    expect(pythonTestZip(file) ?? null).toBeNull();
  });

  it('streams many rows through one deflate stream with the sizes in the data descriptors', async () => {
    const out = collector();
    const xlsx = await XlsxWriter.start(out.sink, 'big');
    await xlsx.header(['n', 'text']);
    for (let i = 1; i <= 20_000; i++) await xlsx.row([i, `第${i}行 row ${i}`]);
    await xlsx.finish();
    const file = out.bytes();
    const rows = sheetRows(file);
    expect(rows.length).toBe(20_001);
    expect(rows[20_000]).toEqual([20_000, '第20000行 row 20000']);
    // local headers carry the data-descriptor flag and no sizes
    expect(file.readUInt16LE(6) & 0x0008).toBe(0x0008);
    expect(file.readUInt32LE(18)).toBe(0);
    expect(pythonTestZip(file) ?? null).toBeNull();
  });

  it('names columns past Z and keeps only characters XML allows', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(xmlText('a\x00b\x1Fc\uFFFEd\uD800e\tf\ng')).toBe('abcde\tf\ng');
    expect(xmlText('😀')).toBe('😀');
  });
});
