/**
 * Several app servers on one PostgreSQL: two real server processes (src/server/main.ts,
 * as `npm start` runs it) on loopback ports share sessions, see each other's changes at
 * once, and fire a scheduled job once per slot although both run pg-boss's scheduler
 * and workers. PGlite is one process's embedded database, so this runs on PostgreSQL
 * only (`npm run test:pg`); the PGlite run reports it as skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/server/db/database.js';
import { sql } from '../src/server/db/sql.js';
import { type CreatedTenant, createTenant } from '../src/server/modules/tenants/tenants.service.js';
import { ApiClient } from './helpers/api.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from './helpers/server-process.js';
import { openTestDatabase } from './helpers/testdb.js';

const onPostgres = !!process.env.CRM_TEST_DATABASE_URL;
const PASSWORD = 'admin-pass-1';

let db: Database & { url?: string };
let tenant: CreatedTenant;
let dataDir: string;
const servers: ServerProcess[] = [];
let a: ServerProcess;
let b: ServerProcess;

function startServer(name: string): Promise<ServerProcess> {
  return startServerProcess(name, {
    DATABASE_URL: db.url,
    CRM_DATA_DIR: dataDir,
    // a cheap job, scheduled where it does not fire now (the test reschedules it); schedules checked every second
    CRM_JOB_CRON_SESSION_CLEANUP: '0 0 1 1 *',
    CRM_CRON_CHECK_SECONDS: '1',
    CRM_JOB_POLL_SECONDS: '0.5',
  }).then((s) => {
    servers.push(s);
    return s;
  });
}

/** A second client carrying the same session cookie and CSRF token to another server. */
function sameSessionOn(server: ServerProcess, client: ApiClient): ApiClient {
  const other = new ApiClient(server.url);
  other.cookie = client.cookie;
  other.csrf = client.csrf;
  return other;
}

