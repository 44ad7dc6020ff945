import type { z } from 'zod';
import { ENTRY_RULE_ENTITIES, type EntryRuleEntity, type EntryRulesBody, type EntryRulesDto } from '../../../common/schemas/entry-rules.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError } from '../../platform/http/errors.js';
import * as repo from './entry-rules.repo.js';

async function rulesOf(q: Queryable, tenantId: number): Promise<EntryRulesDto> {
  const out = Object.fromEntries(ENTRY_RULE_ENTITIES.map((e) => [e, [] as string[]])) as Record<EntryRuleEntity, string[]>;
  for (const r of await repo.requiredFields(q, tenantId)) out[r.entity_type].push(r.field);
  return out as EntryRulesDto;
}

/** The standard fields the company requires of an entity (imports mark them in the wizard and check each row). */
export async function requiredFieldsOf(q: Queryable, tenantId: number, entity: EntryRuleEntity): Promise<string[]> {
  return (await rulesOf(q, tenantId))[entity];
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Refuses a write that leaves a required standard field (CUS-13) empty, naming
 * every such field: on create each one needs a value; on update only what the
 * request clears is checked (a record from before the rule may stay as it is).
 * `collected` limits the rules to the fields a form asks for (the public web form).
 */
export async function enforceRequired(
  q: Queryable,
  tenantId: number,
  entity: EntryRuleEntity,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
  collected?: readonly string[],
): Promise<void> {
  const required = ((await rulesOf(q, tenantId))[entity] as string[]).filter((f) => !collected || collected.includes(f));
  const missing = required.filter((f) => (mode === 'create' ? isEmpty(input[f]) : f in input && isEmpty(input[f])));
  if (missing.length) throw new AppError('VALIDATION_FAILED', {}, missing.map((path) => ({ path, message: 'required' })));
}

export function getEntryRules(actor: Actor) {
  return actor.tx((q) => rulesOf(q, actor.tenantId));
}

export function setEntryRules(actor: Actor, input: z.output<typeof EntryRulesBody>) {
  return actor.tx(async (q) => {
    const before = await rulesOf(q, actor.tenantId);
    for (const entity of ENTRY_RULE_ENTITIES) {
      const fields = input[entity];
      if (fields) await repo.replaceRequired(q, actor.tenantId, entity, [...new Set(fields)]);
    }
    const after = await rulesOf(q, actor.tenantId);
    await recordChange(q, actor, { entity: 'entry_rules', recordId: null, action: 'update', changes: [{ field: 'required', before, after }] });
    return after;
  });
}
