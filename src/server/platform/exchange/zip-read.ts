/**
 * Reading a ZIP archive with random access: the central directory is read from
 * the end of the file, small parts are read whole, and a large part (a sheet)
 * is streamed through inflate straight from its byte range, so the archive is
 * never held in memory. ZIP64 records are followed where they appear (some
 * .NET writers emit them even for small files); encryption and compression
 * methods other than stored/deflate are refused.
 */
import type { FileHandle } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';

export type TableFormatReason =
  | 'not_xlsx' // not a ZIP at all (an old .xls, an encrypted workbook, a renamed CSV)
  | 'not_csv' // a binary file (ZIP, .xls) given as CSV
  | 'bad_zip' // a damaged archive: directory, inflate or CRC errors
  | 'unsupported_zip' // encrypted entries, compression other than stored/deflate
  | 'no_sheet' // a ZIP without any worksheet
  | 'too_many_columns'
  | 'row_too_large'; // one row (or an unclosed CSV quote) beyond the size limit

/** Rows wider than this are refused: no import has that many fields, and it bounds a row's memory. */
export const MAX_COLUMNS = 500;
/** One row's text (or an unclosed CSV quote swallowing the file) may not exceed this many characters. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

/** The file cannot be read as the table format it was given as; `reason` is for the caller to pick a message. */
export class TableFormatError extends Error {
  constructor(
    readonly reason: TableFormatReason,
    message: string,
  ) {
    super(message);
    this.name = 'TableFormatError';
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** A workbook's directory is a few KB; this bounds what a hostile file can make us allocate. */
const MAX_DIRECTORY = 64 * 1024 * 1024;
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const bad = (message: string) => new TableFormatError('bad_zip', message);

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw bad('unexpected end of file');
    done += bytesRead;
  }
  return buf;
}

/** A 64-bit little-endian value as a number (exact below 2^53, far past any file we read). */
const u64 = (b: Buffer, at: number) => b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 0x1_0000_0000;

export class ZipReader {
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(
    private readonly fh: FileHandle,
    readonly fileSize: number,
    readonly entries: readonly ZipEntry[],
  ) {
    // part names are case-insensitive in OPC
    for (const e of entries) this.byName.set(e.name.toLowerCase(), e);
  }

  static async open(fh: FileHandle): Promise<ZipReader> {
    const fileSize = (await fh.stat()).size;
    const head = await readAt(fh, 0, Math.min(8, fileSize));
    if (head.length >= 8 && head.equals(OLE2_MAGIC)) {
      throw new TableFormatError('not_xlsx', 'an old .xls or a password-protected workbook, not an .xlsx file');
    }
    if (fileSize < 22) throw new TableFormatError('not_xlsx', 'not a ZIP archive (too short)');
    const tailLength = Math.min(fileSize, 22 + MAX_COMMENT);
    const tail = await readAt(fh, fileSize - tailLength, tailLength);
    // the last signature whose comment length reaches exactly to the end (the comment may contain the signature)
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      throw new TableFormatError(head.readUInt32LE(0) === LOCAL ? 'bad_zip' : 'not_xlsx', head.readUInt32LE(0) === LOCAL ? 'ZIP archive without its directory (truncated?)' : 'not a ZIP archive');
    }
    let count = tail.readUInt16LE(at + 10);
    let dirSize = tail.readUInt32LE(at + 12);
    let dirOffset = tail.readUInt32LE(at + 16);
    const eocdPosition = fileSize - tailLength + at;
    if ((count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) && eocdPosition >= 20) {
      const locator = await readAt(fh, eocdPosition - 20, 20);
      if (locator.readUInt32LE(0) === ZIP64_LOCATOR) {
        const recordAt = u64(locator, 8);
        if (recordAt + 56 > fileSize) throw bad('ZIP64 record out of range');
        const record = await readAt(fh, recordAt, 56);
        if (record.readUInt32LE(0) !== ZIP64_EOCD) throw bad('bad ZIP64 record');
        count = u64(record, 32);
        dirSize = u64(record, 40);
        dirOffset = u64(record, 48);
      }
    }
    if (dirSize > MAX_DIRECTORY || dirOffset + dirSize > fileSize) throw bad('ZIP directory out of range');
    const dir = await readAt(fh, dirOffset, dirSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw bad(`bad ZIP directory entry ${i}`);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      if (p + 46 + nameLength + extraLength + commentLength > dir.length) throw bad(`bad ZIP directory entry ${i}`);
      const entry: ZipEntry = {
        name: dir.toString('utf8', p + 46, p + 46 + nameLength),
        flags: dir.readUInt16LE(p + 8),
        method: dir.readUInt16LE(p + 10),
        crc: dir.readUInt32LE(p + 16),
        compressedSize: dir.readUInt32LE(p + 20),
        size: dir.readUInt32LE(p + 24),
        localOffset: dir.readUInt32LE(p + 42),
      };
      if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
        readZip64Extra(dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), entry);
      }
      entries.push(entry);
      p += 46 + nameLength + extraLength + commentLength;
    }
    return new ZipReader(fh, fileSize, entries);
  }

  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name.toLowerCase());
  }

  private async dataStart(entry: ZipEntry): Promise<number> {
    if (entry.flags & 0x0001) throw new TableFormatError('unsupported_zip', `encrypted ZIP entry ${entry.name}`);
    if (entry.method !== 0 && entry.method !== 8) throw new TableFormatError('unsupported_zip', `compression method ${entry.method} of ${entry.name}`);
    if (entry.localOffset + 30 > this.fileSize) throw bad(`local header of ${entry.name} out of range`);
    const local = await readAt(this.fh, entry.localOffset, 30);
    if (local.readUInt32LE(0) !== LOCAL) throw bad(`bad local header of ${entry.name}`);
    // the local extra field may differ from the central one
    const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + entry.compressedSize > this.fileSize) throw bad(`data of ${entry.name} out of range`);
    return start;
  }

  /** A small part whole (workbook, relationships, styles), checked against its CRC. */
  async read(entry: ZipEntry, maxSize = 256 * 1024 * 1024): Promise<Buffer> {
    if (entry.size > maxSize) throw new TableFormatError('row_too_large', `${entry.name} is too large`);
    const start = await this.dataStart(entry);
    if (entry.size === 0 && entry.compressedSize <= 2) return Buffer.alloc(0);
    const raw = await readAt(this.fh, start, entry.compressedSize);
    let data: Buffer;
    try {
      data = entry.method === 8 ? zlib.inflateRawSync(raw, { maxOutputLength: Math.max(entry.size, 1) }) : raw;
    } catch (err) {
      throw bad(`cannot inflate ${entry.name}: ${(err as Error).message}`);
    }
    if (data.length !== entry.size || zlib.crc32(data) !== entry.crc) throw bad(`${entry.name} is damaged (size or CRC)`);
    return data;
  }

  /**
   * A part's uncompressed bytes as a stream; `consumed()` counts the
   * compressed bytes taken from the file so far (the basis of progress).
   * The CRC and size are checked at the end.
   */
  async stream(entry: ZipEntry, readChunk = 256 * 1024): Promise<EntryStream> {
    const start = await this.dataStart(entry);
    return new EntryStream(this.fh, entry, start, readChunk);
  }
}

