import type { FollowupEntity } from '../../../common/schemas/followups.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';
import { type RecordScope, visibleSql } from '../../platform/access/scope.js';

export interface FollowupRow {
  id: number;
  entity_type: FollowupEntity;
  entity_id: number;
  customer_id: number | null;
  customer_name: string | null;
  lead_id: number | null;
  lead_name: string | null;
  contact_id: number | null;
  contact_name: string | null;
  type_code: string;
  content: string;
  next_contact_at: Date | null;
  next_contact_done: boolean;
  created_by: number;
  created_by_name: string;
  created_at: Date;
  _sort_key?: string;
}

const COLUMNS = sql`f.id, f.entity_type, f.entity_id, f.customer_id, c.name AS customer_name, f.lead_id, ld.name AS lead_name, f.contact_id, k.name AS contact_name,
  f.type_code, f.content, f.next_contact_at, f.next_contact_done, f.created_by, u.name AS created_by_name, f.created_at`;
const JOINS = sql`LEFT JOIN customers c ON c.tenant_id = f.tenant_id AND c.id = f.customer_id
  LEFT JOIN leads ld ON ld.tenant_id = f.tenant_id AND ld.id = f.lead_id
  LEFT JOIN contacts k ON k.tenant_id = f.tenant_id AND k.id = f.contact_id
  JOIN users u ON u.tenant_id = f.tenant_id AND u.id = f.created_by`;
const ORDER: Keyset = { column: sql`f.created_at`, type: 'timestamptz', id: sql`f.id`, order: 'desc' };

/** Follow-ups of one record; a customer's include those on its contacts. */
function ofRecord(tenantId: number, entity: FollowupEntity, id: number): Sql {
  if (entity === 'customer') return sql`f.tenant_id = ${tenantId} AND f.customer_id = ${id} AND f.deleted_at IS NULL`;
  if (entity === 'lead') return sql`f.tenant_id = ${tenantId} AND f.lead_id = ${id} AND f.deleted_at IS NULL`;
  return sql`f.tenant_id = ${tenantId} AND f.contact_id = ${id} AND f.deleted_at IS NULL`;
}

export function listForRecord(
  q: Queryable,
  tenantId: number,
  entity: FollowupEntity,
  id: number,
  page: { limit: number; cursor?: string; before?: string },
): Promise<FollowupRow[]> {
  return q.query<FollowupRow>(sql`SELECT ${keysetSelect(ORDER)}, ${COLUMNS} FROM followups f ${JOINS}
    ${sql.where([ofRecord(tenantId, entity, id), keysetAfter(ORDER, page.cursor), page.before ? sql`f.created_at < ${page.before}::timestamptz` : undefined])}
    ${keysetOrder(ORDER)} LIMIT ${page.limit + 1}`);
}

