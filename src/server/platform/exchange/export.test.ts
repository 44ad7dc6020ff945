import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { sheetRows } from '../../../../test/helpers/xlsx.js';
import { AppError } from '../http/errors.js';
import { type ExportColumn, pickColumns, streamSink, writeExport } from './export.js';

interface Row {
  name: string;
  staff: number | null;
}
const COLUMNS: ExportColumn<Row>[] = [
  { key: 'name', header: { 'zh-CN': '客户名称', en: 'Customer name' }, value: (r) => r.name },
  { key: 'staff', header: { 'zh-CN': '员工数', en: 'Staff' }, value: (r) => r.staff },
];

async function* batches(count: number, size: number): AsyncGenerator<Row[]> {
  for (let start = 0; start < count; start += size) {
    yield Array.from({ length: Math.min(size, count - start) }, (_, i) => ({ name: `客户${start + i}`, staff: start + i }));
  }
}

/** A destination with a tiny buffer that drains slowly: writers that ignore back-pressure would pile up in it. */
function slowDestination() {
  const chunks: Buffer[] = [];
  let peak = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      peak = Math.max(peak, out.writableLength);
      setTimeout(done, 0);
    },
  });
  /** Everything written, once the destination has taken it all. */
  const bytes = async () => {
    out.end();
    await finished(out);
    return Buffer.concat(chunks);
  };
  return { out, bytes, peak: () => peak };
}

describe('export', () => {
  it('writes CSV with a BOM and headers in the caller’s language, waiting for the destination to drain', async () => {
    const dest = slowDestination();
    const rows = await writeExport(streamSink(dest.out), { format: 'csv', locale: 'en', title: 'x', columns: COLUMNS, batches: batches(5000, 1000) });
    expect(rows).toBe(5000);
    const text = (await dest.bytes()).toString('utf8');
    expect(text.startsWith('\uFEFFCustomer name,Staff\r\n客户0,0\r\n')).toBe(true);
    expect(text.split('\r\n').length).toBe(5002);
    expect(dest.peak()).toBeLessThanOrEqual(128 * 1024); // one piece at a time, not the whole file
  });

  it('writes XLSX with the chosen columns in the chosen order', async () => {
    const dest = slowDestination();
    const columns = pickColumns(COLUMNS, ['staff', 'name']);
    await writeExport(streamSink(dest.out), { format: 'xlsx', locale: 'zh-CN', title: '客户', columns, batches: batches(3, 2) });
    expect(sheetRows(await dest.bytes())).toEqual([['员工数', '客户名称'], [0, '客户0'], [1, '客户1'], [2, '客户2']]);
  });

  it('refuses unknown columns, naming them', () => {
    expect(pickColumns(COLUMNS, undefined).map((c) => c.key)).toEqual(['name', 'staff']);
    try {
      pickColumns(COLUMNS, ['name', 'salary']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).fields).toEqual([{ path: 'columns.salary', message: 'unknownColumn' }]);
    }
  });

  it('stops when the destination closes early', async () => {
    const dest = slowDestination();
    setTimeout(() => dest.out.destroy(), 5);
    await expect(writeExport(streamSink(dest.out), { format: 'xlsx', locale: 'zh-CN', title: 'x', columns: COLUMNS, batches: batches(200_000, 1000) })).rejects.toThrow();
  });
});
