import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/helpers/testdb.js';
import type { Database } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { createTenant } from '../../modules/tenants/tenants.service.js';
import { PLATFORM_JOBS, startJobs, type Jobs } from './jobs.js';

let db: Database;
let jobs: Jobs;
beforeAll(async () => {
  db = await openTestDatabase();
  jobs = await startJobs(db, PLATFORM_JOBS, { pollingIntervalSeconds: 0.5 });
});
afterAll(async () => {
  await jobs?.stop();
  await db?.close();
});

it('cleans up expired sessions as a scheduled job, on this backend', async () => {
  const t = await createTenant(db, { code: 'jobs', name: 'jobs', admin: { name: 'a', email: 'a@jobs.test', password: 'password-123' } });
  const insert = (hash: string, expires: string) =>
    db.system((q) =>
      q.query(sql`INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, expires_at)
        VALUES (${t.tenantId}, ${t.adminId}, ${Buffer.from(hash)}, 'x', now() + ${expires}::interval)`),
    );
  await insert('expired-long-ago', '-3 days');
  await insert('still-valid', '2 days');

  const schedules = await db.system((q) => q.query<{ name: string; cron: string }>(sql`SELECT name, cron FROM pgboss.schedule`));
  expect(schedules).toContainEqual({ name: 'session-cleanup', cron: expect.stringMatching(/^\d+ \* \* \* \*$/) });

  const id = await jobs.send('session-cleanup');
  const result = await jobs.waitFor('session-cleanup', id);
  expect(result.state).toBe('completed');
  expect(result.output).toEqual({ deleted: 1 });
  const left = await db.system((q) => q.query<{ token_hash: Buffer }>(sql`SELECT token_hash FROM sessions`));
  expect(left.map((r) => Buffer.from(r.token_hash).toString())).toEqual(['still-valid']);
});
