/**
 * A large download streamed to a file (never held in memory) with its client-side
 * timings, and the data rows of the CSV or XLSX file it left, counted by streaming.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

export interface Download {
  status: number;
  bytes: number;
  /** From sending the request: until the response headers, until the first body byte, until the last. */
  headersMs: number;
  firstByteMs: number;
  totalMs: number;
  /** The start of the body when the status is not 200 (the error). */
  error?: string;
}

export function download(url: string, headers: Record<string, string>, file: string): Promise<Download> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const ms = () => Math.round((performance.now() - t0) * 10) / 10;
    const req = request(url, { headers }, (res) => {
      const headersMs = ms();
      let firstByteMs = NaN;
      let bytes = 0;
      let head = '';
      res.on('data', (chunk: Buffer) => {
        if (!bytes) firstByteMs = ms();
        bytes += chunk.length;
        if (res.statusCode !== 200 && head.length < 2000) head += chunk.toString('utf8');
      });
      pipeline(res, createWriteStream(file)).then(
        () => resolve({ status: res.statusCode ?? 0, bytes, headersMs, firstByteMs, totalMs: ms(), ...(res.statusCode === 200 ? {} : { error: head }) }),
        reject,
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Counts a byte pattern across a stream's chunks (a match may straddle two). */
async function countPattern(stream: AsyncIterable<Buffer>, pattern: Buffer): Promise<number> {
  let n = 0;
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf = tail.length ? Buffer.concat([tail, chunk]) : chunk;
    for (let i = buf.indexOf(pattern); i !== -1; i = buf.indexOf(pattern, i + pattern.length)) n++;
    tail = buf.subarray(Math.max(0, buf.length - pattern.length + 1));
  }
  return n;
}

/** Where a ZIP entry's deflated data lie, from the central directory (the writer puts sizes there and in data descriptors). */
async function zipEntry(file: string, name: string): Promise<{ start: number; size: number; method: number }> {
  const fh = await open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const tailLen = Math.min(fileSize, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, fileSize - tailLen);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${file}: not a ZIP file`);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    for (let p = 0; p < cd.length && cd.readUInt32LE(p) === 0x02014b50; ) {
      const nameLen = cd.readUInt16LE(p + 28);
      const next = p + 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
      if (cd.toString('utf8', p + 46, p + 46 + nameLen) === name) {
        const local = cd.readUInt32LE(p + 42);
        const lh = Buffer.alloc(30);
        await fh.read(lh, 0, 30, local);
        return { start: local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28), size: cd.readUInt32LE(p + 20), method: cd.readUInt16LE(p + 10) };
      }
      p = next;
    }
    throw new Error(`${file}: no ${name}`);
  } finally {
    await fh.close();
  }
}

/**
 * The data rows of an export file (the header row not counted): CSV lines (no
 * field of the generated data holds a line break), or the sheet's <row> elements.
 */
export async function countRows(file: string, format: 'csv' | 'xlsx'): Promise<number> {
  if (format === 'csv') return (await countPattern(createReadStream(file), Buffer.from('\n'))) - 1;
  const e = await zipEntry(file, 'xl/worksheets/sheet1.xml');
  const raw = createReadStream(file, { start: e.start, end: e.start + e.size - 1 });
  return (await countPattern(e.method === 8 ? raw.pipe(createInflateRaw()) : raw, Buffer.from('<row '))) - 1;
}
