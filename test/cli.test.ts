/** The administration commands, run as a fresh machine would run them: as child processes on the configured database. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Database, openPglite, openPostgres } from '../src/server/db/database.js';
import { sql } from '../src/server/db/sql.js';
import { openTestDatabase } from './helpers/testdb.js';

const run = promisify(execFile);
let env: NodeJS.ProcessEnv;
let open: () => Promise<Database>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (process.env.CRM_TEST_DATABASE_URL) {
    const db = await openTestDatabase();
    const url = (db as { url?: string }).url!;
    env = { ...process.env, DATABASE_URL: url };
    open = async () => openPostgres(url);
    cleanup = () => db.close();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'crm-cli-'));
    env = { ...process.env, CRM_DATA_DIR: dir, DATABASE_URL: '' };
    open = () => openPglite(join(dir, 'pgdata'));
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup?.());

const crm = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], { env });

it('creates the first administrator, then another company, by command', { timeout: 120_000 }, async () => {
  const first = await crm('admin:create', '--email', 'boss@first.test', '--password', 'password-123', '--company', '第一公司');
  expect(first.stdout).toContain('first super administrator');
  const second = await crm('tenant:create', '--code', 'second', '--name', '第二公司', '--admin-email', 'boss@second.test', '--admin-password', 'password-456');
  expect(second.stdout).toContain('第二公司');
  await expect(crm('tenant:create', '--code', 'Bad Code!', '--name', 'x')).rejects.toMatchObject({ code: 2 });
  const weak = crm('admin:create', '--email', 'x@first.test', '--password', 'short');
  await expect(weak).rejects.toMatchObject({ code: 2 });

  const db = await open();
  try {
    const rows = await db.system((q) =>
      q.query<{ code: string; name: string; admins: number; roles: number }>(sql`
        SELECT t.code, t.name,
          (SELECT count(*) FROM users u WHERE u.tenant_id = t.id AND u.is_super_admin) AS admins,
          (SELECT count(*) FROM roles r WHERE r.tenant_id = t.id) AS roles
        FROM tenants t ORDER BY t.id`),
    );
    expect(rows).toEqual([
      { code: 'default', name: '第一公司', admins: 1, roles: 7 },
      { code: 'second', name: '第二公司', admins: 1, roles: 7 },
    ]);
  } finally {
    await db.close();
  }
});
