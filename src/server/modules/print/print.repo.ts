import type { EnvelopeLayout, EnvelopePaper, EnvelopeTemplateDto } from '../../../common/schemas/print.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { type RecordScope, readableSql } from '../../platform/access/scope.js';

export async function tenantName(q: Queryable, tenantId: number): Promise<string> {
  return (await q.one<{ name: string }>(sql`SELECT name FROM tenants WHERE id = ${tenantId}`))!.name;
}

export interface TemplateRow {
  id: number;
  name: string;
  paper: EnvelopePaper;
  width_mm: number;
  height_mm: number;
  layout: EnvelopeLayout;
  font_size: number;
  sender_company: string | null;
  sender_address: string | null;
  sender_postcode: string | null;
  is_default: boolean;
}

/** What a template is made of: the DTO without its id and default mark. */
export type TemplateValues = Omit<EnvelopeTemplateDto, 'id' | 'isDefault'>;

const SELECT = sql`SELECT id, name, paper, width_mm::float8 AS width_mm, height_mm::float8 AS height_mm, layout, font_size,
  sender_company, sender_address, sender_postcode, is_default FROM envelope_templates`;

export function listTemplates(q: Queryable, tenantId: number): Promise<TemplateRow[]> {
  return q.query<TemplateRow>(sql`${SELECT} WHERE tenant_id = ${tenantId} ORDER BY is_default DESC, name, id`);
}

/** The template with this id, or the default one when id is null. */
export function getTemplate(q: Queryable, tenantId: number, id: number | null): Promise<TemplateRow | undefined> {
  return q.one<TemplateRow>(sql`${SELECT} WHERE tenant_id = ${tenantId} AND ${id === null ? sql`is_default` : sql`id = ${id}`}`);
}

export async function insertTemplate(q: Queryable, tenantId: number, t: TemplateValues): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO envelope_templates
    (tenant_id, name, paper, width_mm, height_mm, layout, font_size, sender_company, sender_address, sender_postcode)
    VALUES (${tenantId}, ${t.name}, ${t.paper}, ${t.widthMm}, ${t.heightMm}, ${JSON.stringify(t.layout)}::jsonb, ${t.fontSize},
      ${t.senderCompany}, ${t.senderAddress}, ${t.senderPostcode}) RETURNING id`))!.id;
}

export async function updateTemplate(q: Queryable, tenantId: number, id: number, t: TemplateValues): Promise<void> {
  await q.query(sql`UPDATE envelope_templates SET name = ${t.name}, paper = ${t.paper}, width_mm = ${t.widthMm}, height_mm = ${t.heightMm},
    layout = ${JSON.stringify(t.layout)}::jsonb, font_size = ${t.fontSize}, sender_company = ${t.senderCompany},
    sender_address = ${t.senderAddress}, sender_postcode = ${t.senderPostcode}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function deleteTemplate(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM envelope_templates WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setDefault(q: Queryable, tenantId: number, id: number): Promise<void> {
  // two statements: the one-default index is checked row by row, so clearing and setting in one UPDATE could collide
  await q.query(sql`UPDATE envelope_templates SET is_default = false WHERE tenant_id = ${tenantId} AND is_default AND id <> ${id}`);
  await q.query(sql`UPDATE envelope_templates SET is_default = true WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export interface EnvelopeRow {
  customer_id: number;
  company: string;
  postcode: string | null;
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  detail: string | null;
  contact_name: string | null;
  contact_title: string | null;
}

/**
 * The envelope lines of the requested customers the scope lets the subject read
 * (the others are left out), in the order asked: the address with the tag, else
 * the default one; the first contact with the role, else the primary one.
 */
export function envelopeRows(
  q: Queryable,
  scope: RecordScope,
  ids: number[],
  o: { addressTag: string | null; contactRole: string | null; withContacts: boolean },
): Promise<EnvelopeRow[]> {
  const contact = o.withContacts
    ? sql`LEFT JOIN LATERAL (SELECT k.name, k.title FROM contacts k
        WHERE k.tenant_id = c.tenant_id AND k.customer_id = c.id AND k.deleted_at IS NULL
        ORDER BY coalesce(k.role_code = ${o.contactRole}, false) DESC, k.is_primary DESC, k.id LIMIT 1) k ON true`
    : sql`LEFT JOIN (SELECT NULL::text AS name, NULL::text AS title) k ON true`;
  return q.query<EnvelopeRow>(sql`
    SELECT c.id AS customer_id, c.name AS company, a.postcode, a.province_code, a.city_code, a.district_code, a.detail,
      k.name AS contact_name, k.title AS contact_title
    FROM customers c
    LEFT JOIN LATERAL (SELECT a.* FROM customer_addresses a WHERE a.tenant_id = c.tenant_id AND a.customer_id = c.id
      ORDER BY coalesce(a.tag = ${o.addressTag}, false) DESC, a.is_default DESC, a.id LIMIT 1) a ON true
    ${contact}
    WHERE c.tenant_id = ${scope.tenantId} AND c.id = ANY(${ids}::bigint[]) AND c.deleted_at IS NULL AND ${readableSql(scope, 'c')}
    ORDER BY array_position(${ids}::bigint[], c.id)`);
}
