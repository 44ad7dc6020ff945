import type { z } from 'zod';
import type { FieldChange, LoginLogQuery, OperationLogQuery } from '../../../common/schemas/audit.js';
import type { Queryable } from '../../db/database.js';
import { maskHiddenChanges } from '../access/field-access.js';
import type { Actor } from '../auth/actor.js';
import { keysetPage } from '../../db/keyset.js';
import * as repo from './audit.repo.js';

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v === undefined) return null;
  return v;
}

/** The fields whose value differs between `before` and `after`, among `fields`. */
export function diffChanges<T extends object>(before: T | null, after: T | null, fields: (keyof T & string)[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const b = normalise(before ? before[field] : null);
    const a = normalise(after ? after[field] : null);
    if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ field, before: b, after: a });
  }
  return changes;
}

/**
 * Appends to the operation log inside the caller's transaction, so a change and
 * its log entry commit or roll back together.
 */
export async function recordChange(
  q: Queryable,
  actor: Actor,
  e: { entity: string; recordId: number | null; recordName?: string | null; action: string; changes?: FieldChange[] },
): Promise<void> {
  await repo.insertAudit(q, {
    tenantId: actor.tenantId,
    actorId: actor.userId,
    actorName: actor.name,
    ip: actor.ip,
    userAgent: actor.userAgent,
    entity: e.entity,
    recordId: e.recordId,
    recordName: e.recordName ?? null,
    action: e.action,
    changes: e.changes ?? [],
  });
}

/** A log entry as the actor may read it: what their roles hide (ORG-6) left out of its changes. */
const toOperation = (actor: Actor) => (r: repo.AuditRow) => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorName: r.actor_name,
  ip: r.ip,
  userAgent: r.user_agent,
  entity: r.entity_type,
  recordId: r.record_id,
  recordName: r.record_name,
  action: r.action,
  changes: maskHiddenChanges(actor, r.entity_type, r.changes),
});

export async function listOperations(actor: Actor, query: z.output<typeof OperationLogQuery>) {
  const rows = await actor.tx((q) => repo.listOperations(q, actor.tenantId, query));
  const page = keysetPage(rows, query.limit);
  return { items: page.items.map(toOperation(actor)), nextCursor: page.nextCursor };
}

/**
 * The history of one record (and of records merged into it); the caller has
 * already checked that the actor may see the record.
 */
export async function recordHistory(
  q: Queryable,
  actor: Actor,
  entity: string,
  recordId: number,
  opts: { limit?: number; before?: string; mergedIds?: number[] } = {},
) {
  const limit = opts.limit ?? 200;
  const rows = await repo.listOperations(q, actor.tenantId, { entity, recordId, alsoRecordIds: opts.mergedIds, limit, to: opts.before });
  return keysetPage(rows, limit).items.map(toOperation(actor));
}

export async function listLogins(actor: Actor, query: z.output<typeof LoginLogQuery>) {
  const rows = await actor.tx((q) => repo.listLogins(q, actor.tenantId, query));
  const page = keysetPage(rows, query.limit);
  return {
    items: page.items.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      userName: r.user_name,
      login: r.login,
      result: r.result,
      ip: r.ip,
      userAgent: r.user_agent,
    })),
    nextCursor: page.nextCursor,
  };
}
