import type { z } from 'zod';
import type {
  AddressDto,
  CustomerCreate,
  CustomerDto,
  CustomerListQuery,
  CustomerTransfer,
  CustomerUpdate,
  CustomerBulkAction,
  RecordAccessBody,
} from '../../../common/schemas/customers.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import { assertWritable, maskHidden } from '../../platform/access/field-access.js';
import * as access from '../../platform/access/record-access.repo.js';
import * as members from '../../platform/access/record-members.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { resolveRegion } from '../../platform/regions/regions.js';
import { pinyinValues } from '../../platform/search/text-match.js';
import { formatRegion } from '../../../common/schemas/regions.js';
import { assertCodes, assertStatusTransition } from '../dictionaries/dictionaries.service.js';
import { prepareCustomValues, withCustomSql } from '../custom-fields/custom-values.js';
import { hideUnseenRelated, moveRelations } from '../customer-relations/customer-relations.service.js';
import { enforceDuplicateRules } from '../duplicates/duplicates.service.js';
import { enforceRequired } from '../entry-rules/entry-rules.service.js';
import { isActiveUser } from '../org/users.repo.js';
import * as repo from './customers.repo.js';

const ENTITY = 'customer';

const toDto = (c: repo.CustomerRow): CustomerDto => ({
  id: c.id,
  code: c.code,
  name: c.name,
  kind: c.kind,
  industryCode: c.industry_code,
  sourceCode: c.source_code,
  levelCode: c.level_code,
  statusCode: c.status_code,
  provinceCode: c.province_code,
  cityCode: c.city_code,
  districtCode: c.district_code,
  regionName: regionLabel(c.province_code, c.city_code, c.district_code),
  phone: c.phone,
  tags: c.tags,
  locked: c.locked,
  lastFollowupAt: c.last_followup_at?.toISOString() ?? null,
  nextFollowupAt: c.next_followup_at?.toISOString() ?? null,
  custom: c.custom,
  ownerId: c.owner_id,
  ownerName: c.owner_name,
  departmentId: c.department_id,
  departmentName: c.department_name,
  createdAt: c.created_at.toISOString(),
  updatedAt: c.updated_at.toISOString(),
});

/** The record as this actor may see it (ORG-6: hidden fields emptied). */
const shown = <T extends CustomerDto>(actor: Actor, dto: T): T => maskHidden(actor, ENTITY, dto);
const shownDto = (actor: Actor, c: repo.CustomerRow) => shown(actor, toDto(c));

const toAddressDto = (a: repo.AddressRow): AddressDto => ({
  id: a.id,
  tag: a.tag,
  provinceCode: a.province_code,
  cityCode: a.city_code,
  districtCode: a.district_code,
  regionName: regionLabel(a.province_code, a.city_code, a.district_code),
  detail: a.detail,
  postcode: a.postcode,
  isDefault: a.is_default,
});

function regionLabel(provinceCode: string | null, cityCode: string | null, districtCode: string | null): string | null {
  if (!provinceCode) return null;
  const r = resolveRegion({ provinceCode, cityCode: cityCode ?? undefined, districtCode: districtCode ?? undefined });
  return r ? formatRegion([r.provinceName, r.cityName, r.districtName]) : null;
}

/** Field changes the operation log keeps for a customer. */
const AUDITED = [...repo.PROFILE.fields, 'ownerId', 'addresses'] as const;

/** Company names are compared and stored with one kind of brackets and single spaces. */
export const normaliseName = (name: string) =>
  name.trim().replace(/\s+/g, ' ').replace(/\(/g, '（').replace(/\)/g, '）');

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', {}, [{ path, message }]);

type ProfileInput = Omit<CustomerUpdate, 'addresses'> & { addresses?: CustomerUpdate['addresses'] };

