import type { z } from 'zod';
import type { LoginLogQuery, OperationLogQuery } from '../../../common/schemas/audit.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';

export interface AuditEntry {
  tenantId: number;
  actorId: number | null;
  actorName: string | null;
  ip: string | null;
  userAgent: string | null;
  entity: string;
  recordId: number | null;
  recordName: string | null;
  action: string;
  changes: unknown[];
}

export async function insertAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(sql`INSERT INTO audit_log (tenant_id, actor_id, actor_name, ip, user_agent, entity_type, record_id, record_name, action, changes)
    VALUES (${e.tenantId}, ${e.actorId}, ${e.actorName}, ${e.ip}, ${e.userAgent?.slice(0, 500) ?? null}, ${e.entity},
            ${e.recordId}, ${e.recordName}, ${e.action}, ${JSON.stringify(e.changes)}::jsonb)`);
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_id: number | null;
  actor_name: string | null;
  ip: string | null;
  user_agent: string | null;
  entity_type: string;
  record_id: number | null;
  record_name: string | null;
  action: string;
  changes: unknown[];
}

const OPERATIONS_ORDER: Keyset = { column: sql`at`, type: 'timestamptz', id: sql`id`, order: 'desc' };

export function listOperations(
  q: Queryable,
  tenantId: number,
  f: z.output<typeof OperationLogQuery> & { alsoRecordIds?: number[] },
): Promise<AuditRow[]> {
  return q.query<AuditRow>(sql`
    SELECT ${keysetSelect(OPERATIONS_ORDER)}, id, at, actor_id, actor_name, ip, user_agent, entity_type, record_id, record_name, action, changes
    FROM audit_log
    ${sql.where([
      sql`tenant_id = ${tenantId}`,
      f.entity && sql`entity_type = ${f.entity}`,
      f.recordId && (f.alsoRecordIds?.length ? sql`record_id = ANY(${[f.recordId, ...f.alsoRecordIds]}::bigint[])` : sql`record_id = ${f.recordId}`),
      f.actorId && sql`actor_id = ${f.actorId}`,
      f.action && sql`action = ${f.action}`,
      f.from && sql`at >= ${f.from}::timestamptz`,
      f.to && sql`at < ${f.to}::timestamptz`,
      keysetAfter(OPERATIONS_ORDER, f.cursor),
    ])}
    ${keysetOrder(OPERATIONS_ORDER)} LIMIT ${f.limit + 1}`);
}

export interface LoginLogRow {
  id: number;
  at: Date;
  user_id: number | null;
  user_name: string | null;
  login: string;
  result: string;
  ip: string | null;
  user_agent: string | null;
}

const LOGINS_ORDER: Keyset = { column: sql`l.at`, type: 'timestamptz', id: sql`l.id`, order: 'desc' };

export function listLogins(q: Queryable, tenantId: number, f: z.output<typeof LoginLogQuery>): Promise<LoginLogRow[]> {
  return q.query<LoginLogRow>(sql`
    SELECT ${keysetSelect(LOGINS_ORDER)}, l.id, l.at, l.user_id, u.name AS user_name, l.login, l.result, l.ip, l.user_agent
    FROM login_log l LEFT JOIN users u ON u.tenant_id = l.tenant_id AND u.id = l.user_id
    ${sql.where([
      sql`l.tenant_id = ${tenantId}`,
      f.userId && sql`l.user_id = ${f.userId}`,
      f.result && sql`l.result = ${f.result}`,
      f.from && sql`l.at >= ${f.from}::timestamptz`,
      f.to && sql`l.at < ${f.to}::timestamptz`,
      keysetAfter(LOGINS_ORDER, f.cursor),
    ])}
    ${keysetOrder(LOGINS_ORDER)} LIMIT ${f.limit + 1}`);
}