export function getFollowup(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<FollowupRow | undefined> {
  return q.one<FollowupRow>(sql`SELECT ${COLUMNS} FROM followups f ${JOINS}
    WHERE f.tenant_id = ${tenantId} AND f.id = ${id} AND f.deleted_at IS NULL ${forUpdate ? sql`FOR UPDATE OF f` : sql.empty}`);
}

export async function insertFollowup(
  q: Queryable,
  tenantId: number,
  f: {
    entityType: FollowupEntity;
    entityId: number;
    customerId: number | null;
    contactId: number | null;
    leadId: number | null;
    typeCode: string;
    content: string;
    nextContactAt: string | null;
    createdBy: number;
  },
): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO followups (tenant_id, entity_type, entity_id, customer_id, contact_id, lead_id, type_code, content, next_contact_at, created_by)
    VALUES (${tenantId}, ${f.entityType}, ${f.entityId}, ${f.customerId}, ${f.contactId}, ${f.leadId}, ${f.typeCode}, ${f.content}, ${f.nextContactAt}::timestamptz, ${f.createdBy})
    RETURNING id`))!.id;
}

/** Keeps the customer's last and next follow-up times in step with its follow-ups (the pool rules read them). */
export async function refreshCustomerFollowupDates(q: Queryable, tenantId: number, customerId: number): Promise<void> {
  await q.query(sql`UPDATE customers c SET
      last_followup_at = (SELECT max(created_at) FROM followups f WHERE f.tenant_id = c.tenant_id AND f.customer_id = c.id AND f.deleted_at IS NULL),
      next_followup_at = (SELECT min(next_contact_at) FROM followups f WHERE f.tenant_id = c.tenant_id AND f.customer_id = c.id
                            AND f.deleted_at IS NULL AND NOT f.next_contact_done AND f.next_contact_at IS NOT NULL)
    WHERE c.tenant_id = ${tenantId} AND c.id = ${customerId}`);
}

export async function refreshLeadFollowupDates(q: Queryable, tenantId: number, leadId: number): Promise<void> {
  await q.query(sql`UPDATE leads l SET
      last_followup_at = (SELECT max(created_at) FROM followups f WHERE f.tenant_id = l.tenant_id AND f.lead_id = l.id AND f.deleted_at IS NULL),
      next_followup_at = (SELECT min(next_contact_at) FROM followups f WHERE f.tenant_id = l.tenant_id AND f.lead_id = l.id
                            AND f.deleted_at IS NULL AND NOT f.next_contact_done AND f.next_contact_at IS NOT NULL)
    WHERE l.tenant_id = ${tenantId} AND l.id = ${leadId}`);
}

export async function markDone(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE followups SET next_contact_done = true WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/**
 * The user's own planned contacts up to `until`, overdue ones included, soonest
 * first; only on customers and leads the user can still see (a transferred one drops out).
 */
export function upcomingOf(q: Queryable, scopes: { customer: RecordScope; lead: RecordScope }, userId: number, until: Date, limit = 200): Promise<FollowupRow[]> {
  return q.query<FollowupRow>(sql`SELECT ${COLUMNS} FROM followups f ${JOINS}
    WHERE f.tenant_id = ${scopes.customer.tenantId} AND f.created_by = ${userId} AND f.deleted_at IS NULL
      AND f.next_contact_at IS NOT NULL AND NOT f.next_contact_done AND f.next_contact_at < ${until.toISOString()}::timestamptz
      AND CASE WHEN f.customer_id IS NOT NULL THEN c.deleted_at IS NULL AND ${visibleSql(scopes.customer, 'c')}
               ELSE ld.deleted_at IS NULL AND ${visibleSql(scopes.lead, 'ld')} END
    ORDER BY f.next_contact_at, f.id LIMIT ${limit}`);
}

export interface CommentRow {
  id: number;
  followup_id: number;
  author_id: number;
  author_name: string;
  content: string;
  created_at: Date;
}

export function commentsOf(q: Queryable, tenantId: number, followupIds: number[]): Promise<CommentRow[]> {
  if (!followupIds.length) return Promise.resolve([]);
  return q.query<CommentRow>(sql`SELECT m.id, m.followup_id, m.author_id, u.name AS author_name, m.content, m.created_at
    FROM followup_comments m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.author_id
    WHERE m.tenant_id = ${tenantId} AND m.followup_id = ANY(${followupIds}::bigint[]) ORDER BY m.created_at, m.id`);
}

export async function insertComment(q: Queryable, tenantId: number, followupId: number, authorId: number, content: string): Promise<void> {
  await q.query(sql`INSERT INTO followup_comments (tenant_id, followup_id, author_id, content) VALUES (${tenantId}, ${followupId}, ${authorId}, ${content})`);
}

export interface TemplateRow {
  id: number;
  name: string;
  type_code: string | null;
  content: string;
  shared: boolean;
  owner_id: number;
  owner_name: string;
}

export function templatesFor(q: Queryable, tenantId: number, userId: number): Promise<TemplateRow[]> {
  return q.query<TemplateRow>(sql`SELECT t.id, t.name, t.type_code, t.content, t.shared, t.owner_id, u.name AS owner_name
    FROM followup_templates t JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.owner_id
    WHERE t.tenant_id = ${tenantId} AND (t.owner_id = ${userId} OR t.shared) ORDER BY t.shared, t.name, t.id`);
}

export async function insertTemplate(q: Queryable, tenantId: number, t: { name: string; typeCode: string | null; content: string; shared: boolean; ownerId: number }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO followup_templates (tenant_id, name, type_code, content, shared, owner_id)
    VALUES (${tenantId}, ${t.name}, ${t.typeCode}, ${t.content}, ${t.shared}, ${t.ownerId}) RETURNING id`))!.id;
}

export async function deleteTemplate(q: Queryable, tenantId: number, id: number, ownerId: number): Promise<boolean> {
  const rows = await q.query(sql`DELETE FROM followup_templates WHERE tenant_id = ${tenantId} AND id = ${id} AND owner_id = ${ownerId} RETURNING id`);
  return rows.length > 0;
}
