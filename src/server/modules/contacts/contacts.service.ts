import type { z } from 'zod';
import type { ContactCreate, ContactDto, ContactListQuery, ContactMove, ContactUpdate } from '../../../common/schemas/contacts.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { assertWritable, maskHidden } from '../../platform/access/field-access.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { pinyinValues } from '../../platform/search/text-match.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { assertCodes } from '../dictionaries/dictionaries.service.js';
import { prepareCustomValues, withCustomSql } from '../custom-fields/custom-values.js';
import { enforceDuplicateRules } from '../duplicates/duplicates.service.js';
import { enforceRequired } from '../entry-rules/entry-rules.service.js';
import * as repo from './contacts.repo.js';

const ENTITY = 'contact';
/** Contacts are seen through their customer's data scope. */
const SCOPE = 'customer';

const toDto = (k: repo.ContactRow): ContactDto => ({
  id: k.id,
  code: k.code,
  customerId: k.customer_id,
  customerName: k.customer_name,
  name: k.name,
  title: k.title,
  roleCode: k.role_code,
  isPrimary: k.is_primary,
  lifecycle: k.lifecycle,
  gender: k.gender,
  mobile: k.mobile,
  phone: k.phone,
  email: k.email,
  wechat: k.wechat,
  birthday: k.birthday,
  remark: k.remark,
  tags: k.tags,
  custom: k.custom,
  createdAt: k.created_at.toISOString(),
  updatedAt: k.updated_at.toISOString(),
});

/** The contact as this actor may see it (ORG-6: hidden fields emptied). */
const shown = <T extends ContactDto>(actor: Actor, dto: T): T => maskHidden(actor, ENTITY, dto);
const shownDto = (actor: Actor, k: repo.ContactRow) => shown(actor, toDto(k));

const FIELDS = repo.CONTACT_FIELDS.fields;

export function listContacts(actor: Actor, query: ContactListQuery) {
  return actor.tx(async (q) => contactPage(q, actor, await resolveScope(q, actor, SCOPE), query));
}

/** A page of the list within a transaction whose customer scope is resolved (contacts are seen through their customers). */
export async function contactPage(q: Queryable, actor: Actor, customerScope: RecordScope, query: ContactListQuery & Pick<repo.ContactFilters, 'ids' | 'byCursor'>) {
  const page = keysetPage(await repo.listContacts(q, customerScope, await withCustomSql(q, actor, ENTITY, 'k', query)), query.limit);
  return { items: page.items.map((k) => shownDto(actor, k)), nextCursor: query.customerId && !query.byCursor ? null : page.nextCursor };
}

export function countContacts(actor: Actor, query: ContactListQuery) {
  return actor.tx(async (q) => ({ total: await repo.countContacts(q, await resolveScope(q, actor, SCOPE), await withCustomSql(q, actor, ENTITY, 'k', query)) }));
}

export async function visibleContact(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const k = await repo.getContact(q, await resolveScope(q, actor, SCOPE), id, forUpdate);
  if (!k) throw notFound();
  return k;
}

/** A customer whose contacts the actor may change. */
async function writableCustomer(q: Queryable, actor: Actor, customerId: number, field = 'customerId') {
  const c = await visibleCustomer(q, actor, customerId, true).catch((e) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') throw new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);
    throw e;
  });
  if (!c.can_write) throw new AppError('RECORD_READ_ONLY');
  return c;
}

export function getContact(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const k = await visibleContact(q, actor, id);
    const links = await repo.listLinks(q, actor.tenantId, id);
    return shown(actor, {
      ...toDto(k),
      links: links.map((l) => ({ customerId: l.customer_id, customerName: l.customer_name, title: l.title, startedAt: l.started_at.toISOString(), endedAt: l.ended_at?.toISOString() ?? null })),
      allowed: { edit: k.can_write && actor.can('contact.edit'), delete: k.can_write && actor.can('contact.delete') },
    });
  });
}

/** A contact entered by hand: the company's required fields apply (a converted lead brings what it has). */
export function createContact(actor: Actor, input: z.output<typeof ContactCreate>) {
  return actor.tx(async (q) => {
    await enforceRequired(q, actor.tenantId, ENTITY, input, 'create');
    assertWritable(actor, ENTITY, input, null);
    return shownDto(actor, (await visibleContact(q, actor, await createContactIn(q, actor, input)))!);
  });
}