/** Checks what a schema alone cannot: dictionaries, regions, and the duplicate rules (a unique name among them). */
async function checkProfile(q: Queryable, actor: Actor, input: ProfileInput, current: repo.CustomerRow | null) {
  // a code kept as it was stays valid even when its item was disabled since
  const changed = (code: string | null | undefined, was: string | null | undefined) => (code === was ? undefined : code);
  await assertCodes(q, actor.tenantId, [
    { path: 'industryCode', kind: 'industry', code: changed(input.industryCode, current?.industry_code) },
    { path: 'sourceCode', kind: 'customer_source', code: changed(input.sourceCode, current?.source_code) },
    { path: 'levelCode', kind: 'customer_level', code: changed(input.levelCode, current?.level_code) },
    { path: 'statusCode', kind: 'customer_status', code: changed(input.statusCode, current?.status_code) },
  ]);
  if (current && input.statusCode) await assertStatusTransition(q, actor.tenantId, current.status_code, input.statusCode);
  const region = {
    provinceCode: input.provinceCode === undefined ? current?.province_code : input.provinceCode,
    cityCode: input.cityCode === undefined ? current?.city_code : input.cityCode,
    districtCode: input.districtCode === undefined ? current?.district_code : input.districtCode,
  };
  checkRegion(region, '');
  input.addresses?.forEach((a, i) => checkRegion(a, `addresses.${i}.`));
  // writers of the same name wait for each other, so two at once cannot both pass the check
  if (input.name !== undefined) await repo.lockName(q, actor.tenantId, input.name);
  await enforceDuplicateRules(q, actor.tenantId, 'customer', { name: input.name, phone: input.phone, email: input.email, creditCode: input.creditCode }, current?.id ?? null);
}

function checkRegion(r: { provinceCode?: string | null; cityCode?: string | null; districtCode?: string | null }, prefix: string) {
  if (!r.provinceCode) {
    if (r.cityCode || r.districtCode) throw invalid(`${prefix}provinceCode`, 'required');
    return;
  }
  if (!resolveRegion({ provinceCode: r.provinceCode, cityCode: r.cityCode ?? undefined, districtCode: r.districtCode ?? undefined })) {
    throw invalid(`${prefix}${r.districtCode ? 'districtCode' : r.cityCode ? 'cityCode' : 'provinceCode'}`, 'region');
  }
}

/** At most one default address; the first one when none is marked. */
function withOneDefault<T extends { isDefault: boolean }>(addresses: T[]): T[] {
  const first = Math.max(0, addresses.findIndex((a) => a.isDefault));
  return addresses.map((a, i) => ({ ...a, isDefault: i === first }));
}

const CODE_INDEX = { customers_code: 'code' };

/** The list query with its custom-field conditions as SQL. */
const withCustomFilter = <Q extends CustomerListQuery>(q: Queryable, actor: Actor, query: Q) => withCustomSql(q, actor, ENTITY, 'c', query);

export function listCustomers(actor: Actor, query: CustomerListQuery) {
  return actor.tx(async (q) => customerPage(q, actor, await resolveScope(q, actor, ENTITY), query));
}

/** A page of the list within a transaction whose customer scope is resolved (the quick search shares one). */
export async function customerPage(q: Queryable, actor: Actor, scope: RecordScope, query: CustomerListQuery & Pick<repo.CustomerFilters, 'ids'>) {
  const page = keysetPage(await repo.listCustomers(q, scope, actor.userId, await withCustomFilter(q, actor, query)), query.limit);
  return { items: page.items.map((c) => shownDto(actor, c)), nextCursor: page.nextCursor };
}

export function countCustomers(actor: Actor, query: CustomerListQuery) {
  return actor.tx(async (q) => ({ total: await repo.countCustomers(q, await resolveScope(q, actor, ENTITY), actor.userId, await withCustomFilter(q, actor, query)) }));
}

/** A customer the actor can see, locked for the change that follows; 404 when invisible. */
export async function visibleCustomer(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const c = await repo.getCustomer(q, await resolveScope(q, actor, ENTITY), id, forUpdate);
  if (!c) throw notFound();
  return c;
}

export function getCustomer(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id);
    return shown(actor, {
      ...toDto(c),
      employeeCount: c.employee_count,
      annualRevenue: c.annual_revenue,
      email: c.email,
      website: c.website,
      creditCode: c.credit_code,
      remark: c.remark,
      points: c.points,
      // the nightly run sets the scores and their time together
      rfm: c.rfm_score === null ? null : { r: c.rfm_r!, f: c.rfm_f!, m: c.rfm_m!, score: c.rfm_score, at: c.rfm_at!.toISOString() },
      addresses: (await repo.listAddresses(q, actor.tenantId, id)).map(toAddressDto),
      // what the detail page may offer: function permission and data scope together
      allowed: {
        edit: c.can_write && actor.can('customer.edit'),
        delete: c.can_own && actor.can('customer.delete'),
        transfer: c.can_own && actor.can('customer.transfer'),
        share: c.can_own && actor.can('customer.share'),
        lock: c.can_write && actor.can('customer.lock'),
        addContact: c.can_write && actor.can('contact.create'),
        returnToPool: c.can_own && c.owner_id !== null,
        merge: c.can_own && actor.can('customer.merge'),
        protect: c.owner_id === actor.userId && actor.can('customer.protect'),
      },
      protectedUntil: c.protected_until?.toISOString() ?? null,
    });
  });
}

