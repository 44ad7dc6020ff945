import type { Database } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError } from '../../platform/http/errors.js';
import { visibleCustomer } from '../customers/customers.service.js';
import * as repo from './customer-value.repo.js';

export function pointsOf(actor: Actor, customerId: number) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, customerId);
    const items = (await repo.history(q, actor.tenantId, customerId)).map((p) => ({
      id: p.id, delta: p.delta, balance: p.balance, reason: p.reason, createdByName: p.created_by_name, createdAt: p.created_at.toISOString(),
    }));
    return { balance: c.points, items };
  });
}

/** Grants (delta > 0) or redeems (delta < 0) points; a redemption cannot take the balance below zero. */
export function changePoints(actor: Actor, customerId: number, delta: number, reason: string) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, customerId, true);
    if (!c.can_write) throw new AppError('RECORD_READ_ONLY');
    const balance = await repo.addPoints(q, actor.tenantId, customerId, delta, reason, actor.userId);
    if (balance === null) throw new AppError('POINTS_INSUFFICIENT', { balance: c.points }, [{ path: 'delta', message: 'invalid' }]);
    await recordChange(q, actor, { entity: 'customer', recordId: customerId, recordName: c.name, action: delta > 0 ? 'points_grant' : 'points_redeem', changes: [{ field: 'points', before: c.points, after: balance }] });
    return { balance };
  });
}

export function pointsRanking(actor: Actor, limit: number) {
  return actor.tx(async (q) => {
    const rows = await repo.ranking(q, await resolveScope(q, actor, 'customer'), limit);
    return rows.map((r, i) => ({ rank: i + 1, id: r.id, name: r.name, code: r.code, points: r.points, ownerName: r.owner_name }));
  });
}

/** The nightly RFM run for every company. */
export async function runRfm(db: Database, now = new Date()) {
  const tenants = await db.system((q) => q.query<{ id: number }>(sql`SELECT id FROM tenants ORDER BY id`));
  let customers = 0;
  for (const { id } of tenants) customers += await db.tenant({ tenantId: id }, (q) => repo.computeRfm(q, id, now));
  return { tenants: tenants.length, customers };
}
