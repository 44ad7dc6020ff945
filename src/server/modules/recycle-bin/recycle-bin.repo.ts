import { BIN_ENTITIES, type BinEntity } from '../../../common/schemas/recycle-bin.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';
import { OPPORTUNITY_UNUSED } from '../opportunities/opportunities.repo.js';
import { PRODUCT_UNUSED } from '../products/products.repo.js';

export { BIN_ENTITIES, type BinEntity };

export interface BinRow {
  id: number;
  code: string;
  name: string;
  /** The owner of a customer, the customer of a contact or opportunity, a lead's company, a product's category. */
  detail: string | null;
  deleted_at: Date;
  deleted_by_name: string | null;
  _sort_key?: string;
}

/** Each entity's deleted rows as the bin shows them (alias x). */
const SOURCES: Record<BinEntity, { columns: Sql; from: Sql }> = {
  customer: {
    columns: sql`x.id, x.code, x.name, o.name AS detail, x.deleted_at, d.name AS deleted_by_name`,
    from: sql`customers x LEFT JOIN users o ON o.tenant_id = x.tenant_id AND o.id = x.owner_id
      LEFT JOIN users d ON d.tenant_id = x.tenant_id AND d.id = x.deleted_by`,
  },
  contact: {
    columns: sql`x.id, x.code, x.name, c.name AS detail, x.deleted_at, d.name AS deleted_by_name`,
    from: sql`contacts x JOIN customers c ON c.tenant_id = x.tenant_id AND c.id = x.customer_id
      LEFT JOIN users d ON d.tenant_id = x.tenant_id AND d.id = x.deleted_by`,
  },
  lead: {
    columns: sql`x.id, x.code, x.name, x.company AS detail, x.deleted_at, d.name AS deleted_by_name`,
    from: sql`leads x LEFT JOIN users d ON d.tenant_id = x.tenant_id AND d.id = x.deleted_by`,
  },
  product: {
    columns: sql`x.id, x.code, x.name, g.name AS detail, x.deleted_at, d.name AS deleted_by_name`,
    from: sql`products x LEFT JOIN product_categories g ON g.tenant_id = x.tenant_id AND g.id = x.category_id
      LEFT JOIN users d ON d.tenant_id = x.tenant_id AND d.id = x.deleted_by`,
  },
  opportunity: {
    columns: sql`x.id, x.code, x.name, c.name AS detail, x.deleted_at, d.name AS deleted_by_name`,
    from: sql`opportunities x JOIN customers c ON c.tenant_id = x.tenant_id AND c.id = x.customer_id
      LEFT JOIN users d ON d.tenant_id = x.tenant_id AND d.id = x.deleted_by`,
  },
};

const ORDER: Keyset = { column: sql`x.deleted_at`, type: 'timestamptz', id: sql`x.id`, order: 'desc' };

export function listDeleted(q: Queryable, tenantId: number, entity: BinEntity, page: { limit: number; cursor?: string }): Promise<BinRow[]> {
  const s = SOURCES[entity];
  return q.query<BinRow>(sql`SELECT ${keysetSelect(ORDER)}, ${s.columns} FROM ${s.from}
    ${sql.where([sql`x.tenant_id = ${tenantId}`, sql`x.deleted_at IS NOT NULL`, keysetAfter(ORDER, page.cursor)])}
    ${keysetOrder(ORDER)} LIMIT ${page.limit + 1}`);
}

const TABLE: Record<BinEntity, Sql> = {
  customer: sql`customers`,
  contact: sql`contacts`,
  lead: sql`leads`,
  product: sql`products`,
  opportunity: sql`opportunities`,
};

/** A deleted record, locked; undefined when there is none. */
export function getDeleted(q: Queryable, tenantId: number, entity: BinEntity, id: number) {
  return q.one<{ id: number; name: string; code: string; phone: string | null; email: string | null; credit_code?: string | null; mobile?: string | null; customer_id?: number }>(sql`SELECT * FROM ${TABLE[entity]}
    WHERE tenant_id = ${tenantId} AND id = ${id} AND deleted_at IS NOT NULL FOR UPDATE`);
}