function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      // only the fields that are 0xFFFFFFFF in the directory are present, in this order
      let q = p + 4;
      const take = () => {
        if (q + 8 > p + 4 + length) throw bad(`bad ZIP64 field of ${entry.name}`);
        const v = u64(extra, q);
        q += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localOffset === 0xffffffff) entry.localOffset = take();
      return;
    }
    p += 4 + length;
  }
  throw bad(`ZIP64 sizes of ${entry.name} missing`);
}

/**
 * Bytes [start, end) of the file in chunks, by positional reads: unlike an fs
 * read stream, stopping early never closes the shared file handle.
 */
export async function* readRange(fh: FileHandle, start: number, end: number, chunk: number, onRead?: (n: number) => void): AsyncGenerator<Buffer> {
  for (let pos = start; pos < end; ) {
    const buf = Buffer.allocUnsafe(Math.min(chunk, end - pos));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) return; // the file got shorter; what was read is all there is
    pos += bytesRead;
    onRead?.(bytesRead);
    yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }
}

export class EntryStream implements AsyncIterable<Buffer> {
  private read = 0;
  private inflate: zlib.InflateRaw | null = null;

  constructor(
    private readonly fh: FileHandle,
    readonly entry: ZipEntry,
    private readonly start: number,
    private readonly readChunk: number,
  ) {}

  /** Compressed bytes read from the file, 0..1 of the entry. */
  progress(): number {
    return this.entry.compressedSize ? this.read / this.entry.compressedSize : 1;
  }

  destroy(): void {
    this.inflate?.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const { entry } = this;
    const raw = readRange(this.fh, this.start, this.start + entry.compressedSize, this.readChunk, (n) => (this.read += n));
    let source: AsyncIterable<Buffer> = raw;
    if (entry.method === 8) {
      // a deep buffer lets inflate (on the thread pool) run ahead while the caller parses
      this.inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024, highWaterMark: 1024 * 1024 } as zlib.ZlibOptions);
      pipeline(Readable.from(raw, { objectMode: false }), this.inflate, () => {}); // an error reaches the loop below through `inflate`
      source = this.inflate;
    }
    let crc = 0;
    let size = 0;
    try {
      for await (const chunk of source) {
        crc = zlib.crc32(chunk, crc);
        size += chunk.length;
        yield chunk;
      }
    } catch (err) {
      if (typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('Z_')) {
        throw bad(`cannot inflate ${entry.name}: ${(err as Error).message}`);
      }
      throw err;
    } finally {
      this.destroy();
    }
    if (size !== entry.size || crc !== entry.crc) throw bad(`${entry.name} is damaged (size or CRC)`);
  }
}