async function requireActiveUser(q: Queryable, actor: Actor, userId: number, field: string) {
  if (!(await isActiveUser(q, actor.tenantId, userId))) {
    throw new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);
  }
}

/** A customer entered by hand: the company's required fields apply (a converted lead brings what it has). */
export function createCustomer(actor: Actor, input: z.output<typeof CustomerCreate>) {
  return actor.tx(async (q) => {
    await enforceRequired(q, actor.tenantId, ENTITY, input, 'create');
    assertWritable(actor, ENTITY, input, null);
    return shownDto(actor, (await repo.getCustomer(q, await resolveScope(q, actor, ENTITY), await createCustomerIn(q, actor, input)))!);
  });
}

/** Creates a customer inside the caller's transaction (also used by lead conversion); returns its id. */
export async function createCustomerIn(q: Queryable, actor: Actor, input: z.output<typeof CustomerCreate>, via: repo.AcquiredVia = 'create'): Promise<number> {
  const ownerId = input.ownerId ?? actor.userId;
  // creating for someone else hands the record over: the same right as a transfer
  if (ownerId !== actor.userId && !actor.can('customer.transfer')) throw new AppError('FORBIDDEN', { permission: 'customer.transfer' });
  const { addresses = [], ownerId: _owner, custom: customInput, ...profile } = { ...input, name: normaliseName(input.name) };
  await requireActiveUser(q, actor, ownerId, 'ownerId');
  await checkProfile(q, actor, { ...profile, addresses }, null);
  const custom = await prepareCustomValues(q, actor.tenantId, ENTITY, null, customInput);
  const values = {
    ...profile,
    code: profile.code || (await nextNumber(q, actor.tenantId, ENTITY)),
    statusCode: profile.statusCode ?? 'new',
  };
  const id = await repo.insertCustomer(q, actor.tenantId, { ...values, ...pinyinValues(values.name), custom: custom.values, ownerId, createdBy: actor.userId, via }).catch((e) => {
    throw duplicateFrom(e, CODE_INDEX) ?? e;
  });
  await custom.store(id);
  const stored = withOneDefault(addresses);
  await repo.replaceAddresses(q, actor.tenantId, id, stored);
  await recordChange(q, actor, {
    entity: ENTITY,
    recordId: id,
    recordName: values.name,
    action: 'create',
    changes: [...diffChanges(null, { ...values, ownerId, addresses: stored.length ? stored : undefined }, [...AUDITED]), ...custom.changes],
  });
  return id;
}

export function updateCustomer(actor: Actor, id: number, input: z.output<typeof CustomerUpdate>) {
  return actor.tx(async (q) => {
    await updateCustomerIn(q, actor, id, input);
    return shownDto(actor, (await repo.getCustomer(q, await resolveScope(q, actor, ENTITY), id))!);
  });
}

/** Updates a customer inside the caller's transaction (also used by an import's undo). */
export async function updateCustomerIn(q: Queryable, actor: Actor, id: number, input: z.output<typeof CustomerUpdate>): Promise<void> {
  const before = await visibleCustomer(q, actor, id, true);
  if (!before.can_write) throw new AppError('RECORD_READ_ONLY');
  await enforceRequired(q, actor.tenantId, ENTITY, input, 'update');
  assertWritable(actor, ENTITY, input, { ...repo.PROFILE.fromRow(before), custom: before.custom });
  const { addresses, custom: customInput, ...profile } = input.name === undefined ? input : { ...input, name: normaliseName(input.name) };
  if (profile.code === null) delete profile.code; // a code cannot be cleared
  await checkProfile(q, actor, { ...profile, addresses, name: profile.name === before.name ? undefined : profile.name }, before);
  const beforeProfile = repo.PROFILE.fromRow(before);
  const after = { ...beforeProfile, ...Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)) };
  const changes = diffChanges(beforeProfile, after, repo.PROFILE.fields);
  const custom = await prepareCustomValues(q, actor.tenantId, ENTITY, before.custom, customInput);
  if (addresses) {
    const old = (await repo.listAddresses(q, actor.tenantId, id)).map(toAddressDto).map(({ id: _id, regionName: _r, ...a }) => a);
    const next = withOneDefault(addresses).map((a) => ({ tag: a.tag, provinceCode: a.provinceCode ?? null, cityCode: a.cityCode ?? null, districtCode: a.districtCode ?? null, detail: a.detail ?? null, postcode: a.postcode ?? null, isDefault: a.isDefault }));
    if (JSON.stringify(old) !== JSON.stringify(next)) {
      await repo.replaceAddresses(q, actor.tenantId, id, next);
      changes.push({ field: 'addresses', before: old, after: next });
    }
  }
  if (custom.changes.length) await custom.store(id);
  changes.push(...custom.changes);
  if (changes.length) {
    const changed: repo.ProfileValues = Object.fromEntries(
      changes.filter((c) => c.field !== 'addresses' && !c.field.startsWith('custom.')).map((c) => [c.field, profile[c.field as keyof typeof profile]]),
    );
    if (custom.changes.length) changed.custom = custom.values;
    await repo.updateCustomer(q, actor.tenantId, id, changed.name === undefined ? changed : { ...changed, ...pinyinValues(changed.name as string) }).catch((e) => {
      throw duplicateFrom(e, CODE_INDEX) ?? e;
    });
    if (!Object.keys(changed).length) await repo.updateCustomer(q, actor.tenantId, id, { name: before.name }); // touch updated_at
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: (after.name as string) ?? before.name, action: 'update', changes });
  }
}

