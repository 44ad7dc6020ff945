/**
 * Field-level permissions (ORG-6) applied in one place: reads mask the fields
 * a user's roles hide, writes refuse what the roles do not let them change.
 * Services call these on every path that returns or stores a record.
 */
import { FIELD_ACCESS_ENTITIES, type FieldAccessEntity, type FieldAccessLevel, isCustomFieldKey } from '../../../common/field-access.js';
import type { Actor } from '../auth/actor.js';
import { AppError } from '../http/errors.js';

type Restricted = [key: string, level: FieldAccessLevel][];
const restricted = (actor: Actor, entity: FieldAccessEntity): Restricted => Object.entries(actor.fieldAccess[entity] ?? {});

const hasFieldAccess = (entity: string): entity is FieldAccessEntity => (FIELD_ACCESS_ENTITIES as readonly string[]).includes(entity);

/** The keys (standard fields and cf_… custom fields) of `entity` hidden from the actor; none for an entity without field permissions. */
export function hiddenFields(actor: Actor, entity: string): Set<string> {
  if (!hasFieldAccess(entity)) return new Set();
  return new Set(restricted(actor, entity).filter(([, level]) => level === 'hidden').map(([key]) => key));
}

/** The keys of `entity` the actor's roles restrict at all (hidden or read-only): an import cannot fill them. */
export function restrictedFields(actor: Actor, entity: string): Set<string> {
  return hasFieldAccess(entity) ? new Set(restricted(actor, entity).map(([key]) => key)) : new Set();
}

/** A copy of the record without what the actor may not see: hidden fields null, hidden custom values left out. */
export function maskHidden<T extends object>(actor: Actor, entity: FieldAccessEntity, record: T): T {
  const hidden = hiddenFields(actor, entity);
  if (!hidden.size) return record;
  const out = { ...record } as Record<string, unknown>;
  for (const key of hidden) {
    if (isCustomFieldKey(key)) {
      if (out.custom && typeof out.custom === 'object') {
        const { [key]: _gone, ...rest } = out.custom as Record<string, unknown>;
        out.custom = rest;
      }
    } else if (key in out) out[key] = null;
  }
  return out as T;
}

/** Change-log entries ({ field, before, after }) without those of hidden fields (custom ones are logged as custom.cf_…). */
export function maskHiddenChanges(actor: Actor, entity: string, changes: unknown[]): unknown[] {
  const hidden = hiddenFields(actor, entity);
  const field = (c: unknown) => String((c as { field?: unknown } | null)?.field ?? '').replace(/^custom\./, '');
  return hidden.size ? changes.filter((c) => !hidden.has(field(c))) : changes;
}

/** Refuses a request that filters by or reads out fields the actor cannot see (a filter's matches would tell their values). */
export function assertVisible(actor: Actor, entity: string, keys: Iterable<string>) {
  const hidden = hiddenFields(actor, entity);
  const refused = [...keys].filter((k) => hidden.has(k));
  if (refused.length) throw new AppError('FIELD_HIDDEN', { fields: refused.join(', ') }, refused.map((k) => ({ path: isCustomFieldKey(k) ? `custom.${k}` : k, message: 'hidden' })));
}

/** Refuses an action that changes one field only (a stock adjustment) when the actor's roles restrict that field. */
export function assertFieldWritable(actor: Actor, entity: FieldAccessEntity, key: string) {
  if (restrictedFields(actor, entity).has(key)) throw new AppError('FIELD_READ_ONLY', { fields: key }, [{ path: key, message: 'readOnly' }]);
}

const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length);
function same(a: unknown, b: unknown): boolean {
  if (empty(a) && empty(b)) return true;
  if (empty(a) || empty(b)) return false;
  // a form sends 100000 where the database holds '100000.00'
  if ((typeof a === 'number' || typeof b === 'number') && Number(a) === Number(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Refuses a create (`current` null) or update that writes a field the actor's
 * roles restrict: a read-only field may only be sent back unchanged (a form
 * resends what it shows); a hidden one not at all, except empty on a new
 * record, so its value cannot be probed by trying.
 */
export function assertWritable(actor: Actor, entity: FieldAccessEntity, input: object, current: object | null) {
  const fields = restricted(actor, entity);
  if (!fields.length) return;
  const valueOf = (record: object | null, key: string) => {
    const r = record as Record<string, unknown> | null;
    return isCustomFieldKey(key) ? (r?.custom as Record<string, unknown> | undefined)?.[key] : r?.[key];
  };
  const refused: string[] = [];
  for (const [key, level] of fields) {
    const value = valueOf(input, key);
    if (value === undefined) continue;
    const allowed = level === 'readonly' ? same(value, valueOf(current, key)) : current === null && empty(value);
    if (!allowed) refused.push(isCustomFieldKey(key) ? `custom.${key}` : key);
  }
  if (refused.length) throw new AppError('FIELD_READ_ONLY', { fields: refused.join(', ') }, refused.map((path) => ({ path, message: 'readOnly' })));
}
