import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';
import { keysetPage } from '../../db/keyset.js';
import { PER_OWNER_MAX, type RecordScope } from '../../platform/access/scope.js';
import { CustomerListQuery } from '../../../common/schemas/customers.js';
import * as repo from './customers.repo.js';
import { knownCommonTerm, TERM_LOOKUP_MAX } from '../../platform/search/term-lookup.js';

let t: TestApp;
let rep: { id: number };
beforeAll(async () => {
  t = await startTestApp();
  rep = (
    await t.admin.post('/api/v1/users', {
      name: '销售小王', email: 'wang@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    })
  ).body;
});
afterAll(() => t?.close());

async function allPages(path: string) {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: { status: number; body: { items: { id: number }[]; nextCursor: string | null } } = await t.admin.get(`${path}${sep}limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    ids.push(...res.body.items.map((i: { id: number }) => i.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return ids;
}

describe('customer list', () => {
  it('pages through every row exactly once, even when many share a timestamp', async () => {
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id, created_at, updated_at)
        SELECT ${t.tenant.tenantId}, 'PL' || g, '批量客户' || g, ${t.tenant.adminId}, ${t.tenant.rootDepartmentId},
               '2026-01-01 08:00:00.123456+08'::timestamptz, '2026-01-02 08:00:00.123456+08'::timestamptz + (g % 3) * interval '1 microsecond'
        FROM generate_series(1, 40) g`),
    );
    const all = (await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => q.query<{ id: number }>(sql`SELECT id FROM customers WHERE deleted_at IS NULL`))).map((r) => r.id);
    for (const sort of ['updatedAt', 'createdAt', 'name']) {
      for (const order of ['asc', 'desc']) {
        const ids = await allPages(`/api/v1/customers?sort=${sort}&order=${order}`);
        expect(ids.length, `${sort} ${order}`).toBe(all.length);
        expect(new Set(ids).size, `${sort} ${order}`).toBe(all.length);
      }
    }
    const names = (await t.admin.get('/api/v1/customers?sort=name&order=asc&limit=5&q=批量')).body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual([...names].sort());
  });

  it('filters by name, owner, department and creation time, and counts the same', async () => {
    const own = await t.admin.post('/api/v1/customers', { name: '北京云帆科技有限公司', ownerId: rep.id });
    expect(own.status).toBe(201);
    await t.admin.post('/api/v1/customers', { name: '上海云帆贸易有限公司' });
    const check = async (query: string, expected: number) => {
      const list = await t.admin.get(`/api/v1/customers?limit=200&${query}`);
      const count = await t.admin.get(`/api/v1/customers/count?${query}`);
      expect(list.body.items.length, query).toBe(expected);
      expect(count.body.total, query).toBe(expected);
    };
    await check('q=云帆', 2);
    await check('q=北京', 1);
    await check('q=%25', 0); // a literal %, not a wildcard
    await check(`ownerId=${rep.id}`, 1);
    await check(`departmentId=${t.tenant.rootDepartmentId}&q=云帆`, 2);
    await check('createdFrom=2026-01-01&createdTo=2026-01-02', 40);
    await check('createdFrom=2026-01-01T00:00:00%2B08:00&createdTo=2026-01-01T08:00:00%2B08:00', 0);
    const bad = await t.admin.get('/api/v1/customers?createdFrom=yesterday');
    expect(bad.body.error.fields[0].path).toBe('createdFrom');
  });

  it('shows mine and shared-with-me views', async () => {
    const me = await signedInAs(t.db, t.url, t.tenant.tenantId, rep.id);
    const shared = await t.admin.post('/api/v1/customers', { name: '共享给小王的客户' });
    await t.admin.post(`/api/v1/customers/${shared.body.id}/members`, { userId: rep.id, access: 'read', kind: 'share' });
    const mine = await me.get('/api/v1/customers?view=mine');
    expect(mine.body.items.map((i: { name: string }) => i.name)).toEqual(['北京云帆科技有限公司']);
    const sharedWithMe = await me.get('/api/v1/customers?view=shared_with_me');
    expect(sharedWithMe.body.items.map((i: { name: string }) => i.name)).toEqual(['共享给小王的客户']);
    expect((await me.get('/api/v1/customers/count')).body.total).toBe(2);
    // read-only share: visible, not editable
    const detail = await me.get(`/api/v1/customers/${shared.body.id}`);
    expect(detail.body.allowed).toEqual({ edit: false, delete: false, transfer: false, share: false, lock: false, addContact: false, returnToPool: false, merge: false, protect: false });
    const edit = await me.patch(`/api/v1/customers/${shared.body.id}`, { name: '改名' });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe('RECORD_READ_ONLY');
    await t.admin.post(`/api/v1/customers/${shared.body.id}/members`, { userId: rep.id, access: 'write', kind: 'share' });
    expect((await me.patch(`/api/v1/customers/${shared.body.id}`, { name: '改名' })).status).toBe(200);
    expect((await me.delete(`/api/v1/customers/${shared.body.id}`)).status).toBe(403);
  });
});

