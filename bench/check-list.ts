/**
 * Checks that the customer list and count give exactly what the plain query
 * gives (visibleSql's OR, one ordered scan), for every user of a bench data
 * set, every sort and order, several filters and cursors at random places.
 *
 *   npx tsx bench/check-list.ts [--backend pg|pglite] [--size 20000] [--users N] [--variants 1..7]
 */
import { parseArgs } from 'node:util';
import { CustomerListQuery } from '../src/common/schemas/customers.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../src/server/db/keyset.js';
import { containsPattern, sql } from '../src/server/db/sql.js';
import * as repo from '../src/server/modules/customers/customers.repo.js';
import { PER_OWNER_MAX, type RecordScope, resolveScope, visibleSql } from '../src/server/platform/access/scope.js';
import { actorForUser } from '../src/server/platform/auth/actor-loader.js';
import { encodeCursor } from '../src/server/platform/http/cursor.js';
import { seededRandom } from '../src/server/seed/random.js';
import { type Backend, prepareDataset } from './lib/datasets.js';

const COLUMN = { updatedAt: 'c.updated_at', createdAt: 'c.created_at', name: 'c.name' } as const;
const TYPE = { updatedAt: 'timestamptz', createdAt: 'timestamptz', name: 'text' } as const;

/** The list as first written: every condition in one WHERE, the scope as one OR. */
function reference(scope: RecordScope, userId: number, f: CustomerListQuery) {
  const k: Keyset = { column: sql.raw(COLUMN[f.sort]), type: TYPE[f.sort], id: sql`c.id`, order: f.order };
  const where = sql.where([
    sql`c.tenant_id = ${scope.tenantId}`,
    sql`c.deleted_at IS NULL`,
    visibleSql(scope, 'c'),
    f.view === 'mine' ? sql`c.owner_id = ${userId}` : undefined,
    f.view === 'shared_with_me' ? sql`c.id = ANY(${scope.readIds}::bigint[]) AND c.owner_id IS DISTINCT FROM ${userId}` : undefined,
    f.q ? sql`c.name ILIKE ${containsPattern(f.q)}` : undefined,
    f.ownerId ? sql`c.owner_id = ${f.ownerId}` : undefined,
    f.departmentId ? sql`c.department_id = ${f.departmentId}` : undefined,
    f.createdFrom ? sql`c.created_at >= ${f.createdFrom}::timestamptz` : undefined,
    keysetAfter(k, f.cursor),
  ]);
  return {
    list: sql`SELECT ${keysetSelect(k)}, c.id FROM customers c ${where} ${keysetOrder(k)} LIMIT ${f.limit + 1}`,
    count: sql`SELECT count(*) AS n FROM customers c ${where}`,
  };
}

async function main() {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'pg' }, size: { type: 'string', default: '20000' }, users: { type: 'string', default: '1000' }, variants: { type: 'string', default: '7' } } });
  const ds = await prepareDataset(values.backend as Backend, Number(values.size));
  const { db } = ds;
  const tenantId = ds.info.tenantId;
  const users = (await db.system((q) => q.query<{ id: number; department_id: number }>(sql`SELECT id, department_id FROM users WHERE tenant_id = ${tenantId} ORDER BY id`))).slice(0, Number(values.users));
  const rand = seededRandom(7);
  let lists = 0;
  let counts = 0;
  let perOwner = 0;
  for (const u of users) {
    const actor = await actorForUser(db, tenantId, u.id);
    await actor.tx(async (q) => {
      const scope = await resolveScope(q, actor, 'customer');
      if (scope.ownerIds && scope.ownerIds.length <= PER_OWNER_MAX) perOwner++;
      const variants: Partial<CustomerListQuery>[] = [{}, { q: '科技' }, { departmentId: u.department_id }, { createdFrom: '2025-06-01' }, { view: 'mine' }, { view: 'shared_with_me' }, { ownerId: u.id }];
      for (const v of variants.slice(0, Number(values.variants))) {
        for (const sort of ['updatedAt', 'createdAt', 'name'] as const) {
          for (const order of ['desc', 'asc'] as const) {
            const base = CustomerListQuery.parse({ limit: [1, 7, 50][Math.floor(rand() * 3)], sort, order, ...v });
            // the first page, and pages after random visible rows
            const samples = await q.query<{ k: string; id: number }>(sql`SELECT ${sql.raw(COLUMN[sort])}::text AS k, c.id FROM customers c
              WHERE c.tenant_id = ${tenantId} AND c.deleted_at IS NULL AND ${visibleSql(scope, 'c')} ORDER BY random() LIMIT 3`);
            for (const cursor of [undefined, ...samples.map((s) => encodeCursor([s.k, s.id]))]) {
              const f = { ...base, cursor };
              const want = (await q.query<{ id: number; _sort_key: string }>(reference(scope, actor.userId, f).list)).map((r) => `${r.id}@${r._sort_key}`);
              const got = (await repo.listCustomers(q, scope, actor.userId, f)).map((r) => `${r.id}@${r._sort_key}`);
              if (JSON.stringify(want) !== JSON.stringify(got)) {
                throw new Error(`user ${u.id} ${JSON.stringify(f)}: list differs\n want ${want.join(' ')}\n got  ${got.join(' ')}`);
              }
              lists++;
            }
            if (order === 'desc' && sort === 'updatedAt') {
              const want = (await q.one<{ n: number }>(reference(scope, actor.userId, base).count))!.n;
              const got = await repo.countCustomers(q, scope, actor.userId, base);
              if (want !== got) throw new Error(`user ${u.id} ${JSON.stringify(base)}: count ${got}, expected ${want}`);
              counts++;
            }
          }
        }
      }
    });
  }
  console.log(`${ds.where}: ${users.length} users (${perOwner} paged owner by owner): ${lists} pages and ${counts} counts identical to the plain query`);
  await db.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