/** Locked customers (锁定) stay with their owner: pool rules skip them. */
export function setCustomerLocked(actor: Actor, id: number, locked: boolean) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id, true);
    if (!c.can_write) throw new AppError('RECORD_READ_ONLY');
    if (c.locked !== locked) {
      await repo.setLocked(q, actor.tenantId, id, locked);
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: c.name, action: locked ? 'lock' : 'unlock', changes: [{ field: 'locked', before: c.locked, after: locked }] });
    }
    return shownDto(actor, (await repo.getCustomer(q, await resolveScope(q, actor, ENTITY), id))!);
  });
}

/** Moves the customer to the recycle bin (deleted_at); nothing is erased. */
export function deleteCustomer(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id, true);
    if (!c.can_own) throw new AppError('RECORD_READ_ONLY');
    await repo.softDeleteCustomer(q, actor.tenantId, id, actor.userId);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: c.name, action: 'delete' });
  });
}

export function transferCustomer(actor: Actor, id: number, input: z.output<typeof CustomerTransfer>) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id, true);
    if (!c.can_own) throw new AppError('RECORD_READ_ONLY');
    await requireActiveUser(q, actor, input.ownerId, 'ownerId');
    if (c.owner_id !== input.ownerId) {
      await repo.setOwner(q, actor.tenantId, [id], input.ownerId, { via: 'transfer', endedBy: 'transfer' });
      if (input.keepAsTeamMember) await members.keepFormerOwner(q, actor, ENTITY, id, c.owner_id);
      await recordChange(q, actor, {
        entity: ENTITY,
        recordId: id,
        recordName: c.name,
        action: 'transfer',
        changes: [{ field: 'ownerId', before: c.owner_id, after: input.ownerId }],
      });
    }
    return shownDto(actor, (await repo.getCustomer(q, await resolveScope(q, actor, ENTITY), id)) ?? c);
  });
}

export function listMembers(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleCustomer(q, actor, id);
    return members.listMembers(q, actor.tenantId, ENTITY, id);
  });
}

/** Adds a team member or a share; only who may manage the record (its owner scope) can. */
export function grantMember(actor: Actor, id: number, input: z.output<typeof RecordAccessBody>) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id, true);
    if (!c.can_own) throw new AppError('RECORD_READ_ONLY');
    return members.grantMember(q, actor, ENTITY, c, input);
  });
}

export function revokeMember(actor: Actor, id: number, userId: number, kind: 'team' | 'share') {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id, true);
    if (!c.can_own) throw new AppError('RECORD_READ_ONLY');
    await members.revokeMember(q, actor, ENTITY, c, userId, kind);
  });
}

export function customerHistory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleCustomer(q, actor, id);
    return customerOperations(q, actor, id);
  });
}

/** A visible customer's operation log, merged customers' included, without what the caller may not see. */
export async function customerOperations(q: Queryable, actor: Actor, id: number, opts: { limit?: number; before?: string } = {}) {
  const ops = await recordHistory(q, actor, ENTITY, id, { ...opts, mergedIds: await repo.mergedInto(q, actor.tenantId, id) });
  return hideUnseenRelated(q, actor, ops);
}

