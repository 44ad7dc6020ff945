import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRelationsDto, RelationTreeNode } from '../../../common/schemas/customer-relations.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
let rep: ApiClient;
beforeAll(async () => {
  t = await startTestApp();
  const u = await t.admin.post('/api/v1/users', {
    name: '关系代表', email: 'rel@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
  });
  rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
});
afterAll(() => t?.close());

const customer = async (name: string, as: ApiClient = t.admin): Promise<number> => {
  const res = await as.post('/api/v1/customers', { name });
  expect(res.status).toBe(201);
  return res.body.id;
};
const link = (id: number, customerId: number, role: string, as: ApiClient = t.admin) => as.post(`/api/v1/customers/${id}/relations`, { customerId, role });
const relations = async (id: number, as: ApiClient = t.admin): Promise<CustomerRelationsDto> => {
  const res = await as.get(`/api/v1/customers/${id}/relations`);
  expect(res.status).toBe(200);
  return res.body;
};
/** The tree as nested [name, children] pairs, '*' marking the current customer. */
const shape = (n: RelationTreeNode): unknown => [`${n.current ? '*' : ''}${n.customer.name ?? '?'}`, ...(n.children.length ? [n.children.map(shape)] : [])];

describe('relationship chain (CUS-5)', () => {
  it('shows ancestors, descendants and peer links from both ends, and logs every change on both customers', async () => {
    const group = await customer('云帆集团');
    const sub = await customer('云帆华南子公司');
    const branch = await customer('云帆深圳分公司');
    const other = await customer('云帆华北子公司');
    const supplier = await customer('钢材供应商');
    expect((await link(group, sub, 'subsidiary')).status).toBe(201);
    expect((await link(branch, sub, 'head_office')).status).toBe(201);
    expect((await link(group, other, 'subsidiary')).status).toBe(201);
    expect((await link(sub, supplier, 'upstream')).status).toBe(201);
    expect((await link(sub, other, 'affiliate')).status).toBe(201);

    const seen = await relations(sub);
    // ancestors to the top and the subtree below: not the siblings' branches
    expect(shape(seen.tree)).toEqual(['云帆集团', [['*云帆华南子公司', [['云帆深圳分公司']]]]]);
    expect(seen.tree.children[0]!.kind).toBe('subsidiary');
    expect(seen.tree.children[0]!.children[0]!.kind).toBe('branch');
    expect(seen.peers.map((p) => [p.role, p.customer.name])).toEqual([['affiliate', '云帆华北子公司'], ['upstream', '钢材供应商']]);
    expect(seen.canEdit).toBe(true);
    // the same links seen from the other ends
    expect((await relations(supplier)).peers.map((p) => [p.role, p.customer.id])).toEqual([['downstream', sub]]);
    expect((await relations(other)).peers.map((p) => p.role)).toEqual(['affiliate']);
    expect(shape((await relations(group)).tree)).toEqual(['*云帆集团', [['云帆华南子公司', [['云帆深圳分公司']]], ['云帆华北子公司']]]);

    const supplierLog = (await t.admin.get(`/api/v1/customers/${supplier}/history`)).body.items;
    expect(supplierLog.find((h: { action: string }) => h.action === 'relate').changes).toEqual([
      { field: 'relation', before: null, after: { role: 'downstream', customerId: sub, customerName: '云帆华南子公司' } },
    ]);

    const peer = seen.peers.find((p) => p.role === 'upstream')!;
    expect((await t.admin.delete(`/api/v1/customers/${supplier}/relations/${peer.relationId}`)).status).toBe(204);
    expect((await relations(sub)).peers.map((p) => p.role)).toEqual(['affiliate']);
    const subLog = (await t.admin.get(`/api/v1/customers/${sub}/history`)).body.items.map((h: { action: string }) => h.action);
    expect(subLog.filter((a: string) => a === 'relate')).toHaveLength(4);
    expect(subLog).toContain('unrelate');
    // removing a link another customer does not have
    expect((await t.admin.delete(`/api/v1/customers/${group}/relations/${peer.relationId}`)).status).toBe(404);
  });

  it('refuses self-links, duplicates, a second parent and cycles, in the caller’s language', async () => {
    const top = await customer('循环甲');
    const mid = await customer('循环乙');
    const low = await customer('循环丙');
    await link(top, mid, 'subsidiary');
    await link(mid, low, 'branch');

    const self = await link(top, top, 'partner');
    expect(self.status).toBe(400);
    expect(self.body.error).toMatchObject({ code: 'RELATION_SELF', fields: [{ path: 'customerId' }] });
    const twice = await link(mid, top, 'parent_company');
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('RELATION_DUPLICATE');
    expect((await link(low, top, 'parent_company')).body.error.code).toBe('RELATION_HAS_PARENT');
    // the top cannot become a branch of its own grandchild
    const cycle = await link(low, top, 'branch');
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.code).toBe('RELATION_CYCLE');
    expect(cycle.body.error.message).toBe('不能把客户的下级设为它的上级（会形成循环）');
    t.admin.locale = 'en';
    try {
      expect((await link(low, top, 'branch')).body.error.message).toBe('A customer’s own subsidiary or branch cannot become its parent (a cycle)');
    } finally {
      t.admin.locale = null;
    }
    // symmetric links are one link whichever end adds them
    expect((await link(top, low, 'partner')).status).toBe(201);
    expect((await link(low, top, 'partner')).body.error.code).toBe('RELATION_DUPLICATE');
    // direction matters for supply: mutual supply is two links
    expect((await link(top, low, 'upstream')).status).toBe(201);
    expect((await link(top, low, 'downstream')).status).toBe(201);
    expect((await link(low, top, 'upstream')).body.error.code).toBe('RELATION_DUPLICATE');
  });

  it('keeps customers the caller cannot see as nameless placeholders, leaves deleted ones out, and checks edit rights', async () => {
    const hq = await customer('保密总部');
    const mine = await customer('代表的分公司', rep);
    const hidden = await customer('保密兄弟公司');
    const bin = await customer('已删除分部');
    await link(hq, mine, 'branch');
    await link(mine, bin, 'branch');
    await link(mine, hidden, 'partner');
    expect((await t.admin.delete(`/api/v1/customers/${bin}`)).status).toBe(204);

    const res = await rep.get(`/api/v1/customers/${mine}/relations`);
    expect(res.status).toBe(200);
    const seen: CustomerRelationsDto = res.body;
    expect(seen.tree.customer).toEqual({ id: null, code: null, name: null, hidden: true });
    expect(seen.tree.children.map((c) => [c.customer.name, c.current, c.children.length])).toEqual([['代表的分公司', true, 0]]);
    expect(seen.peers).toEqual([{ relationId: expect.any(Number), role: 'partner', customer: { id: null, code: null, name: null, hidden: true } }]);
    const text = JSON.stringify(res.body);
    for (const secret of ['保密', '已删除', `"id":${hq}`, `"id":${hidden}`]) expect(text).not.toContain(secret);

    // the history and the timeline name the roles, not the customers the rep cannot see
    for (const path of [`/api/v1/customers/${mine}/history`, `/api/v1/customers/${mine}/timeline`]) {
      const log = await rep.get(path);
      expect(log.status).toBe(200);
      const logText = JSON.stringify(log.body);
      expect(logText).toContain('"role":"partner"');
      expect(logText).toContain('"customerName":null');
      for (const secret of ['保密', `"customerId":${hq}`, `"customerId":${hidden}`]) expect(logText).not.toContain(secret);
    }
    expect(JSON.stringify((await t.admin.get(`/api/v1/customers/${mine}/history`)).body)).toContain('保密兄弟公司');

    // linking needs the other customer to be visible, and the changed one to be editable
    expect((await link(mine, hq, 'affiliate', rep)).body.error.code).toBe('INVALID_REFERENCE');
    expect((await link(hq, mine, 'affiliate', rep)).status).toBe(404);
    expect((await rep.get(`/api/v1/customers/${hq}/relations`)).status).toBe(404);
    const partner = seen.peers[0]!.relationId;
    expect((await rep.delete(`/api/v1/customers/${mine}/relations/${partner}`)).status).toBe(204);
    expect((await relations(hidden)).peers).toEqual([]);
  });

  it('moves the merged customer’s links to the survivor, dropping self-links, duplicates, second parents and cycles', async () => {
    const keep = await customer('合并关系保留方');
    const gone = await customer('合并关系并入方');
    const [top, parent, child, partner, dealer] = await Promise.all(['合并上级甲', '合并上级乙', '并入方子公司', '并入方伙伴', '共同经销商'].map((n) => customer(n)));
    // top → gone → parent → keep: after the merge keep would be its own ancestor
    await link(gone, top, 'parent_company');
    await link(gone, parent, 'subsidiary');
    await link(keep, parent, 'parent_company');
    await link(gone, child, 'subsidiary');
    await link(gone, partner, 'partner');
    await link(gone, keep, 'affiliate');
    await link(gone, dealer, 'downstream');
    await link(keep, dealer, 'downstream');

    expect((await t.admin.post(`/api/v1/customers/${keep}/merge`, { otherId: gone })).status).toBe(200);
    const after = await relations(keep);
    // keeps its own parent (the merged one's parent would be a second one); the link to `parent` would close a cycle
    expect(shape(after.tree)).toEqual(['合并上级乙', [['*合并关系保留方', [['并入方子公司']]]]]);
    expect(after.peers.map((p) => [p.role, p.customer.name])).toEqual([['partner', '并入方伙伴'], ['downstream', '共同经销商']]);
    expect((await relations(top)).tree.children).toEqual([]);
    expect((await relations(child)).tree.children.map((n) => n.customer.id)).toEqual([keep]);
  });
});
