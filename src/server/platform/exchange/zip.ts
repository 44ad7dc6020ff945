/**
 * A ZIP archive written front to back in constant memory: each entry's local
 * header goes out before its data (flag bit 3: CRC and sizes follow the data in
 * a data descriptor), its data is deflated as a stream, and the central
 * directory closes the archive. No ZIP64: every size and offset must stay
 * below 4 GiB, which a spreadsheet of a million customers (a few hundred MB of
 * sheet XML) does not reach; past it the writer throws rather than write a
 * broken archive.
 */
import zlib from 'node:zlib';

/** Where the archive's bytes go; resolves when the next chunk may be written (back-pressure). */
export type ByteSink = (chunk: Buffer) => Promise<void>;

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate
const FLAGS = 0x0008 | 0x0800; // sizes in the data descriptor; names in UTF-8
const DEFLATE = 8;
const MAX_32 = 0xffffffff;

interface WrittenEntry {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** MS-DOS date and time of the entries (local time, two-second steps), as ZIP keeps them. */
function dosDateTime(at: Date): { date: number; time: number } {
  return {
    date: ((at.getFullYear() - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
  };
}

function fits32(n: number, what: string): number {
  if (n > MAX_32) throw new Error(`ZIP part too large without ZIP64: ${what}`);
  return n;
}

export class ZipWriter {
  private offset = 0;
  private readonly entries: WrittenEntry[] = [];
  private readonly stamp: { date: number; time: number };
  private open = false;

  constructor(private readonly sink: ByteSink, at = new Date()) {
    this.stamp = dosDateTime(at);
  }

  private async emit(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    await this.sink(chunk);
  }

  /** A small part given whole. */
  async add(name: string, content: string): Promise<void> {
    const entry = await this.begin(name);
    await entry.write(Buffer.from(content, 'utf8'));
    await entry.end();
  }

  /** A part written piece by piece; end it before beginning the next one. */
  async begin(name: string): Promise<ZipEntryWriter> {
    if (this.open) throw new Error('ZIP entry still open');
    this.open = true;
    const entry: WrittenEntry = { name: Buffer.from(name, 'utf8'), crc: 0, compressedSize: 0, size: 0, offset: this.offset };
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4);
    header.writeUInt16LE(FLAGS, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    // CRC-32 and sizes (14..25) stay 0: the data descriptor carries them
    header.writeUInt16LE(entry.name.length, 26);
    await this.emit(Buffer.concat([header, entry.name]));
    return new ZipEntryWriter((chunk) => this.emit(chunk), async (done) => {
      Object.assign(entry, done);
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
      descriptor.writeUInt32LE(done.crc, 4);
      descriptor.writeUInt32LE(fits32(done.compressedSize, entry.name.toString()), 8);
      descriptor.writeUInt32LE(fits32(done.size, entry.name.toString()), 12);
      await this.emit(descriptor);
      this.entries.push(entry);
      this.open = false;
    });
  }

  /** Writes the central directory; the archive is complete after it. */
  async finish(): Promise<void> {
    if (this.open) throw new Error('ZIP entry still open');
    const start = fits32(this.offset, 'central directory offset');
    const headers = this.entries.map((e) => {
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL_HEADER, 0);
      h.writeUInt16LE(VERSION, 4); // made by: MS-DOS attributes, version 2.0
      h.writeUInt16LE(VERSION, 6);
      h.writeUInt16LE(FLAGS, 8);
      h.writeUInt16LE(DEFLATE, 10);
      h.writeUInt16LE(this.stamp.time, 12);
      h.writeUInt16LE(this.stamp.date, 14);
      h.writeUInt32LE(e.crc, 16);
      h.writeUInt32LE(e.compressedSize, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      // extra field, comment, disk number, attributes (30..41) stay 0
      h.writeUInt32LE(fits32(e.offset, 'entry offset'), 42);
      return Buffer.concat([h, e.name]);
    });
    const directory = Buffer.concat(headers);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.emit(Buffer.concat([directory, end]));
  }
}

/** One entry's data through a raw deflate stream, its CRC-32 and sizes counted on the way. */
export class ZipEntryWriter {
  private crc = 0;
  private size = 0;
  private compressedSize = 0;
  private readonly deflate = zlib.createDeflateRaw();
  /** Forwards the compressed output; reading it only as fast as the sink takes it is the back-pressure. */
  private readonly forwarded: Promise<void>;

  constructor(
    sink: ByteSink,
    private readonly ended: (done: { crc: number; size: number; compressedSize: number }) => Promise<void>,
  ) {
    this.forwarded = (async () => {
      for await (const chunk of this.deflate as AsyncIterable<Buffer>) {
        this.compressedSize += chunk.length;
        await sink(chunk);
      }
    })();
    // a failing sink (the client went away) surfaces in write() or end(), not as an unhandled rejection
    this.forwarded.catch(() => {});
    this.deflate.on('error', () => {}); // reaches `forwarded` through the iterator
  }

  /** Rejects with the sink's error once forwarding has stopped (the deflate stream is destroyed then). */
  private async stillForwarding(): Promise<void> {
    if (this.deflate.destroyed) await this.forwarded;
  }

  async write(data: Buffer): Promise<void> {
    await this.stillForwarding();
    this.crc = zlib.crc32(data, this.crc);
    this.size += data.length;
    if (!this.deflate.write(data)) await Promise.race([new Promise((resolve) => this.deflate.once('drain', resolve)), this.forwarded]);
  }

  async end(): Promise<void> {
    await this.stillForwarding();
    this.deflate.end();
    await this.forwarded;
    await this.ended({ crc: this.crc, size: this.size, compressedSize: this.compressedSize });
  }
}
