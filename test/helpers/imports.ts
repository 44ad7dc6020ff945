/** Driving an import through the API in integration tests. */
import { expect } from 'vitest';
import type { ImportDraftDto, ImportEntity, ImportJobDto } from '../../src/common/schemas/imports.js';
import type { ApiClient } from './api.js';
import type { TestApp } from './app.js';
import { signedInAs } from './fixtures.js';

/** Uploads a file as a draft import; fails the test unless it was accepted. */
export async function uploadImport(client: ApiClient, entity: ImportEntity, fileName: string, bytes: Uint8Array): Promise<ImportDraftDto> {
  const res = await client.upload(`/api/v1/imports?entity=${entity}&fileName=${encodeURIComponent(fileName)}`, bytes);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Polls an import until it has finished (or was cancelled or failed). */
export async function waitForImport(client: ApiClient, id: number, timeoutMs = 60_000): Promise<ImportJobDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await client.get(`/api/v1/imports/${id}`)).body as ImportJobDto;
    if (!['draft', 'queued', 'running'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asks for an import's undo, which runs in the background, and waits for its outcome. */
export async function undoImport(client: ApiClient, id: number, timeoutMs = 60_000): Promise<ImportJobDto> {
  const asked = await client.post(`/api/v1/imports/${id}/undo`);
  expect(asked.status, JSON.stringify(asked.body)).toBe(200);
  expect(asked.body.status).toBe('undoing');
  return waitForUndo(client, id, timeoutMs);
}

/** Polls an undo until it has finished. */
export async function waitForUndo(client: ApiClient, id: number, timeoutMs = 60_000): Promise<ImportJobDto> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await client.get(`/api/v1/imports/${id}`)).body as ImportJobDto;
    if (job.status !== 'undoing') return job;
    if (Date.now() > deadline) throw new Error(`the undo of import ${id} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A sales rep (own records only) who may also do what `permissions` allow (an import), and their API client. */
export async function importingRep(t: TestApp, name: string, email: string, permissions: string[]): Promise<{ id: number; api: ApiClient }> {
  const role = await t.admin.post('/api/v1/roles', { name: `${name}的导入`, permissions, dataScopes: {} });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  const res = await t.admin.post('/api/v1/users', { name, email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep, role.body.id] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as number, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
}