export async function restore(q: Queryable, tenantId: number, entity: BinEntity, id: number): Promise<void> {
  await q.query(sql`UPDATE ${TABLE[entity]} SET deleted_at = NULL, deleted_by = NULL, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** The attachments of the records a purge erases (alias-free id lists). */
function attachmentTargets(tenantId: number, entity: BinEntity, id: number): Sql[] {
  if (entity === 'lead') {
    return [sql`entity_type = 'lead' AND entity_id = ${id}`, sql`entity_type = 'followup' AND entity_id IN (SELECT id FROM followups WHERE tenant_id = ${tenantId} AND lead_id = ${id})`];
  }
  if (entity === 'product' || entity === 'opportunity') return [sql`entity_type = ${entity} AND entity_id = ${id}`];
  const contacts = entity === 'contact' ? sql`${id}::bigint` : sql`SELECT id FROM contacts WHERE tenant_id = ${tenantId} AND customer_id = ${id}`;
  const followups =
    entity === 'contact'
      ? sql`SELECT id FROM followups WHERE tenant_id = ${tenantId} AND contact_id = ${id}`
      : sql`SELECT id FROM followups WHERE tenant_id = ${tenantId} AND (customer_id = ${id} OR contact_id IN (${contacts}))`;
  return [
    sql`entity_type = 'contact' AND entity_id IN (${contacts})`,
    sql`entity_type = 'followup' AND entity_id IN (${followups})`,
    ...(entity === 'customer'
      ? [
          sql`entity_type = 'customer' AND entity_id = ${id}`,
          sql`entity_type = 'opportunity' AND entity_id IN (SELECT id FROM opportunities WHERE tenant_id = ${tenantId} AND customer_id = ${id})`,
        ]
      : []),
  ];
}

/** Whether money records hang on the customer: contracts are kept for the books, so such a customer is never erased. */
export async function hasContracts(q: Queryable, tenantId: number, customerId: number): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 FROM contracts WHERE tenant_id = ${tenantId} AND customer_id = ${customerId} LIMIT 1`));
}

/**
 * Whether a record is still referenced where erasing it would break the
 * books: a customer's contracts, a product on a line, a price book or in the
 * stock ledger, an opportunity a quote or contract was made from.
 */
export async function inUse(q: Queryable, tenantId: number, entity: BinEntity, id: number): Promise<boolean> {
  // the stock ledger is append-only: a product with stock movements stays for the books
  const unused =
    entity === 'product'
      ? sql`${PRODUCT_UNUSED} AND NOT EXISTS (SELECT 1 FROM product_stock_movements m WHERE m.tenant_id = x.tenant_id AND m.product_id = x.id)`
      : entity === 'opportunity'
        ? OPPORTUNITY_UNUSED
        : null;
  if (entity === 'customer') return hasContracts(q, tenantId, id);
  if (!unused) return false;
  return !(await q.one(sql`SELECT 1 FROM ${TABLE[entity]} x WHERE x.tenant_id = ${tenantId} AND x.id = ${id} AND ${unused}`));
}

/** Erases a contact and what hangs on it only. */
const purgeContactsSql = (tenantId: number, contactIds: Sql) => [
  sql`UPDATE leads SET converted_contact_id = NULL WHERE tenant_id = ${tenantId} AND converted_contact_id IN (${contactIds})`,
  sql`DELETE FROM followup_comments WHERE tenant_id = ${tenantId} AND followup_id IN (SELECT id FROM followups WHERE tenant_id = ${tenantId} AND contact_id IN (${contactIds}))`,
  sql`DELETE FROM followups WHERE tenant_id = ${tenantId} AND contact_id IN (${contactIds})`,
  sql`DELETE FROM contact_links WHERE tenant_id = ${tenantId} AND contact_id IN (${contactIds})`,
  sql`DELETE FROM contacts WHERE tenant_id = ${tenantId} AND id IN (${contactIds})`,
];

