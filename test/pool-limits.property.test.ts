/**
 * Property-based test of the pool limits (CUS-9, CUS-10, CUS-11): random
 * sequences of claims, returns and protections by a few members, against a
 * small model of the rules. Every operation must succeed or fail exactly as the
 * model says (with the model's error code), and no history ever breaks a limit.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Permission } from '../src/common/permissions.js';
import type { Database } from '../src/server/db/database.js';
import { sql } from '../src/server/db/sql.js';
import * as pool from '../src/server/modules/pool/pool.service.js';
import { actorForUser } from '../src/server/platform/auth/actor-loader.js';
import { AppError } from '../src/server/platform/http/errors.js';
import { buildOrg } from './helpers/fixtures.js';
import { openTestDatabase } from './helpers/testdb.js';

const MEMBERS = 3;
const CUSTOMERS = 6;
const PERMISSIONS: Permission[] = ['customer.view', 'customer.protect', 'pool.view', 'pool.claim'];

type Op =
  | { kind: 'claim'; user: number; customers: number[] }
  | { kind: 'return'; user: number; customer: number }
  | { kind: 'protect'; user: number; customer: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('claim' as const), user: fc.nat(MEMBERS - 1), customers: fc.uniqueArray(fc.nat(CUSTOMERS - 1), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('return' as const), user: fc.nat(MEMBERS - 1), customer: fc.nat(CUSTOMERS - 1) }),
  fc.record({ kind: fc.constant('protect' as const), user: fc.nat(MEMBERS - 1), customer: fc.nat(CUSTOMERS - 1) }),
);

const caseArb = fc.record({
  maxOwned: fc.integer({ min: 1, max: 4 }),
  maxClaimsPerDay: fc.integer({ min: 1, max: 4 }),
  protectionLimit: fc.integer({ min: 1, max: 2 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 12 }),
});

/** What the rules say: the state of the pool and the expected outcome of each operation. */
class Model {
  owner: (number | null)[] = Array(CUSTOMERS).fill(null);
  claimedToday: number[] = Array(MEMBERS).fill(0);
  released: Set<number>[] = Array.from({ length: MEMBERS }, () => new Set());
  protectedBy: Set<number>[] = Array.from({ length: MEMBERS }, () => new Set());
  constructor(readonly limits: { maxOwned: number; maxClaimsPerDay: number; protectionLimit: number }) {}

  owned = (u: number) => this.owner.filter((o) => o === u).length;

  /** The expected error code, or null for success; applies the operation when it succeeds. */
  apply(op: Op): string | null {
    const u = op.user;
    if (op.kind === 'claim') {
      if (op.customers.some((c) => this.owner[c] !== null)) return 'NOT_IN_POOL';
      if (this.owned(u) + op.customers.length > this.limits.maxOwned) return 'OWN_LIMIT';
      if (this.claimedToday[u]! + op.customers.length > this.limits.maxClaimsPerDay) return 'CLAIM_LIMIT';
      if (op.customers.some((c) => this.released[u]!.has(c))) return 'RECLAIM_DELAY';
      for (const c of op.customers) this.owner[c] = u;
      this.claimedToday[u]! += op.customers.length;
      return null;
    }
    const c = op.customer;
    // a customer of someone else is invisible (scope self); one in the pool is readable but not the caller's
    if (this.owner[c] !== u) return this.owner[c] === null ? 'RECORD_READ_ONLY' : 'NOT_FOUND';
    if (op.kind === 'return') {
      this.owner[c] = null;
      this.released[u]!.add(c);
      this.protectedBy[u]!.delete(c);
      return null;
    }
    if (this.protectedBy[u]!.size >= this.limits.protectionLimit) return 'PROTECTION_LIMIT';
    this.protectedBy[u]!.add(c);
    return null;
  }
}

let db: Database;
let caseNo = 0;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

async function runCase({ maxOwned, maxClaimsPerDay, protectionLimit, ops }: { maxOwned: number; maxClaimsPerDay: number; protectionLimit: number; ops: Op[] }) {
  caseNo++;
  const org = await buildOrg(db, `pool${caseNo}`, {
    departmentParents: [],
    roles: [{ permissions: PERMISSIONS, scope: 'self' }],
    users: [
      { department: 0, superior: null, superAdmin: true, roles: [] },
      ...Array.from({ length: MEMBERS }, () => ({ department: 0, superior: null, superAdmin: false, roles: [0] })),
    ],
    customers: [],
    access: [],
  });
  const [adminId, ...memberIds] = org.userIds;
  const admin = await actorForUser(db, org.tenantId, adminId!);
  const p = await pool.savePool(admin, null, {
    name: '公海', enabled: true, maxOwned, maxClaimsPerDay, reclaimDelayDays: 30, reminderDays: null, protectionLimit, protectionDays: 10,
    members: memberIds.map((id) => ({ type: 'user' as const, id, isAdmin: false })),
    rules: [],
  });
  const customerIds = await db.tenant({ tenantId: org.tenantId }, async (q) =>
    (await q.query<{ id: number }>(sql`INSERT INTO customers (tenant_id, code, name, pool_id, pooled_at)
      SELECT ${org.tenantId}, 'P' || g, '公海客户' || g, ${p.id}, now() FROM generate_series(1, ${CUSTOMERS}) g ORDER BY g RETURNING id`)).map((r) => r.id),
  );
  const members = await Promise.all(memberIds.map((id) => actorForUser(db, org.tenantId, id)));
  const model = new Model({ maxOwned, maxClaimsPerDay, protectionLimit });
  for (const [i, op] of ops.entries()) {
    const expected = model.apply(op);
    const actor = members[op.user]!;
    const outcome = await (op.kind === 'claim'
      ? pool.claim(actor, p.id, op.customers.map((c) => customerIds[c]!))
      : op.kind === 'return'
        ? pool.returnToPool(actor, customerIds[op.customer]!, { reason: '测试' })
        : pool.protect(actor, customerIds[op.customer]!, true)
    ).then(
      () => null,
      (e: unknown) => {
        if (e instanceof AppError) return e.code;
        throw e;
      },
    );
    expect(outcome, `case ${caseNo}, op ${i} ${JSON.stringify(op)} of ${JSON.stringify(ops)}`).toBe(expected);
  }
  // the database agrees with the model on who owns what
  const owners = await db.tenant({ tenantId: org.tenantId }, (q) =>
    q.query<{ id: number; owner_id: number | null }>(sql`SELECT id, owner_id FROM customers WHERE id = ANY(${customerIds}::bigint[]) ORDER BY id`),
  );
  expect(owners.map((o) => (o.owner_id === null ? null : memberIds.indexOf(o.owner_id)))).toEqual(model.owner);
}

it('claims, returns and protections follow the pool limits (100 generated sequences)', async () => {
  await fc.assert(fc.asyncProperty(caseArb, runCase), { numRuns: 100 });
}, 300_000);
