import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOGIN_RATE_LIMIT } from '../src/server/platform/auth/auth.routes.js';
import { startTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

it('limits sign-in attempts per client address', async () => {
  const c = t.client();
  // the admin's sign-in in startTestApp counted once already; malformed bodies are cheap to refuse but still count
  const statuses: number[] = [];
  for (let i = 0; i < LOGIN_RATE_LIMIT.max; i++) statuses.push((await c.post('/api/v1/auth/login', {})).status);
  expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
  expect(statuses.at(-1)).toBe(429);
  const limited = await c.post('/api/v1/auth/login', { login: 'admin@acme.test', password: 'x' });
  expect(limited.status).toBe(429);
  expect(limited.body.error).toEqual({ code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
  // other routes are not limited this way
  expect((await t.admin.get('/api/v1/auth/me')).status).toBe(200);
});