/** Erases a lead (with its follow-ups), a product or an opportunity (its lines, contacts and stage history go by cascade), and its team and shares. */
function purgeOtherSql(tenantId: number, entity: 'lead' | 'product' | 'opportunity', id: number): Sql[] {
  return [
    ...(entity === 'lead'
      ? [
          sql`DELETE FROM followup_comments WHERE tenant_id = ${tenantId} AND followup_id IN (SELECT id FROM followups WHERE tenant_id = ${tenantId} AND lead_id = ${id})`,
          sql`DELETE FROM followups WHERE tenant_id = ${tenantId} AND lead_id = ${id}`,
        ]
      : []),
    sql`DELETE FROM record_access WHERE tenant_id = ${tenantId} AND entity_type = ${entity} AND record_id = ${id}`,
    sql`DELETE FROM ${TABLE[entity]} WHERE tenant_id = ${tenantId} AND id = ${id}`,
  ];
}

/**
 * Erases a record for good, with everything that belongs to it (a customer's
 * contacts, follow-ups, addresses, team, ownership history, applications, files).
 * The operation log keeps its entries: it is append-only. Returns the storage
 * keys of files no record shows any more, for the caller to erase after commit.
 */
export async function purge(q: Queryable, tenantId: number, entity: BinEntity, id: number): Promise<string[]> {
  const keys = new Set<string>();
  for (const target of attachmentTargets(tenantId, entity, id)) {
    const rows = await q.query<{ storage_key: string }>(sql`DELETE FROM attachments WHERE tenant_id = ${tenantId} AND ${target} RETURNING storage_key`);
    rows.forEach((r) => keys.add(r.storage_key));
  }
  const statements =
    entity === 'contact'
      ? purgeContactsSql(tenantId, sql`${id}::bigint`)
      : entity !== 'customer'
        ? purgeOtherSql(tenantId, entity, id)
        : [
          ...purgeContactsSql(tenantId, sql`SELECT id FROM contacts WHERE tenant_id = ${tenantId} AND customer_id = ${id}`),
          sql`DELETE FROM followup_comments WHERE tenant_id = ${tenantId} AND followup_id IN (SELECT id FROM followups WHERE tenant_id = ${tenantId} AND customer_id = ${id})`,
          sql`DELETE FROM followups WHERE tenant_id = ${tenantId} AND customer_id = ${id}`,
          sql`DELETE FROM contact_links WHERE tenant_id = ${tenantId} AND customer_id = ${id}`,
          sql`DELETE FROM customer_addresses WHERE tenant_id = ${tenantId} AND customer_id = ${id}`,
          sql`DELETE FROM customer_owners WHERE tenant_id = ${tenantId} AND customer_id = ${id}`,
          sql`DELETE FROM customer_points WHERE tenant_id = ${tenantId} AND customer_id = ${id}`,
          sql`DELETE FROM pool_applications WHERE tenant_id = ${tenantId} AND customer_id = ${id}`,
          sql`DELETE FROM record_access WHERE tenant_id = ${tenantId} AND entity_type = 'customer' AND record_id = ${id}`,
          // the customer's opportunities go with it (ON DELETE CASCADE); their team and shares first
          sql`DELETE FROM record_access WHERE tenant_id = ${tenantId} AND entity_type = 'opportunity'
            AND record_id IN (SELECT id FROM opportunities WHERE tenant_id = ${tenantId} AND customer_id = ${id})`,
          sql`UPDATE leads SET converted_customer_id = NULL, converted_contact_id = NULL WHERE tenant_id = ${tenantId} AND converted_customer_id = ${id}`,
          sql`DELETE FROM customers WHERE tenant_id = ${tenantId} AND id = ${id}`,
        ];
  for (const s of statements) await q.query(s);
  const stillShown = await q.query<{ storage_key: string }>(sql`SELECT DISTINCT storage_key FROM attachments
    WHERE tenant_id = ${tenantId} AND storage_key = ANY(${[...keys]}::text[])`);
  for (const r of stillShown) keys.delete(r.storage_key);
  return [...keys];
}
