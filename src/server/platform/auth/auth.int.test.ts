import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { sql } from '../../db/sql.js';
import { MAX_FAILED_LOGINS } from './auth.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

async function createUser(email: string, password = 'password-123') {
  const dept = t.tenant.rootDepartmentId;
  const res = await t.admin.post('/api/v1/users', { name: email, email, departmentId: dept, password, roleIds: [t.tenant.roleIds.sales_rep] });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

describe('sign-in', () => {
  it('signs in by e-mail or mobile number and logs every attempt', async () => {
    await t.admin.post('/api/v1/users', {
      name: '手机用户', mobile: '+86 139-1234-5678', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [],
    });
    const byMobile = await t.client().post('/api/v1/auth/login', { login: '13912345678', password: 'password-123' });
    expect(byMobile.status).toBe(200);
    expect(byMobile.body.user.mobile).toBe('13912345678');
    expect(byMobile.headers.get('set-cookie')).toMatch(/crm_sid=.*HttpOnly.*SameSite=Lax/i);
    const wrong = await t.client().post('/api/v1/auth/login', { login: '13912345678', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const unknown = await t.client().post('/api/v1/auth/login', { login: 'nobody@x.test', password: 'nope-nope' });
    expect(unknown.status).toBe(401);
    const log = await t.admin.get('/api/v1/audit/logins?limit=10');
    const results = log.body.items.map((i: { result: string }) => i.result);
    expect(results.slice(0, 2)).toEqual(['bad_password', 'success']);
    expect(log.body.items[0]).toMatchObject({ login: '13912345678', ip: '127.0.0.1' });
    expect(log.body.items[0].userAgent).toBeTruthy();
    // a login that matched no user belongs to no company: not in this company's log
    expect(log.body.items.some((i: { login: string }) => i.login === 'nobody@x.test')).toBe(false);
  });

  it(`locks the account after ${MAX_FAILED_LOGINS} failures, even for the right password`, async () => {
    await createUser('lock@acme.test');
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) {
      expect((await t.client().post('/api/v1/auth/login', { login: 'lock@acme.test', password: 'wrong-pass' })).status).toBe(401);
    }
    const fifth = await t.client().post('/api/v1/auth/login', { login: 'lock@acme.test', password: 'wrong-pass' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.code).toBe('ACCOUNT_LOCKED');
    const right = await t.client().post('/api/v1/auth/login', { login: 'lock@acme.test', password: 'password-123' });
    expect(right.status).toBe(423);
    expect(right.body.error.message).toMatch(/锁定/);
    // after the lock expires, the right password works again
    await t.db.system((q) => q.query(sql`UPDATE users SET locked_until = now() - interval '1 second' WHERE email = 'lock@acme.test'`));
    expect((await t.client().post('/api/v1/auth/login', { login: 'lock@acme.test', password: 'password-123' })).status).toBe(200);
  });

  it('refuses a disabled user', async () => {
    const id = await createUser('gone@acme.test');
    expect((await t.admin.put(`/api/v1/users/${id}/status`, { status: 'disabled' })).status).toBe(200);
    const res = await t.client().post('/api/v1/auth/login', { login: 'gone@acme.test', password: 'password-123' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_DISABLED');
  });

  it('rejects passwords shorter than 8 characters', async () => {
    const res = await t.admin.post('/api/v1/users', { name: 'x', email: 'short@acme.test', departmentId: t.tenant.rootDepartmentId, password: '1234567' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('password');
  });
});

describe('several companies', () => {
  it('asks for the company code when a login exists in two companies', async () => {
    const other = await t.addTenant('twin');
    await other.admin.post('/api/v1/users', { name: '双胞胎', email: 'twin@both.test', departmentId: other.tenant.rootDepartmentId, password: 'password-123' });
    await createUser('twin@both.test');
    const ambiguous = await t.client().post('/api/v1/auth/login', { login: 'twin@both.test', password: 'password-123' });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error).toMatchObject({ code: 'TENANT_REQUIRED', fields: [{ path: 'tenant' }] });
    const chosen = await t.client().post('/api/v1/auth/login', { login: 'twin@both.test', password: 'password-123', tenant: 'twin' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.tenant.code).toBe('twin');
  });
});

describe('sessions', () => {
  it('refuses a state-changing request without the CSRF token', async () => {
    const c = await t.client().login('admin@acme.test', ADMIN_PASSWORD);
    const without = await c.post('/api/v1/customers', { name: '甲' }, { 'x-csrf-token': '' });
    expect(without.status).toBe(403);
    expect(without.body.error.code).toBe('CSRF_FAILED');
    const wrong = await c.post('/api/v1/customers', { name: '甲' }, { 'x-csrf-token': 'forged' });
    expect(wrong.status).toBe(403);
    expect((await c.post('/api/v1/customers', { name: '甲' })).status).toBe(201);
    // reading needs no token
    expect((await c.get('/api/v1/customers', { 'x-csrf-token': '' })).status).toBe(200);
  });

  it('stops a revoked session at once, by the user and by an administrator', async () => {
    const id = await createUser('rev@acme.test');
    const a = await t.client().login('rev@acme.test', 'password-123');
    const b = await t.client().login('rev@acme.test', 'password-123');
    const sessions = await a.get('/api/v1/auth/sessions');
    expect(sessions.body.items).toHaveLength(2);
    const other = sessions.body.items.find((s: { current: boolean }) => !s.current);
    expect((await a.delete(`/api/v1/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await b.get('/api/v1/auth/me')).status).toBe(401);
    expect((await a.get('/api/v1/auth/me')).status).toBe(200);
    expect((await t.admin.post(`/api/v1/users/${id}/sessions/revoke`, {})).body.revoked).toBe(1);
    expect((await a.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('keeps the interface language as a stored preference, whatever one request asks for', async () => {
    await createUser('lang@acme.test');
    const c = await t.client().login('lang@acme.test', 'password-123');
    expect((await c.put('/api/v1/auth/preferences', { locale: 'en' })).status).toBe(204);
    const me = await c.get('/api/v1/auth/me', { 'x-crm-locale': 'zh-CN' });
    expect(me.body.user.locale).toBe('en');
  });

  it('signs out', async () => {
    const c = await t.client().login('admin@acme.test', ADMIN_PASSWORD);
    expect((await c.post('/api/v1/auth/logout', {})).status).toBe(204);
    expect((await c.get('/api/v1/auth/me')).status).toBe(401);
  });

  it('changes the password and signs other sessions out', async () => {
    await createUser('pw@acme.test');
    const a = await t.client().login('pw@acme.test', 'password-123');
    const b = await t.client().login('pw@acme.test', 'password-123');
    expect((await a.post('/api/v1/auth/password', { currentPassword: 'wrong', newPassword: 'new-password-1' })).status).toBe(400);
    expect((await a.post('/api/v1/auth/password', { currentPassword: 'password-123', newPassword: 'new-password-1' })).status).toBe(204);
    expect((await a.get('/api/v1/auth/me')).status).toBe(200);
    expect((await b.get('/api/v1/auth/me')).status).toBe(401);
    expect((await t.client().post('/api/v1/auth/login', { login: 'pw@acme.test', password: 'password-123' })).status).toBe(401);
    await t.client().login('pw@acme.test', 'new-password-1');
  });
});

describe('API tokens', () => {
  it('authenticates scripts with a bearer token, without CSRF, until revoked', async () => {
    const created = await t.admin.post('/api/v1/auth/tokens', { name: 'import script' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^crmpat_/);
    const script = t.client();
    script.bearer = created.body.token;
    expect((await script.post('/api/v1/customers', { name: '脚本客户' })).status).toBe(201);
    const list = await t.admin.get('/api/v1/auth/tokens');
    expect(list.body.items[0]).not.toHaveProperty('token');
    expect(list.body.items[0]).toMatchObject({ name: 'import script', lastUsedAt: expect.any(String), expiresAt: null });
    expect((await t.admin.delete(`/api/v1/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await script.get('/api/v1/customers')).status).toBe(401);
  });
});
