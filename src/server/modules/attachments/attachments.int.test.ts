import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
let owner: ApiClient;
let other: ApiClient;
let otherId: number;
beforeAll(async () => {
  t = await startTestApp();
  const mk = async (email: string) =>
    (await t.admin.post('/api/v1/users', { name: email, email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep] })).body.id as number;
  owner = await signedInAs(t.db, t.url, t.tenant.tenantId, await mk('owner@acme.test'));
  otherId = await mk('other@acme.test');
  other = await signedInAs(t.db, t.url, t.tenant.tenantId, otherId);
});
afterAll(() => t?.close());

const files = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);

describe('attachments', () => {
  it('uploads to a record, downloads only for who can see it, never inline', async () => {
    const c = (await owner.post('/api/v1/customers', { name: '附件客户' })).body;
    const bytes = new TextEncoder().encode('%PDF-1.4 合同扫描件');
    const up = await owner.upload(`/api/v1/attachments?entityType=customer&entityId=${c.id}&fileName=${encodeURIComponent('合同 2026.pdf')}`, bytes);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ fileName: '合同 2026.pdf', contentType: 'application/pdf', size: bytes.length });
    expect((await owner.get(`/api/v1/attachments?entityType=customer&entityId=${c.id}`)).body.items).toHaveLength(1);

    const res = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/download`, { headers: { cookie: owner.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="__ 2026.pdf"; filename*=UTF-8''${encodeURIComponent('合同 2026.pdf')}`);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);

    // another rep: no list, no download, no upload
    expect((await other.get(`/api/v1/attachments?entityType=customer&entityId=${c.id}`)).status).toBe(404);
    expect((await other.get(`/api/v1/attachments/${up.body.id}/download`)).status).toBe(404);
    expect((await other.upload(`/api/v1/attachments?entityType=customer&entityId=${c.id}&fileName=x.pdf`, bytes)).status).toBe(404);
    // read-only share: may download, may not upload or delete
    await t.admin.post(`/api/v1/customers/${c.id}/members`, { userId: otherId, access: 'read', kind: 'share' });
    expect((await other.get(`/api/v1/attachments/${up.body.id}/download`)).status).toBe(200);
    expect((await other.upload(`/api/v1/attachments?entityType=customer&entityId=${c.id}&fileName=x.pdf`, bytes)).status).toBe(403);
    expect((await other.delete(`/api/v1/attachments/${up.body.id}`)).status).toBe(403);
  });

  it('refuses scripts, web pages and files past the size limit, keeping nothing', async () => {
    const c = (await owner.post('/api/v1/customers', { name: '拒收客户' })).body;
    const before = (await files(t.filesDir)).length;
    for (const name of ['page.html', 'logo.svg', 'run.js', 'noextension']) {
      const res = await owner.upload(`/api/v1/attachments?entityType=customer&entityId=${c.id}&fileName=${name}`, new Uint8Array([60, 104, 116]));
      expect(res.status, name).toBe(400);
      expect(res.body.error.code).toBe('FILE_TYPE');
    }
    const big = await owner.upload(`/api/v1/attachments?entityType=customer&entityId=${c.id}&fileName=big.zip`, new Uint8Array(20 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(big.body.error.message).toBe('文件不能超过 20 MB');
    expect((await files(t.filesDir)).length).toBe(before);
  });

  it('keeps a lead’s files on the customer it becomes, and erases files with a purged customer', async () => {
    const lead = (await owner.post('/api/v1/leads', { name: '带附件的线索', company: '附件线索公司' })).body;
    await owner.upload(`/api/v1/attachments?entityType=lead&entityId=${lead.id}&fileName=${encodeURIComponent('名片.jpg')}`, new Uint8Array([0xff, 0xd8, 0xff]));
    const { customerId } = (await owner.post(`/api/v1/leads/${lead.id}/convert`, {})).body;
    const onCustomer = (await owner.get(`/api/v1/attachments?entityType=customer&entityId=${customerId}`)).body.items;
    expect(onCustomer.map((a: { fileName: string }) => a.fileName)).toEqual(['名片.jpg']);

    const before = (await files(t.filesDir)).length;
    await t.admin.delete(`/api/v1/customers/${customerId}`);
    await t.admin.delete(`/api/v1/recycle-bin/customer/${customerId}`);
    // the lead still shows the card, so the file stays
    expect((await files(t.filesDir)).length).toBe(before);
    const c = (await owner.post('/api/v1/customers', { name: '删除附件客户' })).body;
    await owner.upload(`/api/v1/attachments?entityType=customer&entityId=${c.id}&fileName=a.txt`, new TextEncoder().encode('x'));
    expect((await files(t.filesDir)).length).toBe(before + 1);
    await t.admin.delete(`/api/v1/customers/${c.id}`);
    await t.admin.delete(`/api/v1/recycle-bin/customer/${c.id}`);
    expect((await files(t.filesDir)).length).toBe(before);
  });
});