describe('shared by me and the date filters', () => {
  it('lists the customers I own and shared with someone, within my scope, and counts the same', async () => {
    const me = await signedInAs(t.db, t.url, t.tenant.tenantId, rep.id);
    const names = async (client: typeof me, query: string) => {
      const list = (await client.get(`/api/v1/customers?limit=200&${query}`)).body.items.map((i: { name: string }) => i.name).sort();
      expect((await client.get(`/api/v1/customers/count?${query}`)).body.total, query).toBe(list.length);
      return list;
    };
    const sharedOut = (await me.post('/api/v1/customers', { name: '小王共享出去的客户' })).body.id;
    const onTeam = (await me.post('/api/v1/customers', { name: '小王带团队的客户' })).body.id;
    await me.post('/api/v1/customers', { name: '小王独自的客户' });
    expect((await me.post(`/api/v1/customers/${sharedOut}/members`, { userId: t.tenant.adminId, access: 'read', kind: 'share' })).status).toBe(200);
    expect((await me.post(`/api/v1/customers/${onTeam}/members`, { userId: t.tenant.adminId, access: 'write', kind: 'team' })).status).toBe(200);
    // shared with the rep by someone else: shared with me, not by me
    const fromAdmin = (await t.admin.post('/api/v1/customers', { name: '管理员共享给小王' })).body.id;
    await t.admin.post(`/api/v1/customers/${fromAdmin}/members`, { userId: rep.id, access: 'read', kind: 'share' });

    expect(await names(me, 'view=shared_by_me')).toEqual(['小王共享出去的客户', '小王带团队的客户']);
    expect(await names(me, 'view=shared_by_me&q=共享')).toEqual(['小王共享出去的客户']);
    expect(await names(me, 'view=shared_with_me&q=管理员共享')).toEqual(['管理员共享给小王']);
    // the administrator sees the rep's customers, but shared none of them
    expect(await names(t.admin, 'view=shared_by_me&q=小王共享')).toEqual([]);
    expect(await names(t.admin, 'view=shared_by_me&q=管理员共享')).toEqual(['管理员共享给小王']);
    expect((await me.get('/api/v1/customers?view=shared_by_others')).status).toBe(400);
  });

  it('filters by update, last and next follow-up times', async () => {
    const tenantId = t.tenant.tenantId;
    await t.db.tenant({ tenantId }, (q) =>
      q.query(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id, created_at, updated_at, last_followup_at, next_followup_at)
        VALUES (${tenantId}, 'DT1', '时间甲', ${t.tenant.adminId}, ${t.tenant.rootDepartmentId}, '2024-01-01', '2024-02-01', '2024-03-01T10:00:00+08', '2024-04-01T10:00:00+08'),
               (${tenantId}, 'DT2', '时间乙', ${t.tenant.adminId}, ${t.tenant.rootDepartmentId}, '2024-01-01', '2024-02-10', NULL, '2024-05-01T10:00:00+08')`),
    );
    const names = async (query: string) => {
      const list = (await t.admin.get(`/api/v1/customers?limit=200&q=时间&${query}`)).body.items.map((i: { name: string }) => i.name).sort();
      expect((await t.admin.get(`/api/v1/customers/count?q=时间&${query}`)).body.total, query).toBe(list.length);
      return list;
    };
    expect(await names('updatedFrom=2024-02-05&updatedTo=2024-03-01')).toEqual(['时间乙']);
    expect(await names('lastFollowupFrom=2024-03-01&lastFollowupTo=2024-03-02')).toEqual(['时间甲']);
    expect(await names('lastFollowupFrom=2020-01-01')).toEqual(['时间甲']); // never followed up: no last time
    expect(await names('nextFollowupFrom=2024-04-15')).toEqual(['时间乙']);
    expect(await names('nextFollowupTo=2024-04-15&updatedTo=2024-02-02')).toEqual(['时间甲']);
    expect((await t.admin.get('/api/v1/customers?nextFollowupTo=soon')).body.error.fields[0].path).toBe('nextFollowupTo');
  });
});

describe('scoped list strategies', () => {
  // Small owner sets are paged owner by owner and merged; large ones use the
  // plain query. Both must give the plain query's rows, order and pages.
  it('pages owner by owner and plainly to the same rows as the plain query', async () => {
    const tenantId = t.tenant.tenantId;
    const [other] = await t.db.tenant({ tenantId }, (q) =>
      q.query<{ id: number }>(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id, created_at, updated_at)
        SELECT ${tenantId}, 'CL' || g, '策略客户' || g, CASE WHEN g % 3 = 0 THEN ${rep.id}::bigint ELSE ${t.tenant.adminId}::bigint END, ${t.tenant.rootDepartmentId},
               '2025-06-01'::timestamptz + (g % 5) * interval '1 day', '2025-07-01'::timestamptz + (g % 4) * interval '1 hour'
        FROM generate_series(1, 30) g RETURNING id`),
    );
    const sharedIds = [other!.id, other!.id + 1]; // owned by the admin, outside the rep-only owner set
    const fakeOwners = Array.from({ length: PER_OWNER_MAX + 5 }, (_, i) => 1_000_000 + i);
    const scopes: RecordScope[] = [
      { module: 'customer', tenantId, ownerIds: [rep.id], readIds: sharedIds, writeIds: [], poolIds: [] },
      { module: 'customer', tenantId, ownerIds: [rep.id], readIds: [], writeIds: [], poolIds: [] },
      { module: 'customer', tenantId, ownerIds: [rep.id, ...fakeOwners], readIds: sharedIds, writeIds: [], poolIds: [] },
    ];
    for (const scope of scopes) {
      for (const sort of ['updatedAt', 'createdAt', 'name'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const column = { updatedAt: 'updated_at', createdAt: 'created_at', name: 'name' }[sort];
          const dir = order === 'asc' ? 'ASC' : 'DESC';
          const expected = await t.db.tenant({ tenantId }, (q) =>
            q.query<{ id: number }>(sql`SELECT id FROM customers WHERE deleted_at IS NULL
              AND (owner_id = ANY(${scope.ownerIds}::bigint[]) OR id = ANY(${scope.readIds}::bigint[]))
              ORDER BY ${sql.raw(column)} ${sql.raw(dir)}, id ${sql.raw(dir)}`),
          );
          const ids: number[] = [];
          let cursor: string | undefined;
          do {
            const f = CustomerListQuery.parse({ sort, order, limit: 4, cursor });
            const page = keysetPage(await t.db.tenant({ tenantId }, (q) => repo.listCustomers(q, scope, rep.id, f)), 4);
            ids.push(...page.items.map((i) => i.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          const label = `${scope.ownerIds!.length} owners, ${scope.readIds.length} shared, ${sort} ${order}`;
          expect(ids, label).toEqual(expected.map((r) => r.id));
          const total = await t.db.tenant({ tenantId }, (q) => repo.countCustomers(q, scope, rep.id, CustomerListQuery.parse({})));
          expect(total, label).toBe(expected.length);
        }
      }
    }
  });
});

describe('ownership and history', () => {
  it('transfers, keeps the former owner on the team, and records every change', async () => {
    const c = await t.admin.post('/api/v1/customers', { name: '转移测试客户' });
    await t.admin.patch(`/api/v1/customers/${c.body.id}`, { name: '转移测试客户（改）' });
    const moved = await t.admin.post(`/api/v1/customers/${c.body.id}/transfer`, { ownerId: rep.id, keepAsTeamMember: true });
    expect(moved.body).toMatchObject({ ownerId: rep.id, ownerName: '销售小王' });
    const members = await t.admin.get(`/api/v1/customers/${c.body.id}/members`);
    expect(members.body.items).toEqual([expect.objectContaining({ userId: t.tenant.adminId, kind: 'team', access: 'read' })]);
    const history = await t.admin.get(`/api/v1/customers/${c.body.id}/history`);
    expect(history.body.items.map((i: { action: string }) => i.action)).toEqual(['transfer', 'update', 'create']);
    expect(history.body.items[0]).toMatchObject({ actorName: '管理员', ip: '127.0.0.1', changes: [{ field: 'ownerId', before: t.tenant.adminId, after: rep.id }] });
    expect(history.body.items[1].changes).toEqual([{ field: 'name', before: '转移测试客户', after: '转移测试客户（改）' }]);
    const repClient = await signedInAs(t.db, t.url, t.tenant.tenantId, rep.id);
    expect((await repClient.get(`/api/v1/customers/${c.body.id}/history`)).body.items).toHaveLength(3);
    const owner = await t.admin.post(`/api/v1/customers/${c.body.id}/members`, { userId: rep.id, access: 'read' });
    expect(owner.body.error.fields).toEqual([{ path: 'userId', message: '该员工已是负责人' }]);
  });

  it('deletes into the recycle bin without erasing', async () => {
    const c = await t.admin.post('/api/v1/customers', { name: '将被删除的客户' });
    expect((await t.admin.delete(`/api/v1/customers/${c.body.id}`)).status).toBe(204);
    expect((await t.admin.get(`/api/v1/customers/${c.body.id}`)).status).toBe(404);
    expect((await t.admin.delete(`/api/v1/customers/${c.body.id}`)).status).toBe(404);
    const row = await t.db.system((q) => q.one<{ deleted_by: number }>(sql`SELECT deleted_by FROM customers WHERE id = ${c.body.id}`));
    expect(row!.deleted_by).toBe(t.tenant.adminId);
    const log = await t.admin.get(`/api/v1/audit/operations?entity=customer&recordId=${c.body.id}&action=delete`);
    expect(log.body.items).toHaveLength(1);
  });
});

describe('bulk actions (CUS-15)', () => {
  it('transfers, tags and locks a selection, all or nothing', async () => {
    const ids: number[] = [];
    for (const n of ['批量甲', '批量乙']) ids.push((await t.admin.post('/api/v1/customers', { name: n })).body.id);
    const moved = await t.admin.post('/api/v1/customers/bulk', { action: 'transfer', ids, ownerId: rep.id, keepAsTeamMember: true });
    expect(moved.body).toEqual({ changed: 2 });
    expect((await t.admin.post('/api/v1/customers/bulk', { action: 'tag', ids, tag: '批量标签' })).body).toEqual({ changed: 2 });
    expect((await t.admin.post('/api/v1/customers/bulk', { action: 'lock', ids })).body).toEqual({ changed: 2 });
    const me = await signedInAs(t.db, t.url, t.tenant.tenantId, rep.id);
    const mine = (await me.get('/api/v1/customers?limit=200&tag=批量标签&locked=true')).body.items.map((c: { name: string }) => c.name).sort();
    expect(mine).toEqual(['批量乙', '批量甲']);
    // one customer outside the rep's scope spoils the whole batch
    const foreign = (await t.admin.post('/api/v1/customers', { name: '批量之外' })).body.id;
    const refused = await me.post('/api/v1/customers/bulk', { action: 'tag', ids: [...ids, foreign], tag: '不该打上' });
    expect(refused.status).toBe(404);
    expect((await me.get('/api/v1/customers?limit=200&tag=不该打上')).body.items).toEqual([]);
    expect((await me.post('/api/v1/customers/bulk', { action: 'delete', ids })).status).toBe(403); // reps may not delete
  });
});

describe('a term matching more rows than a lookup holds', () => {
  // Past TERM_LOOKUP_MAX matches the list walks its sorted index and tests each
  // row; the term is then remembered as common and its lookup skipped. Every
  // way must give the plain query's rows.
  it('walks, remembers the term, and answers the plain query\'s rows each time', async () => {
    const tenantId = t.tenant.tenantId;
    await t.db.tenant({ tenantId }, (q) =>
      q.query(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id, created_at, updated_at)
        SELECT ${tenantId}, 'TM' || g, '北京常见' || g, CASE WHEN g % 2 = 0 THEN ${rep.id}::bigint ELSE ${t.tenant.adminId}::bigint END,
               ${t.tenant.rootDepartmentId}, '2025-01-01'::timestamptz, '2025-01-01'::timestamptz + g * interval '1 minute'
        FROM generate_series(1, ${TERM_LOOKUP_MAX + 100}) g`),
    );
    const scopes: RecordScope[] = [
      { module: 'customer', tenantId, ownerIds: null, readIds: [], writeIds: [], poolIds: [] },
      { module: 'customer', tenantId, ownerIds: [rep.id], readIds: [], writeIds: [], poolIds: [] },
    ];
    try {
      expect(knownCommonTerm('customer_search_keys', tenantId, '北京常见')).toBe(false);
      for (const scope of scopes) {
        const expected = await t.db.tenant({ tenantId }, (q) =>
          q.query<{ id: number }>(sql`SELECT id FROM customers WHERE deleted_at IS NULL AND name LIKE '%北京常见%'
            AND (${scope.ownerIds === null} OR owner_id = ANY(${scope.ownerIds ?? []}::bigint[])) ORDER BY updated_at DESC, id DESC LIMIT 10`),
        );
        for (let round = 0; round < 2; round++) {
          const rows = await t.db.tenant({ tenantId }, (q) => repo.listCustomers(q, scope, rep.id, CustomerListQuery.parse({ q: '北京常见', limit: 10 })));
          expect(rows.slice(0, 10).map((r) => r.id), `${scope.ownerIds ? 'rep' : 'all'}, round ${round}`).toEqual(expected.map((r) => r.id));
          expect(knownCommonTerm('customer_search_keys', tenantId, '北京常见')).toBe(true);
        }
      }
      const total = await t.db.tenant({ tenantId }, (q) => repo.countCustomers(q, scopes[0]!, rep.id, CustomerListQuery.parse({ q: '北京常见' })));
      expect(total).toBe(TERM_LOOKUP_MAX + 100);
      // a term with few matches is looked up, not remembered
      const few = await t.db.tenant({ tenantId }, (q) => repo.listCustomers(q, scopes[0]!, rep.id, CustomerListQuery.parse({ q: '北京常见5099', limit: 10 })));
      expect(few.map((r) => r.name)).toEqual(['北京常见5099']);
      expect(knownCommonTerm('customer_search_keys', tenantId, '北京常见5099')).toBe(false);
    } finally {
      await t.db.tenant({ tenantId }, (q) => q.query(sql`DELETE FROM customers WHERE code LIKE 'TM%'`));
    }
  });
});
