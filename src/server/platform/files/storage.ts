/**
 * Where uploaded files live. One interface, so an S3-compatible store can take
 * the local folder's place; keys are opaque and chosen by the server.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
}

export interface FileStorage {
  /** Stores a stream; refuses (and keeps nothing) past maxBytes. */
  put(prefix: string, content: Readable, maxBytes: number): Promise<StoredFile>;
  get(key: string): Promise<Readable>;
  /**
   * The file at a local path for reading with random access (an XLSX is read
   * by its directory at the end); `release` when done. A remote store would
   * download it to a temporary file here.
   */
  local(key: string): Promise<{ path: string; release(): Promise<void> }>;
  delete(key: string): Promise<void>;
}

export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`file larger than ${maxBytes} bytes`);
  }
}

/** Files under a folder (default: the data folder's files/), written to a temporary name first. */
export class LocalFileStorage implements FileStorage {
  constructor(readonly root: string) {}

  private path(key: string): string {
    if (!/^[\w/-]+$/.test(key) || key.includes('..')) throw new Error(`bad storage key ${key}`);
    return join(this.root, key);
  }

  async put(prefix: string, content: Readable, maxBytes: number): Promise<StoredFile> {
    const key = `${prefix}/${new Date().toISOString().slice(0, 7)}/${randomUUID()}`;
    const target = this.path(key);
    const temp = `${target}.part`;
    await mkdir(dirname(target), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new FileTooLargeError(maxBytes));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(content, meter, createWriteStream(temp, { flags: 'wx' }));
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    await stat(path); // a missing file fails here, before any byte is sent
    return createReadStream(path);
  }

  async local(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const path = this.path(key);
    await stat(path);
    return { path, release: async () => {} };
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

/**
 * What may be uploaded, by extension, and the type it is served as. No HTML,
 * SVG or script: a download can never run in the CRM's origin.
 */
export const ALLOWED_TYPES: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip', rar: 'application/vnd.rar', '7z': 'application/x-7z-compressed',
  mp3: 'audio/mpeg', m4a: 'audio/mp4', wav: 'audio/wav', amr: 'audio/amr', mp4: 'video/mp4',
};

export const extensionOf = (fileName: string) => (/\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1] ?? '').toLowerCase();
