import type { z } from 'zod';
import type {
  CommentCreate,
  FollowupCreate,
  FollowupDto,
  FollowupEntity,
  FollowupListQuery,
  TemplateCreate,
  TemplateDto,
  TimelineItem,
  TimelineQuery,
} from '../../../common/schemas/followups.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { visibleContact } from '../contacts/contacts.service.js';
import { customerOperations, visibleCustomer } from '../customers/customers.service.js';
import { visibleLead } from '../leads/leads.service.js';
import { assertCodes } from '../dictionaries/dictionaries.service.js';
import * as repo from './followups.repo.js';

/** The customer (or lead) a record belongs to, once the actor is known to see the record; 404 otherwise. */
async function parentOf(q: Queryable, actor: Actor, entity: FollowupEntity, id: number): Promise<{ customerId: number | null; leadId: number | null }> {
  if (entity === 'customer') return { customerId: (await visibleCustomer(q, actor, id)).id, leadId: null };
  if (entity === 'lead') {
    const l = await visibleLead(q, actor, id);
    return { customerId: l.converted_customer_id, leadId: l.id };
  }
  return { customerId: (await visibleContact(q, actor, id)).customer_id, leadId: null };
}

async function withComments(q: Queryable, actor: Actor, rows: repo.FollowupRow[]): Promise<FollowupDto[]> {
  const comments = await repo.commentsOf(q, actor.tenantId, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    leadId: r.lead_id,
    leadName: r.lead_name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    typeCode: r.type_code,
    content: r.content,
    nextContactAt: r.next_contact_at?.toISOString() ?? null,
    nextContactDone: r.next_contact_done,
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at.toISOString(),
    comments: comments
      .filter((m) => m.followup_id === r.id)
      .map((m) => ({ id: m.id, authorId: m.author_id, authorName: m.author_name, content: m.content, createdAt: m.created_at.toISOString() })),
  }));
}

export function listFollowups(actor: Actor, query: z.output<typeof FollowupListQuery>) {
  return actor.tx(async (q) => {
    await parentOf(q, actor, query.entityType, query.entityId);
    const page = keysetPage(await repo.listForRecord(q, actor.tenantId, query.entityType, query.entityId, query), query.limit);
    return { items: await withComments(q, actor, page.items), nextCursor: page.nextCursor };
  });
}

export function createFollowup(actor: Actor, input: z.output<typeof FollowupCreate>) {
  return actor.tx(async (q) => {
    const { customerId, leadId } = await parentOf(q, actor, input.entityType, input.entityId);
    await assertCodes(q, actor.tenantId, [{ path: 'typeCode', kind: 'followup_type', code: input.typeCode }]);
    let contactId = input.entityType === 'contact' ? input.entityId : (input.contactId ?? null);
    if (input.entityType === 'customer' && contactId !== null) {
      const k = await visibleContact(q, actor, contactId).catch(() => null);
      if (!k || k.customer_id !== customerId) throw new AppError('INVALID_REFERENCE', { field: 'contactId' }, [{ path: 'contactId', message: 'invalid' }]);
      contactId = k.id;
    }
    const id = await repo.insertFollowup(q, actor.tenantId, {
      entityType: input.entityType,
      entityId: input.entityId,
      customerId,
      contactId,
      leadId,
      typeCode: input.typeCode,
      content: input.content,
      nextContactAt: input.nextContactAt ?? null,
      createdBy: actor.userId,
    });
    if (customerId !== null) await repo.refreshCustomerFollowupDates(q, actor.tenantId, customerId);
    if (leadId !== null) await repo.refreshLeadFollowupDates(q, actor.tenantId, leadId);
    return (await withComments(q, actor, [(await repo.getFollowup(q, actor.tenantId, id))!]))[0]!;
  });
}

/** A follow-up whose record the actor can see; 404 otherwise. */
export async function visibleFollowup(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const f = await repo.getFollowup(q, actor.tenantId, id, forUpdate);
  if (!f) throw notFound();
  await parentOf(q, actor, f.entity_type, f.entity_id);
  return f;
}

