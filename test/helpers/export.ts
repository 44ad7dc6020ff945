/** Downloading an export in integration tests and reading its CSV back. */
import { expect } from 'vitest';
import type { Permission } from '../../src/common/permissions.js';
import type { ApiClient } from './api.js';
import type { TestApp } from './app.js';
import { signedInAs } from './fixtures.js';

/** The raw download of `path` (ApiClient reads bodies as text). */
export async function downloadExport(url: string, path: string, client: ApiClient, query: string, locale?: 'en') {
  const res = await fetch(`${url}${path}?${query}`, { headers: { cookie: client.cookie!, ...(locale ? { 'x-crm-locale': locale } : {}) } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** CSV rows (no quoted line breaks in the data): the file starts with a BOM. */
export const csvRows = (bytes: Buffer) => {
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean).map((line) => line.split(','));
};

/** `plain` (without the export permission) is refused; `exporter` is told which column is unknown. */
export async function expectExportRefusals(path: string, plain: ApiClient, exporter: ApiClient) {
  expect((await plain.get(path)).status).toBe(403);
  const column = await exporter.get(`${path}?columns=name,salary`);
  expect(column.status).toBe(400);
  expect(column.body.error.code).toBe('VALIDATION_FAILED');
  expect(column.body.error.fields).toEqual([{ path: 'columns.salary', message: expect.any(String) }]);
}

/** The one operation log entry of `entity` that `run` adds, with its changes by field. */
export async function exportLogEntry(t: TestApp, entity: string, run: () => Promise<unknown>) {
  const log = async () => (await t.admin.get(`/api/v1/audit/operations?entity=${entity}&action=export&limit=200`)).body.items;
  const before = (await log()).length;
  await run();
  const after = await log();
  expect(after.length).toBe(before + 1);
  const entry = after[0];
  return { entry, changes: Object.fromEntries(entry.changes.map((c: { field: string; after: unknown }) => [c.field, c.after])) };
}

/** Two sales reps (own records only): one also given `permissions` (view and export), one without them. */
export async function exportingReps(t: TestApp, roleName: string, permissions: Permission[]) {
  const role = await t.admin.post('/api/v1/roles', { name: roleName, permissions, dataScopes: {} });
  const user = (name: string, email: string, roleIds: number[]) =>
    t.admin.post('/api/v1/users', { name, email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds }).then((r) => r.body.id as number);
  const exporterId = await user('销售小李', 'li@acme.test', [t.tenant.roleIds.sales_rep, role.body.id]);
  const plainId = await user('销售小赵', 'zhao@acme.test', [t.tenant.roleIds.sales_rep]);
  return {
    exporterId,
    plainId,
    exporter: await signedInAs(t.db, t.url, t.tenant.tenantId, exporterId),
    plainRep: await signedInAs(t.db, t.url, t.tenant.tenantId, plainId),
  };
}
