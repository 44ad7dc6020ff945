import type { z } from 'zod';
import type { Permission, ScopedModule } from '../../../common/permissions.js';
import type { ExplainQuery } from '../../../common/schemas/org.js';
import { sql } from '../../db/sql.js';
import { type Actor, mergeScopes, type Subject } from '../auth/actor.js';
import { findActorByUserId } from '../auth/auth.repo.js';
import { notFound } from '../http/errors.js';
import { explainGrants } from './scope.js';

/** The table behind each scoped module; each has id, owner_id and tenant_id. */
const TABLES: Record<ScopedModule, string> = { customer: 'customers', lead: 'leads', opportunity: 'opportunities', contract: 'contracts', quote: 'quotes' };

/** "Why can this user see this record": the rules that grant it, or none. */
export async function explainVisibility(actor: Actor, input: z.output<typeof ExplainQuery>) {
  return actor.tx(async (q) => {
    const row = await findActorByUserId(q, actor.tenantId, input.userId);
    if (!row) throw notFound();
    const record = await q.one<{ id: number; owner_id: number | null; name: string; owner_name: string | null }>(sql`
      SELECT r.id, r.owner_id, r.name, o.name AS owner_name FROM ${sql.raw(TABLES[input.entity])} r
      LEFT JOIN users o ON o.tenant_id = r.tenant_id AND o.id = r.owner_id
      WHERE r.tenant_id = ${actor.tenantId} AND r.id = ${input.recordId} AND r.deleted_at IS NULL`);
    if (!record) throw notFound();
    const subject: Subject = {
      tenantId: row.tenant_id,
      userId: row.user_id,
      departmentId: row.department_id,
      isSuperAdmin: row.is_super_admin,
      permissions: new Set(row.permissions as Permission[]),
      dataScopes: mergeScopes(row.data_scopes),
    };
    const viewPermission = `${input.entity}.view` as Permission;
    const hasViewPermission = subject.isSuperAdmin || subject.permissions.has(viewPermission);
    const grants = await explainGrants(q, subject, input.entity, { id: record.id, ownerId: record.owner_id });
    return {
      user: { id: row.user_id, name: row.name },
      record: { id: record.id, name: record.name, ownerId: record.owner_id, ownerName: record.owner_name },
      hasViewPermission,
      visible: hasViewPermission && grants.length > 0,
      grants,
    };
  });
}