/**
 * Merges `otherId` into `id` (CUS-12): contacts, follow-ups, addresses, tags and
 * team move to the survivor, the other's owner joins its team, its history shows
 * on the survivor's, and the other goes to the recycle bin.
 */
export function mergeCustomers(actor: Actor, id: number, otherId: number) {
  return actor.tx(async (q) => {
    if (id === otherId) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'otherId', message: 'invalid' }]);
    const [first, second] = id < otherId ? [id, otherId] : [otherId, id]; // lock in id order: no deadlock between two merges
    await visibleCustomer(q, actor, first, true);
    await visibleCustomer(q, actor, second, true);
    const survivor = await visibleCustomer(q, actor, id);
    const other = await visibleCustomer(q, actor, otherId);
    if (!survivor.can_own || !other.can_own) throw new AppError('RECORD_READ_ONLY');
    await repo.mergeInto(q, actor.tenantId, id, otherId, actor.userId);
    await moveRelations(q, actor.tenantId, otherId, id, actor.userId);
    if (other.owner_id !== null && other.owner_id !== survivor.owner_id) {
      await access.grantRecordAccess(q, actor.tenantId, { entity: ENTITY, recordId: id, userId: other.owner_id, kind: 'team', access: 'read', grantedBy: actor.userId });
    }
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: survivor.name, action: 'merge', changes: [{ field: 'mergedFrom', before: null, after: { id: otherId, name: other.name } }] });
    await recordChange(q, actor, { entity: ENTITY, recordId: otherId, recordName: other.name, action: 'merged_into', changes: [{ field: 'mergedInto', before: null, after: { id, name: survivor.name } }] });
    return shownDto(actor, (await repo.getCustomer(q, await resolveScope(q, actor, ENTITY), id))!);
  });
}

/**
 * One action on a selection of customers (CUS-15 bulk actions), all or nothing:
 * every customer must allow the action, or none changes.
 */
export function bulkAction(actor: Actor, input: z.output<typeof CustomerBulkAction>) {
  return actor.tx(async (q) => {
    const ids = [...new Set(input.ids)].sort((a, b) => a - b); // one lock order for all
    const rows = [];
    for (const id of ids) rows.push(await visibleCustomer(q, actor, id, true));
    const need = input.action === 'transfer' || input.action === 'delete' ? 'can_own' : 'can_write';
    if (rows.some((r) => !r[need])) throw new AppError('RECORD_READ_ONLY');
    switch (input.action) {
      case 'transfer': {
        await requireActiveUser(q, actor, input.ownerId, 'ownerId');
        const moving = rows.filter((r) => r.owner_id !== input.ownerId);
        await repo.setOwner(q, actor.tenantId, moving.map((r) => r.id), input.ownerId, { via: 'transfer', endedBy: 'transfer' });
        for (const r of moving) {
          if (input.keepAsTeamMember) await members.keepFormerOwner(q, actor, ENTITY, r.id, r.owner_id);
          await recordChange(q, actor, { entity: ENTITY, recordId: r.id, recordName: r.name, action: 'transfer', changes: [{ field: 'ownerId', before: r.owner_id, after: input.ownerId }] });
        }
        return { changed: moving.length };
      }
      case 'delete':
        for (const r of rows) {
          await repo.softDeleteCustomer(q, actor.tenantId, r.id, actor.userId);
          await recordChange(q, actor, { entity: ENTITY, recordId: r.id, recordName: r.name, action: 'delete' });
        }
        return { changed: rows.length };
      case 'lock':
      case 'unlock': {
        const locked = input.action === 'lock';
        const changing = rows.filter((r) => r.locked !== locked);
        for (const r of changing) {
          await repo.setLocked(q, actor.tenantId, r.id, locked);
          await recordChange(q, actor, { entity: ENTITY, recordId: r.id, recordName: r.name, action: input.action, changes: [{ field: 'locked', before: r.locked, after: locked }] });
        }
        return { changed: changing.length };
      }
      case 'tag': {
        const tagging = rows.filter((r) => !r.tags.includes(input.tag));
        for (const r of tagging) {
          await repo.updateCustomer(q, actor.tenantId, r.id, { tags: [...r.tags, input.tag] });
          await recordChange(q, actor, { entity: ENTITY, recordId: r.id, recordName: r.name, action: 'update', changes: [{ field: 'tags', before: r.tags, after: [...r.tags, input.tag] }] });
        }
        return { changed: tagging.length };
      }
    }
  });
}
