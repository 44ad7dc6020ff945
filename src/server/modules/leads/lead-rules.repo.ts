import type { z } from 'zod';
import type { AssignmentRuleInput, ScoreRuleInput } from '../../../common/schemas/leads.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface AssignmentRuleRow {
  id: number;
  name: string;
  priority: number;
  enabled: boolean;
  source_code: string | null;
  industry_code: string | null;
  province_code: string | null;
  method: 'round_robin' | 'least_loaded';
  user_ids: number[];
}

export function assignmentRules(q: Queryable, tenantId: number): Promise<AssignmentRuleRow[]> {
  return q.query<AssignmentRuleRow>(sql`SELECT id, name, priority, enabled, source_code, industry_code, province_code, method, user_ids
    FROM lead_assignment_rules WHERE tenant_id = ${tenantId} ORDER BY priority DESC, id`);
}

export function scoreRules(q: Queryable, tenantId: number) {
  return q.query<{ field: z.output<typeof ScoreRuleInput>['field']; value: string | null; points: number }>(sql`
    SELECT field, value, points FROM lead_score_rules WHERE tenant_id = ${tenantId} ORDER BY id`);
}

export async function replaceRules(
  q: Queryable,
  tenantId: number,
  assignment: z.output<typeof AssignmentRuleInput>[],
  scoring: z.output<typeof ScoreRuleInput>[],
): Promise<void> {
  await q.query(sql`DELETE FROM lead_assignment_rules WHERE tenant_id = ${tenantId}`);
  await q.query(sql`DELETE FROM lead_score_rules WHERE tenant_id = ${tenantId}`);
  for (const r of assignment) {
    await q.query(sql`INSERT INTO lead_assignment_rules (tenant_id, name, priority, enabled, source_code, industry_code, province_code, method, user_ids)
      VALUES (${tenantId}, ${r.name}, ${r.priority}, ${r.enabled}, ${r.sourceCode}, ${r.industryCode}, ${r.provinceCode}, ${r.method}, ${r.userIds}::bigint[])`);
  }
  for (const r of scoring) {
    await q.query(sql`INSERT INTO lead_score_rules (tenant_id, field, value, points) VALUES (${tenantId}, ${r.field}, ${r.value}, ${r.points})`);
  }
}

/** The next owner of a round-robin rule: its turn moves on under a row lock, so two servers never hand out the same turn. */
export async function nextInTurn(q: Queryable, tenantId: number, ruleId: number): Promise<number | null> {
  const row = await q.one<{ owner: number | null }>(sql`
    WITH r AS (SELECT turn, user_ids FROM lead_assignment_rules WHERE tenant_id = ${tenantId} AND id = ${ruleId} FOR UPDATE),
    active AS (SELECT u.id, a.ord FROM r, unnest(r.user_ids) WITH ORDINALITY AS a(id, ord)
               JOIN users u ON u.tenant_id = ${tenantId} AND u.id = a.id AND u.status = 'active'),
    pick AS (SELECT id FROM active ORDER BY ord OFFSET (SELECT turn FROM r) % greatest((SELECT count(*) FROM active), 1) LIMIT 1),
    bump AS (UPDATE lead_assignment_rules SET turn = turn + 1 WHERE tenant_id = ${tenantId} AND id = ${ruleId})
    SELECT (SELECT id FROM pick) AS owner`);
  return row?.owner ?? null;
}

/** The active user of a rule with the fewest open leads (new or qualifying). */
export async function leastLoaded(q: Queryable, tenantId: number, userIds: number[]): Promise<number | null> {
  const row = await q.one<{ id: number }>(sql`
    SELECT u.id FROM users u
    WHERE u.tenant_id = ${tenantId} AND u.id = ANY(${userIds}::bigint[]) AND u.status = 'active'
    ORDER BY (SELECT count(*) FROM leads l WHERE l.tenant_id = u.tenant_id AND l.owner_id = u.id AND l.deleted_at IS NULL
              AND l.status IN ('new', 'qualifying')), u.id
    LIMIT 1`);
  return row?.id ?? null;
}

export interface FormRow {
  tenant_id: number;
  id: number;
  token: string;
  name: string;
  source_code: string | null;
  enabled: boolean;
}

/** A form by its public token, before the tenant is known (system context). */
export function formByToken(q: Queryable, token: string): Promise<FormRow | undefined> {
  return q.one<FormRow>(sql`SELECT tenant_id, id, token, name, source_code, enabled FROM lead_forms WHERE token = ${token}`);
}

export function forms(q: Queryable, tenantId: number): Promise<FormRow[]> {
  return q.query<FormRow>(sql`SELECT tenant_id, id, token, name, source_code, enabled FROM lead_forms WHERE tenant_id = ${tenantId} ORDER BY id`);
}

/** False when the form is not this company's. */
export async function updateForm(q: Queryable, tenantId: number, id: number, f: { name: string; sourceCode: string | null; enabled: boolean }): Promise<boolean> {
  const rows = await q.query(sql`UPDATE lead_forms SET name = ${f.name}, source_code = ${f.sourceCode}, enabled = ${f.enabled} WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`);
  return rows.length > 0;
}

export async function insertForm(q: Queryable, tenantId: number, f: { token: string; name: string; sourceCode: string | null; enabled: boolean }): Promise<void> {
  await q.query(sql`INSERT INTO lead_forms (tenant_id, token, name, source_code, enabled) VALUES (${tenantId}, ${f.token}, ${f.name}, ${f.sourceCode}, ${f.enabled})`);
}