/** Creates a contact inside the caller's transaction (also used by lead conversion); returns its id. */
export async function createContactIn(q: Queryable, actor: Actor, input: z.output<typeof ContactCreate>): Promise<number> {
  await writableCustomer(q, actor, input.customerId);
  await assertCodes(q, actor.tenantId, [{ path: 'roleCode', kind: 'contact_role', code: input.roleCode }]);
  await enforceDuplicateRules(q, actor.tenantId, 'contact', { mobile: input.mobile, email: input.email }, null);
  const { customerId, custom: customInput, ...fields } = input;
  const custom = await prepareCustomValues(q, actor.tenantId, ENTITY, null, customInput);
  // a customer's first contact is its primary one
  const isPrimary = fields.isPrimary ?? !(await repo.hasContacts(q, actor.tenantId, customerId));
  if (isPrimary) await repo.clearPrimary(q, actor.tenantId, customerId, null);
  const code = await nextNumber(q, actor.tenantId, ENTITY);
  const id = await repo.insertContact(q, actor.tenantId, { ...fields, ...pinyinValues(fields.name), custom: custom.values, isPrimary, code, customerId, createdBy: actor.userId });
  await custom.store(id);
  await repo.openLink(q, actor.tenantId, id, customerId, fields.title ?? null);
  await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: input.name, action: 'create', changes: [...diffChanges(null, { ...fields, isPrimary }, FIELDS), ...custom.changes] });
  return id;
}

async function writableContact(q: Queryable, actor: Actor, id: number) {
  const k = await visibleContact(q, actor, id, true);
  if (!k.can_write) throw new AppError('RECORD_READ_ONLY');
  return k;
}

export function updateContact(actor: Actor, id: number, input: ContactUpdate) {
  return actor.tx(async (q) => {
    await updateContactIn(q, actor, id, input);
    return shownDto(actor, (await visibleContact(q, actor, id))!);
  });
}

/** Updates a contact inside the caller's transaction (also used by imports). */
export async function updateContactIn(q: Queryable, actor: Actor, id: number, input: ContactUpdate): Promise<void> {
  const before = await writableContact(q, actor, id);
  await enforceRequired(q, actor.tenantId, ENTITY, input, 'update');
  assertWritable(actor, ENTITY, input, { ...repo.CONTACT_FIELDS.fromRow(before), custom: before.custom });
  // a role kept as it was stays valid even when it was disabled since
  const role = input.roleCode === before.role_code ? undefined : input.roleCode;
  await assertCodes(q, actor.tenantId, [{ path: 'roleCode', kind: 'contact_role', code: role }]);
  await enforceDuplicateRules(q, actor.tenantId, 'contact', { mobile: input.mobile, email: input.email }, id);
  const { custom: customInput, ...fieldsInput } = input;
  const old = repo.CONTACT_FIELDS.fromRow(before);
  const after = { ...old, ...Object.fromEntries(Object.entries(fieldsInput).filter(([, v]) => v !== undefined)) };
  const custom = await prepareCustomValues(q, actor.tenantId, ENTITY, before.custom, customInput);
  const changes = [...diffChanges(old, after, FIELDS), ...custom.changes];
  if (changes.length) {
    if (input.isPrimary) await repo.clearPrimary(q, actor.tenantId, before.customer_id, id);
    const changed: repo.ContactValues = Object.fromEntries(
      changes.filter((c) => !c.field.startsWith('custom.')).map((c) => [c.field, fieldsInput[c.field as keyof typeof fieldsInput]]),
    );
    if (custom.changes.length) {
      changed.custom = custom.values;
      await custom.store(id);
    }
    await repo.updateContact(q, actor.tenantId, id, input.name === undefined ? changed : { ...changed, ...pinyinValues(input.name) });
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: after.name as string, action: 'update', changes });
  }
}

/** A job change: the contact moves to another customer and keeps its history. */
export function moveContact(actor: Actor, id: number, input: z.output<typeof ContactMove>) {
  return actor.tx(async (q) => {
    const k = await writableContact(q, actor, id);
    if (k.customer_id === input.customerId) return shownDto(actor, k);
    await writableCustomer(q, actor, input.customerId);
    const title = input.title === undefined ? k.title : input.title;
    await repo.closeLinks(q, actor.tenantId, id);
    await repo.openLink(q, actor.tenantId, id, input.customerId, title);
    await repo.updateContact(q, actor.tenantId, id, { customerId: input.customerId, title, isPrimary: false });
    await recordChange(q, actor, {
      entity: ENTITY, recordId: id, recordName: k.name, action: 'move',
      changes: [{ field: 'customerId', before: k.customer_id, after: input.customerId }, ...diffChanges({ title: k.title }, { title }, ['title'])],
    });
    return shownDto(actor, (await visibleContact(q, actor, id))!);
  });
}

export function deleteContact(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const k = await writableContact(q, actor, id);
    await repo.softDeleteContact(q, actor.tenantId, id, actor.userId);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: k.name, action: 'delete' });
  });
}

export function contactHistory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleContact(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}
