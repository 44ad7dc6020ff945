/** The API's common contract: route declarations, error format, limits, documentation, protected fields. */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermission } from '../src/common/permissions.js';
import { findRouteDefects, type RegisteredRoute } from '../src/server/platform/http/route.js';
import { BODY_LIMIT } from '../src/server/app.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buildOrg, signedInAs } from './helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('route declarations', () => {
  it('every API route declares a permission and schemas', () => {
    const api = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api'));
    expect(api.length).toBeGreaterThan(35);
    expect(findRouteDefects(t.app.registeredRoutes, isPermission)).toEqual([]);
    const permissions = new Set(api.map((r) => r.config!.crm!.permission));
    expect(permissions).toContain('customer.view');
    expect(permissions).toContain('public');
  });

  it('the check finds a route added around the registrar', async () => {
    const rogue = Fastify();
    const routes: RegisteredRoute[] = [];
    rogue.addHook('onRoute', (r) => void routes.push({ method: r.method, url: r.url, config: r.config as RegisteredRoute['config'] }));
    rogue.get('/api/v1/secret', async () => ({}));
    rogue.post('/api/v1/things/:id', { config: { crm: { permission: 'customer.nuke', query: {} } } } as never, async () => ({}));
    await rogue.ready();
    const defects = findRouteDefects(routes, isPermission);
    expect(defects.some((d) => d.includes('GET') && d.includes('/api/v1/secret') && d.includes('not registered'))).toBe(true);
    expect(defects.some((d) => d.includes('unknown permission customer.nuke'))).toBe(true);
    expect(defects.some((d) => d.includes('/api/v1/things/:id: no params schema'))).toBe(true);
    expect(defects.some((d) => d.includes('/api/v1/things/:id: no body schema'))).toBe(true);
  });
});