const login = (server: ServerProcess, email: string, password = PASSWORD) => new ApiClient(server.url).login(email, password);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!onPostgres)('two app servers on one PostgreSQL (needs PostgreSQL: runs in `npm run test:pg`)', () => {
  beforeAll(async () => {
    db = await openTestDatabase(); // a fresh database, migrated; the servers migrate again on start (a no-op)
    tenant = await createTenant(db, { code: 'acme', name: '测试公司', admin: { name: '管理员', email: 'admin@acme.test', password: PASSWORD } });
    // an expired session for the scheduled clean-up to delete (it keeps them a day)
    await db.system((q) =>
      q.query(sql`INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, expires_at)
        VALUES (${tenant.tenantId}, ${tenant.adminId}, ${Buffer.from('expired')}, 'x', now() - interval '3 days')`),
    );
    dataDir = mkdtempSync(join(tmpdir(), 'crm-servers-'));
    [a, b] = await Promise.all([startServer('A'), startServer('B')]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('runs two separate processes', async () => {
    expect(a.child.pid).not.toBe(b.child.pid);
    expect(a.url).not.toBe(b.url);
    for (const s of [a, b]) expect((await new ApiClient(s.url).get('/api/health')).body).toMatchObject({ status: 'ok', database: 'postgres' });
  });

  it('shares sessions: signed in on A, working on B; signed out on B, refused on A', async () => {
    const onA = await login(a, 'admin@acme.test');
    const onB = sameSessionOn(b, onA);
    const me = await onB.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: tenant.adminId, email: 'admin@acme.test' });
    // a write with the session's CSRF token, on B, read back on A
    const created = await onB.post('/api/v1/customers', { name: '跨服务器客户' });
    expect(created.status).toBe(201);
    expect((await onA.get(`/api/v1/customers/${created.body.id}`)).body.name).toBe('跨服务器客户');

    const cookie = onA.cookie;
    expect((await onB.post('/api/v1/auth/logout', {})).status).toBeLessThan(300);
    const afterLogout = new ApiClient(a.url);
    afterLogout.cookie = cookie;
    expect((await afterLogout.get('/api/v1/auth/me')).status).toBe(401);
    expect((await sameSessionOn(b, afterLogout).get('/api/v1/auth/me')).status).toBe(401);
  });

  it('serves a file uploaded through A from B, both on one files folder (as a shared volume would be)', async () => {
    const onA = await login(a, 'admin@acme.test');
    const customer = (await onA.post('/api/v1/customers', { name: '附件客户' })).body;
    const bytes = new TextEncoder().encode('%PDF-1.4 合同扫描件');
    const up = await onA.upload(`/api/v1/attachments?entityType=customer&entityId=${customer.id}&fileName=contract.pdf`, bytes);
    expect(up.status).toBe(201);
    const res = await fetch(`${b.url}/api/v1/attachments/${up.body.id}/download`, { headers: { cookie: onA.cookie! } });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it('has no per-server caches to go stale: a role or dictionary changed on A applies on B at once', async () => {
    const admin = await login(a, 'admin@acme.test');
    const role = await admin.post('/api/v1/roles', { name: '只看客户', permissions: ['customer.view'], dataScopes: { customer: 'all' } });
    expect(role.status).toBe(201);
    const user = await admin.post('/api/v1/users', {
      name: '跨服务器用户', email: 'viewer@acme.test', departmentId: tenant.rootDepartmentId, password: 'password-123', roleIds: [role.body.id],
    });
    expect(user.status).toBe(201);
    const viewerOnB = await login(b, 'viewer@acme.test', 'password-123');
    expect((await viewerOnB.get('/api/v1/customers')).status).toBe(200);

    expect((await admin.patch(`/api/v1/roles/${role.body.id}`, { permissions: [] })).status).toBe(200);
    expect((await viewerOnB.get('/api/v1/customers')).status).toBe(403);
    expect((await admin.patch(`/api/v1/roles/${role.body.id}`, { permissions: ['customer.view'] })).status).toBe(200);
    expect((await viewerOnB.get('/api/v1/customers')).status).toBe(200);

    // disabling the user on A signs them out on B
    expect((await admin.put(`/api/v1/users/${user.body.id}/status`, { status: 'disabled' })).status).toBeLessThan(300);
    expect((await viewerOnB.get('/api/v1/customers')).status).toBe(401);

    const adminOnB = sameSessionOn(b, admin);
    expect((await admin.post('/api/v1/dictionaries/customer_source', { code: 'trade_fair', label: '展会' })).status).toBe(201);
    const sources = (await adminOnB.get('/api/v1/dictionaries')).body.customer_source as { code: string; label: string }[];
    expect(sources).toContainEqual(expect.objectContaining({ code: 'trade_fair', label: '展会' }));
    expect((await adminOnB.patch('/api/v1/dictionaries/customer_source/trade_fair', { label: '行业展会' })).status).toBe(200);
    const again = (await admin.get('/api/v1/dictionaries')).body.customer_source as { code: string; label: string }[];
    expect(again).toContainEqual(expect.objectContaining({ code: 'trade_fair', label: '行业展会' }));
  });

  it('fires a scheduled job once per slot although both servers run the scheduler and workers', { timeout: 60_000 }, async () => {
    // pg-boss's slots are whole minutes of the database clock. The servers started with the
    // job on 1 January only; now, with both up, it is due every minute, as a server
    // starting with CRM_JOB_CRON_SESSION_CLEANUP='* * * * *' would store it in the shared
    // schedule. Both servers check the schedules every second: the current minute is due
    // at once, and each server's scheduler gets its turns while we watch.
    const { rescheduled } = (await db.system((q) =>
      q.one<{ rescheduled: number }>(sql`UPDATE pgboss.schedule SET cron = '* * * * *', updated_on = now() WHERE name = 'session-cleanup'
        RETURNING (extract(epoch FROM now()) * 1000)::float8 AS rescheduled`),
    ))!;
    const slot = Math.floor(rescheduled / 60_000) * 60_000;
    const jobs = (name: string) =>
      db.system((q) =>
        q.query<{ state: string; retry_count: number; output: { deleted?: number } | null; slot: number | null }>(sql`
          SELECT state, retry_count, output, (extract(epoch FROM singleton_on) * 1000)::float8 AS slot
          FROM (SELECT name, state, retry_count, output, singleton_key, singleton_on, created_on FROM pgboss.job WHERE name = ${name}
                UNION ALL
                SELECT name, state, retry_count, output, singleton_key, singleton_on, created_on FROM pgboss.archive WHERE name = ${name}) j
          WHERE name <> '__pgboss__send-it' OR singleton_key = 'session-cleanup'
          ORDER BY created_on`),
      );
    /** What the schedulers queued (one `send-it` job a slot) and the cleanup jobs they became. */
    const observe = async () => ({ fired: await jobs('__pgboss__send-it'), runs: await jobs('session-cleanup') });
    const settled = ({ fired, runs }: Awaited<ReturnType<typeof observe>>) =>
      fired.some((f) => f.slot! >= slot) && [...fired, ...runs].every((j) => j.state === 'completed') && runs.length >= fired.length;
    const waitSettled = async (deadline: number) => {
      for (;;) {
        const seen = await observe();
        if (settled(seen)) return seen;
        if (Date.now() > deadline)
          throw new Error(`slot ${new Date(slot).toISOString()} not run: ${JSON.stringify(seen)}\n${servers.map((s) => s.output.join('')).join('\n')}`);
        await sleep(250);
      }
    };
    await waitSettled(Date.now() + 20_000);
    // both schedulers keep checking every second: give them time to fire the slot again
    await sleep(5_000);
    const { fired, runs } = await waitSettled(Date.now() + 15_000);

    const slots = fired.map((f) => f.slot!);
    expect(new Set(slots).size, JSON.stringify({ fired, runs })).toBe(slots.length); // one per slot (pg-boss's singleton)
    expect(Math.min(...slots)).toBeGreaterThanOrEqual(slot); // nothing on the January schedule
    expect(Math.min(...slots)).toBeLessThanOrEqual(slot + 60_000); // and at once (or the next minute, rescheduled at :59)
    // each fired slot became exactly one job, run once by one of the two servers' workers
    expect(runs, JSON.stringify({ fired, runs })).toHaveLength(fired.length);
    expect(runs.every((r) => r.state === 'completed' && r.retry_count === 0)).toBe(true);
    // the expired session went in exactly one run
    expect(runs.reduce((n, r) => n + (r.output?.deleted ?? 0), 0)).toBe(1);
    const left = await db.system((q) => q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM sessions WHERE token_hash = ${Buffer.from('expired')}`));
    expect(left!.n).toBe(0);
  });
});
