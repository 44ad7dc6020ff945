import type { z } from 'zod';
import {
  DICTIONARY_KINDS,
  type DictionaryItemCreate,
  type DictionaryItemDto,
  type DictionaryItemUpdate,
  type DictionaryKind,
} from '../../../common/schemas/dictionaries.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as repo from './dictionaries.repo.js';

const toDto = (r: repo.DictionaryItemRow): DictionaryItemDto => ({
  code: r.code,
  label: r.label,
  parentCode: r.parent_code,
  sort: r.sort,
  enabled: r.enabled,
  nextCodes: r.next_codes,
});

/** Every dictionary of the company, grouped by kind (disabled items included, for old records' labels). */
export function listDictionaries(actor: Actor): Promise<Record<DictionaryKind, DictionaryItemDto[]>> {
  return actor.tx(async (q) => {
    const out = Object.fromEntries(DICTIONARY_KINDS.map((k) => [k, [] as DictionaryItemDto[]])) as Record<DictionaryKind, DictionaryItemDto[]>;
    for (const row of await repo.listItems(q, actor.tenantId)) out[row.kind].push(toDto(row));
    return out;
  });
}

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', {}, [{ path, message }]);

async function checkNextCodes(q: Queryable, actor: Actor, kind: DictionaryKind, codes: string[] | null | undefined, self: string) {
  if (!codes) return;
  if (kind !== 'customer_status') throw invalid('nextCodes', 'unknownKey');
  const known = new Set((await repo.listItems(q, actor.tenantId)).filter((r) => r.kind === kind).map((r) => r.code));
  known.add(self);
  const bad = codes.findIndex((c) => !known.has(c));
  if (bad >= 0) throw invalid(`nextCodes.${bad}`, 'disabled');
}

export function createItem(actor: Actor, kind: DictionaryKind, input: z.output<typeof DictionaryItemCreate>) {
  return actor.tx(async (q) => {
    if (await repo.getItem(q, actor.tenantId, kind, input.code)) throw new AppError('DUPLICATE', { field: 'code' }, [{ path: 'code', message: 'duplicate' }]);
    if (input.parentCode) {
      if (kind !== 'industry') throw invalid('parentCode', 'unknownKey');
      const parent = await repo.getItem(q, actor.tenantId, kind, input.parentCode);
      // two levels: an industry and its sub-industries
      if (!parent || parent.parent_code) throw invalid('parentCode', 'invalid');
    }
    await checkNextCodes(q, actor, kind, input.nextCodes, input.code);
    const item = {
      code: input.code,
      label: input.label,
      parentCode: input.parentCode ?? null,
      sort: input.sort ?? (await repo.nextSort(q, actor.tenantId, kind)),
      nextCodes: input.nextCodes ?? null,
    };
    await repo.insertItem(q, actor.tenantId, kind, item);
    await recordChange(q, actor, { entity: 'dictionary', recordId: null, recordName: `${kind}:${input.code}`, action: 'create', changes: diffChanges(null, item, ['label', 'parentCode', 'nextCodes']) });
    return toDto((await repo.getItem(q, actor.tenantId, kind, input.code))!);
  });
}

export function updateItem(actor: Actor, kind: DictionaryKind, code: string, input: z.output<typeof DictionaryItemUpdate>) {
  return actor.tx(async (q) => {
    const before = await repo.getItem(q, actor.tenantId, kind, code, true);
    if (!before) throw notFound();
    await checkNextCodes(q, actor, kind, input.nextCodes, code);
    const after = {
      label: input.label ?? before.label,
      sort: input.sort ?? before.sort,
      enabled: input.enabled ?? before.enabled,
      nextCodes: input.nextCodes === undefined ? before.next_codes : input.nextCodes,
    };
    const changes = diffChanges({ label: before.label, sort: before.sort, enabled: before.enabled, nextCodes: before.next_codes }, after, ['label', 'sort', 'enabled', 'nextCodes']);
    if (changes.length) {
      await repo.updateItem(q, actor.tenantId, kind, code, after);
      await recordChange(q, actor, { entity: 'dictionary', recordId: null, recordName: `${kind}:${code}`, action: 'update', changes });
    }
    return toDto((await repo.getItem(q, actor.tenantId, kind, code))!);
  });
}

/**
 * Refuses codes that do not exist or are disabled, for the fields of a record
 * being written. `fields` maps a field path to its kind and the code (or null).
 */
export async function assertCodes(q: Queryable, tenantId: number, fields: { path: string; kind: DictionaryKind; code: string | null | undefined }[]) {
  for (const f of fields) {
    if (f.code == null) continue;
    const ok = await repo.enabledCodes(q, tenantId, f.kind, [f.code]);
    if (!ok.has(f.code)) throw invalid(f.path, 'disabled');
  }
}

/** Refuses a customer status change that the status dictionary does not allow. */
export async function assertStatusTransition(q: Queryable, tenantId: number, from: string, to: string) {
  if (from === to) return;
  const current = await repo.getItem(q, tenantId, 'customer_status', from);
  if (current?.next_codes && !current.next_codes.includes(to)) throw invalid('statusCode', 'notAllowedTransition');
}
