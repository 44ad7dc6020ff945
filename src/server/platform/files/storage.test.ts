import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTooLargeError, LocalFileStorage } from './storage.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('local file storage', () => {
  it('stores, reads back and deletes, with size and hash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-files-'));
    dirs.push(dir);
    const storage = new LocalFileStorage(dir);
    const stored = await storage.put('t1', Readable.from([Buffer.from('你好，'), Buffer.from('世界')]), 100);
    expect(stored.size).toBe(Buffer.byteLength('你好，世界'));
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    const chunks: Buffer[] = [];
    for await (const c of await storage.get(stored.key)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('你好，世界');
    await storage.delete(stored.key);
    await expect(storage.get(stored.key)).rejects.toThrow();
  });

  it('refuses a file past the limit and leaves nothing behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-files-'));
    dirs.push(dir);
    const storage = new LocalFileStorage(dir);
    await expect(storage.put('t1', Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), 100)).rejects.toBeInstanceOf(FileTooLargeError);
    const month = (await readdir(join(dir, 't1')))[0]!;
    expect(await readdir(join(dir, 't1', month))).toEqual([]);
    expect(() => storage.get('../etc/passwd')).rejects.toThrow(/bad storage key/);
  });
});
