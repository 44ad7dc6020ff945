/** Reading back what the export writers produce: a small ZIP reader and the rows of an inline-string sheet. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';

/** The entries of a ZIP archive, found through its central directory; throws on a CRC mismatch. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`bad local header of ${name}`);
    const dataStart = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(raw) : raw;
    if (data.length !== size) throw new Error(`size of ${name}: ${data.length} ≠ ${size}`);
    if (zlib.crc32(data) !== crc) throw new Error(`CRC of ${name}`);
    entries.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Python's zipfile.testzip over the archive (null when every entry reads back); undefined without python3. */
export function pythonTestZip(zip: Buffer): string | null | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'crm-zip-'));
  try {
    const file = join(dir, 'check.zip');
    writeFileSync(file, zip);
    const out = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip() or "OK")', file], { encoding: 'utf8' }).trim();
    return out === 'OK' ? null : out;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unescape = (s: string) =>
  s.replace(/&(lt|gt|quot|amp|#13);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#13': '\r' })[e]!);

/** The cells of sheet1 row by row: inline strings as text, numbers as numbers (empty cells left out). */
export function sheetRows(xlsx: Buffer): (string | number)[][] {
  const xml = readZip(xlsx).get('xl/worksheets/sheet1.xml')!.toString('utf8');
  return [...xml.matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map(([, row]) =>
    [...row!.matchAll(/<c ([^>]*)>(.*?)<\/c>/gs)].map(([, attrs, body]) =>
      attrs!.includes('t="inlineStr"') ? unescape(/<t[^>]*>(.*?)<\/t>/s.exec(body!)![1]!) : Number(/<v>(.*?)<\/v>/.exec(body!)![1]),
    ),
  );
}