describe('errors', () => {
  it('answers one format, in the caller’s language, with the fields at fault', async () => {
    const zh = await t.admin.post('/api/v1/users', { name: '', email: 'not-an-email', departmentId: 'x', password: 'short' });
    expect(zh.status).toBe(400);
    expect(zh.body.error.code).toBe('VALIDATION_FAILED');
    expect(zh.body.error.message).toMatch(/输入/);
    expect(zh.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['departmentId', 'email', 'name', 'password']);
    const en = await t.admin.post('/api/v1/users', { name: '' }, { 'x-crm-locale': 'en' });
    expect(en.body.error.message).toBe('Some fields are invalid');
    const browser = await t.client().get('/api/v1/customers', { 'accept-language': 'en-US,en;q=0.9' });
    expect(browser.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'Please sign in' });
    expect((await t.client().get('/api/v1/customers')).body.error.message).toBe('请先登录');
    const missing = await t.admin.get('/api/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ROUTE_NOT_FOUND');
    const broken = await t.admin.post('/api/v1/customers', '{"name": ', { 'content-type': 'application/json' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('BAD_REQUEST');
  });

  it('limits page size and body size', async () => {
    const page = await t.admin.get('/api/v1/customers?limit=1000');
    expect(page.status).toBe(400);
    expect(page.body.error.fields[0].path).toBe('limit');
    const big = await t.admin.post('/api/v1/customers', { name: 'x'.repeat(BODY_LIMIT + 10) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const cursor = await t.admin.get('/api/v1/customers?cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe('INVALID_CURSOR');
    const unknownQuery = await t.admin.get('/api/v1/customers?drop=table');
    expect(unknownQuery.status).toBe(400);
  });

  it('refuses a missing permission with the permission’s name', async () => {
    const org = await buildOrg(t.db, 'noperm', {
      departmentParents: [],
      roles: [{ permissions: ['customer.view'], scope: 'self' }],
      users: [{ department: 0, superior: null, superAdmin: false, roles: [0] }],
      customers: [],
      access: [],
    });
    const viewer = await signedInAs(t.db, t.url, org.tenantId, org.userIds[0]);
    const res = await viewer.post('/api/v1/customers', { name: 'x' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.body.error.message).toContain('customer.create');
    expect((await viewer.get('/api/v1/users')).status).toBe(403);
  });
});

describe('fields a caller may not set', () => {
  it('refuses tenant, ids, timestamps and bookkeeping fields on create and update', async () => {
    const created = await t.admin.post('/api/v1/customers', { name: '正常客户' });
    expect(created.status).toBe(201);
    for (const field of ['tenantId', 'tenant_id', 'id', 'createdAt', 'updatedAt', 'createdBy', 'departmentId', 'deletedAt']) {
      const create = await t.admin.post('/api/v1/customers', { name: '带私货', [field]: 1 });
      expect(create.status, field).toBe(400);
      expect(create.body.error.fields, field).toEqual([{ path: field, message: expect.any(String) }]);
      const update = await t.admin.patch(`/api/v1/customers/${created.body.id}`, { [field]: 1 });
      expect(update.status, field).toBe(400);
    }
    // the owner changes only through a transfer
    expect((await t.admin.patch(`/api/v1/customers/${created.body.id}`, { ownerId: t.tenant.adminId })).status).toBe(400);
    const after = await t.admin.get(`/api/v1/customers/${created.body.id}`);
    expect(after.body).toMatchObject({ name: '正常客户', ownerId: t.tenant.adminId });
    expect(after.body.createdAt).toBe(created.body.createdAt);
  });

  it('lets only holders of customer.transfer create for or hand over to another owner', async () => {
    const org = await buildOrg(t.db, 'owners', {
      departmentParents: [],
      roles: [
        { permissions: ['customer.view', 'customer.create', 'customer.edit'], scope: 'self' },
        { permissions: ['customer.view', 'customer.create', 'customer.edit', 'customer.transfer'], scope: 'self_sub' },
      ],
      users: [
        { department: 0, superior: null, superAdmin: false, roles: [1] },
        { department: 0, superior: 0, superAdmin: false, roles: [0] },
      ],
      customers: [1],
      access: [],
    });
    const [manager, rep] = await Promise.all(org.userIds.map((id) => signedInAs(t.db, t.url, org.tenantId, id)));
    const refused = await rep.post('/api/v1/customers', { name: '给经理的', ownerId: org.userIds[0] });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('customer.transfer');
    expect((await rep.post(`/api/v1/customers/${org.customerIds[0]}/transfer`, { ownerId: org.userIds[0] })).status).toBe(403);
    expect((await rep.post('/api/v1/customers', { name: '自己的', ownerId: org.userIds[1] })).status).toBe(201);
    const assigned = await manager.post('/api/v1/customers', { name: '给下属的', ownerId: org.userIds[1] });
    expect(assigned.status).toBe(201);
    expect(assigned.body.ownerId).toBe(org.userIds[1]);
    expect((await manager.post(`/api/v1/customers/${org.customerIds[0]}/transfer`, { ownerId: org.userIds[0] })).status).toBe(200);
  });
});

describe('health and documentation', () => {
  it('tells which database backend is in use', async () => {
    const res = await t.client().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.database).toBe(process.env.CRM_TEST_DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('describes every route in OpenAPI, with its permission and schemas', async () => {
    const spec = (await t.client().get('/api/openapi.json')).body;
    expect(spec.openapi).toBe('3.1.0');
    const create = spec.paths['/api/v1/customers'].post;
    expect(create['x-permission']).toBe('customer.create');
    expect(create.requestBody.content['application/json'].schema.properties.name.maxLength).toBe(100);
    expect(create.requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    expect(spec.paths['/api/v1/customers/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    const operations = Object.values(spec.paths).flatMap((p) => Object.keys(p as object));
    const apiRoutes = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD');
    expect(operations.length).toBe(apiRoutes.length);
    const docs = await t.client().get('/api/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.body).toContain('/api/v1/customers/{id}/transfer');
  });

  it('sends security headers', async () => {
    const res = await t.client().get('/api/health');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
