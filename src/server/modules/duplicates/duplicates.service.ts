import type { z } from 'zod';
import {
  DUPLICATE_FIELDS,
  type DuplicateCheck,
  type DuplicateEntity,
  type DuplicateField,
  type DuplicateMatchDto,
  type DuplicateRulesBody,
} from '../../../common/schemas/duplicates.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError } from '../../platform/http/errors.js';
import * as repo from './duplicates.repo.js';

/** Rule field → the API field holding its value. */
const API_FIELD: Record<DuplicateField, string> = { name: 'name', phone: 'phone', email: 'email', credit_code: 'creditCode', mobile: 'mobile' };

/**
 * Live records that the given values duplicate under the company's rules (CUS-12).
 * Matches may lie outside the caller's data scope: only a name and an owner are told,
 * which is what a sales team needs to avoid working the same customer twice.
 */
export async function findDuplicates(
  q: Queryable,
  tenantId: number,
  entity: DuplicateEntity,
  values: Record<string, string | null | undefined>,
  exceptId: number | null,
): Promise<DuplicateMatchDto[]> {
  const rules = (await repo.rulesOf(q, tenantId)).filter((r) => r.entity_type === entity && r.mode !== 'off');
  const out: DuplicateMatchDto[] = [];
  for (const rule of rules) {
    const value = values[API_FIELD[rule.field]];
    if (!value) continue;
    for (const m of await repo.findMatches(q, tenantId, entity, rule.field, value, exceptId)) {
      out.push({ field: rule.field, mode: rule.mode, id: m.id, name: m.name, ownerName: m.owner_name, customerName: m.customer_name });
    }
  }
  return out;
}

/** Refuses a write that a refuse-mode rule forbids, naming the record it duplicates. */
export async function enforceDuplicateRules(
  q: Queryable,
  tenantId: number,
  entity: DuplicateEntity,
  values: Record<string, string | null | undefined>,
  exceptId: number | null,
): Promise<void> {
  const refused = (await findDuplicates(q, tenantId, entity, values, exceptId)).filter((m) => m.mode === 'refuse');
  if (!refused.length) return;
  const first = refused[0]!;
  throw new AppError(
    'DUPLICATE_RECORD',
    { field: API_FIELD[first.field], name: first.name, owner: first.ownerName ?? '-' },
    refused.map((m) => ({ path: API_FIELD[m.field]!, message: 'duplicate' })),
  );
}

export function checkDuplicates(actor: Actor, input: z.output<typeof DuplicateCheck>) {
  return actor.tx(async (q) => ({ matches: await findDuplicates(q, actor.tenantId, input.entity, input.values, input.exceptId ?? null) }));
}

export function listRules(actor: Actor) {
  return actor.tx(async (q) => (await repo.rulesOf(q, actor.tenantId)).map((r) => ({ entity: r.entity_type, field: r.field, mode: r.mode })));
}

export function setRules(actor: Actor, input: z.output<typeof DuplicateRulesBody>) {
  return actor.tx(async (q) => {
    for (const [i, r] of input.rules.entries()) {
      if (!(DUPLICATE_FIELDS[r.entity] as readonly string[]).includes(r.field)) {
        throw new AppError('VALIDATION_FAILED', {}, [{ path: `rules.${i}.field`, message: 'invalid' }]);
      }
      // customer names are unique by definition (CUS-1)
      if (r.entity === 'customer' && r.field === 'name' && r.mode !== 'refuse') {
        throw new AppError('VALIDATION_FAILED', {}, [{ path: `rules.${i}.mode`, message: 'invalid' }]);
      }
      await repo.setRule(q, actor.tenantId, r.entity, r.field, r.mode);
    }
    await recordChange(q, actor, { entity: 'duplicate_rules', recordId: null, action: 'update', changes: [{ field: 'rules', before: null, after: input.rules }] });
    return (await repo.rulesOf(q, actor.tenantId)).map((r) => ({ entity: r.entity_type, field: r.field, mode: r.mode }));
  });
}

/**
 * For each row of a batch (imports), the first live record it duplicates
 * under the company's rules: refuse-mode rules before warn-mode ones.
 */
export async function findBatchDuplicates(
  q: Queryable,
  tenantId: number,
  entity: DuplicateEntity,
  rows: Record<string, string | null | undefined>[],
): Promise<({ id: number; name: string; field: DuplicateField; mode: 'warn' | 'refuse' } | undefined)[]> {
  const rules = (await repo.rulesOf(q, tenantId))
    .filter((r): r is typeof r & { mode: 'warn' | 'refuse' } => r.entity_type === entity && r.mode !== 'off')
    .sort((a, b) => (a.mode === b.mode ? 0 : a.mode === 'refuse' ? -1 : 1));
  const out: ({ id: number; name: string; field: DuplicateField; mode: 'warn' | 'refuse' } | undefined)[] = rows.map(() => undefined);
  for (const rule of rules) {
    const pending = rows.map((r, i) => (out[i] ? null : (r[API_FIELD[rule.field]] ?? null)));
    for (const [i, m] of await repo.firstMatches(q, tenantId, entity, rule.field, pending)) out[i] = { ...m, field: rule.field, mode: rule.mode };
  }
  return out;
}

/** A rule field's value as the rule compares it (the SQL expressions of duplicates.repo). */
const COMPARED: Partial<Record<DuplicateField, (v: string) => string>> = {
  name: (v) => v.replace(/\s+/g, '').replace(/\(/g, '（').replace(/\)/g, '）').toLowerCase(),
  phone: (v) => v.replace(/\D/g, ''),
};

/**
 * For rows of one file: the keys under which two of them are the same record
 * by the entity's refusing rules (`phone:075588886666`), so that an import
 * refuses the second as the form would; records already saved are found by
 * findBatchDuplicates.
 */
export async function refusingKeys(q: Queryable, tenantId: number, entity: DuplicateEntity): Promise<(values: Record<string, string | null | undefined>) => string[]> {
  const fields = (await repo.rulesOf(q, tenantId)).filter((r) => r.entity_type === entity && r.mode === 'refuse').map((r) => r.field);
  return (values) =>
    fields.flatMap((field) => {
      const value = values[API_FIELD[field]];
      const compared = value ? (COMPARED[field] ?? ((v: string) => v))(value) : '';
      return compared ? [`${field}:${compared}`] : [];
    });
}
