import type { z } from 'zod';
import type { LevelRuleDto, LevelRuleInput } from '../../../common/schemas/customer-value.js';
import type { Database, Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { assertCodes } from '../dictionaries/dictionaries.service.js';
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

/** The nightly RFM run for every company, then its level rules on the new scores (same transaction). */
export async function runRfm(db: Database, now = new Date()) {
  const tenants = await db.system((q) => q.query<{ id: number }>(sql`SELECT id FROM tenants ORDER BY id`));
  let customers = 0;
  let levelsChanged = 0;
  for (const { id } of tenants) {
    await db.tenant({ tenantId: id }, async (q) => {
      customers += await repo.computeRfm(q, id, now);
      levelsChanged += await repo.applyLevelRules(q, id, now);
    });
  }
  return { tenants: tenants.length, customers, levelsChanged };
}

const RULE_ENTITY = 'level_rule';
const RULE_FIELDS = ['levelCode', 'minScore', 'maxScore', 'minR', 'minF', 'minM', 'priority', 'enabled'] as const satisfies (keyof LevelRuleDto)[];

const toRuleDto = (r: repo.LevelRuleRow): LevelRuleDto => ({
  id: r.id,
  levelCode: r.level_code,
  minScore: r.min_score,
  maxScore: r.max_score,
  minR: r.min_r,
  minF: r.min_f,
  minM: r.min_m,
  priority: r.priority,
  enabled: r.enabled,
});

export const listLevelRules = (actor: Actor) => actor.tx(async (q) => (await repo.levelRules(q, actor.tenantId)).map(toRuleDto));

export function createLevelRule(actor: Actor, input: z.output<typeof LevelRuleInput>) {
  return actor.tx(async (q) => {
    await assertCodes(q, actor.tenantId, [{ path: 'levelCode', kind: 'customer_level', code: input.levelCode }]);
    const id = await repo.insertLevelRule(q, actor.tenantId, input);
    await recordChange(q, actor, { entity: RULE_ENTITY, recordId: id, recordName: input.levelCode, action: 'create' });
    return toRuleDto((await repo.levelRule(q, actor.tenantId, id))!);
  });
}

async function existingRule(q: Queryable, actor: Actor, id: number) {
  const r = await repo.levelRule(q, actor.tenantId, id);
  if (!r) throw notFound();
  return r;
}

export function updateLevelRule(actor: Actor, id: number, input: z.output<typeof LevelRuleInput>) {
  return actor.tx(async (q) => {
    const before = await existingRule(q, actor, id);
    // a level kept as it was stays valid even when its item was disabled since
    if (input.levelCode !== before.level_code) await assertCodes(q, actor.tenantId, [{ path: 'levelCode', kind: 'customer_level', code: input.levelCode }]);
    await repo.updateLevelRule(q, actor.tenantId, id, input);
    const after = (await repo.levelRule(q, actor.tenantId, id))!;
    await recordChange(q, actor, { entity: RULE_ENTITY, recordId: id, recordName: input.levelCode, action: 'update', changes: diffChanges(toRuleDto(before), toRuleDto(after), RULE_FIELDS) });
    return toRuleDto(after);
  });
}

export function deleteLevelRule(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const r = await existingRule(q, actor, id);
    await repo.deleteLevelRule(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: RULE_ENTITY, recordId: id, recordName: r.level_code, action: 'delete' });
  });
}