export function addComment(actor: Actor, followupId: number, input: z.output<typeof CommentCreate>) {
  return actor.tx(async (q) => {
    const f = await visibleFollowup(q, actor, followupId);
    await repo.insertComment(q, actor.tenantId, f.id, actor.userId, input.content);
    return (await withComments(q, actor, [f]))[0]!;
  });
}

/** The author marks a planned contact as done; it leaves the upcoming list. */
export function completeNextContact(actor: Actor, followupId: number) {
  return actor.tx(async (q) => {
    const f = await visibleFollowup(q, actor, followupId, true);
    if (f.created_by !== actor.userId) throw new AppError('RECORD_READ_ONLY');
    await repo.markDone(q, actor.tenantId, f.id);
    if (f.customer_id) await repo.refreshCustomerFollowupDates(q, actor.tenantId, f.customer_id);
    return (await withComments(q, actor, [(await repo.getFollowup(q, actor.tenantId, f.id))!]))[0]!;
  });
}

/** My planned contacts: overdue ones and those of the next `days` days. */
export function upcoming(actor: Actor, days: number, now = new Date()) {
  return actor.tx(async (q) => {
    const scopes = { customer: await resolveScope(q, actor, 'customer'), lead: await resolveScope(q, actor, 'lead') };
    const rows = await repo.upcomingOf(q, scopes, actor.userId, new Date(now.getTime() + days * 86_400_000));
    const items = await withComments(q, actor, rows);
    return { items, overdue: items.filter((f) => new Date(f.nextContactAt!) < now).length };
  });
}

/**
 * One customer's timeline: its follow-ups (its contacts' included) and the
 * changes to it from the operation log, newest first.
 */
export function customerTimeline(actor: Actor, customerId: number, query: z.output<typeof TimelineQuery>) {
  return actor.tx(async (q) => {
    await visibleCustomer(q, actor, customerId);
    // up to limit + 1 from each source: together they tell whether anything older remains
    const followups = await withComments(q, actor, await repo.listForRecord(q, actor.tenantId, 'customer', customerId, { limit: query.limit, before: query.before }));
    const changes = await customerOperations(q, actor, customerId, { limit: query.limit + 1, before: query.before });
    const merged: TimelineItem[] = [
      ...followups.map((f) => ({ kind: 'followup' as const, at: f.createdAt, followup: f })),
      ...changes.map((c) => ({
        kind: 'change' as const,
        at: new Date(c.at).toISOString(),
        change: { id: c.id, actorName: c.actorName, entity: c.entity, action: c.action, changes: c.changes as { field: string; before: unknown; after: unknown }[] },
      })),
    ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const items = merged.slice(0, query.limit);
    const more = merged.length > query.limit;
    return { items, nextBefore: more && items.length ? items[items.length - 1]!.at : null };
  });
}

const toTemplate = (t: repo.TemplateRow): TemplateDto => ({
  id: t.id,
  name: t.name,
  typeCode: t.type_code,
  content: t.content,
  shared: t.shared,
  ownerId: t.owner_id,
  ownerName: t.owner_name,
});

export const listTemplates = (actor: Actor) => actor.tx(async (q) => (await repo.templatesFor(q, actor.tenantId, actor.userId)).map(toTemplate));

export function createTemplate(actor: Actor, input: z.output<typeof TemplateCreate>) {
  return actor.tx(async (q) => {
    await assertCodes(q, actor.tenantId, [{ path: 'typeCode', kind: 'followup_type', code: input.typeCode }]);
    const id = await repo.insertTemplate(q, actor.tenantId, { name: input.name, typeCode: input.typeCode ?? null, content: input.content, shared: input.shared, ownerId: actor.userId });
    return toTemplate((await repo.templatesFor(q, actor.tenantId, actor.userId)).find((t) => t.id === id)!);
  });
}

export function deleteTemplate(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    if (!(await repo.deleteTemplate(q, actor.tenantId, id, actor.userId))) throw notFound();
  });
}
