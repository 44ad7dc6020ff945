import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/server/app.js';
import type { Database } from '../../src/server/db/database.js';
import { type CreatedTenant, createTenant } from '../../src/server/modules/tenants/tenants.service.js';
import { ApiClient } from './api.js';
import { openTestDatabase } from './testdb.js';
import { LocalFileStorage } from '../../src/server/platform/files/storage.js';

export const ADMIN_PASSWORD = 'admin-pass-1';

export interface TestApp {
  url: string;
  db: Database;
  app: FastifyInstance;
  tenant: CreatedTenant;
  /** Where this app's uploads go. */
  filesDir: string;
  /** A client signed in as the tenant's first super administrator. */
  admin: ApiClient;
  client(): ApiClient;
  /** Another company in the same database, with its own administrator. */
  addTenant(code: string): Promise<{ tenant: CreatedTenant; admin: ApiClient }>;
  close(): Promise<void>;
}

/** The real server on a fresh database, listening on a loopback port. */
export async function startTestApp(options: Pick<AppOptions, 'imports'> = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const tenant = await createTenant(db, { code: 'acme', name: '测试公司', admin: { name: '管理员', email: 'admin@acme.test', password: ADMIN_PASSWORD } });
  const filesDir = await mkdtemp(join(tmpdir(), 'crm-test-files-'));
  const app = await buildApp({ db, config: { logLevel: 'warn', trustProxy: false, secureCookies: false }, webDir: '/nonexistent', files: new LocalFileStorage(filesDir), ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const admin = await new ApiClient(url).login('admin@acme.test', ADMIN_PASSWORD);
  return {
    url,
    db,
    app,
    tenant,
    filesDir,
    admin,
    client: () => new ApiClient(url),
    async addTenant(code) {
      const t = await createTenant(db, { code, name: `公司 ${code}`, admin: { name: '管理员', email: `admin@${code}.test`, password: ADMIN_PASSWORD } });
      return { tenant: t, admin: await new ApiClient(url).login(`admin@${code}.test`, ADMIN_PASSWORD) };
    },
    async close() {
      await app.close();
      await rm(filesDir, { recursive: true, force: true });
      await db.close();
    },
  };
}
