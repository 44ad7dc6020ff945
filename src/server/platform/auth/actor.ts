import { type FieldAccessMap, mergeFieldAccess } from '../../../common/field-access.js';
import type { DataScope, Permission, ScopedModule } from '../../../common/permissions.js';
import type { Locale } from '../../../common/schemas/common.js';
import type { Database, Queryable } from '../../db/database.js';

/** Who a data scope is computed for: enough to resolve "which owners can I see". */
export interface Subject {
  tenantId: number;
  userId: number;
  departmentId: number;
  isSuperAdmin: boolean;
  permissions: ReadonlySet<Permission>;
  /** Per module, the scopes of all the user's roles (a union applies). */
  dataScopes: Partial<Record<ScopedModule, DataScope[]>>;
}

/** The acting user of a request or a job; services take it as their first argument. */
export interface Actor extends Subject {
  name: string;
  /** Field-level permissions merged over the user's roles (none for a super administrator). */
  fieldAccess: FieldAccessMap;
  locale: Locale;
  ip: string | null;
  userAgent: string | null;
  sessionId: number | null;
  apiTokenId: number | null;
  /** Run `fn` in a transaction confined to the actor's tenant. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  can(permission: Permission): boolean;
}

export interface ActorRow {
  tenant_id: number;
  user_id: number;
  name: string;
  department_id: number;
  is_super_admin: boolean;
  locale: Locale;
  permissions: string[];
  data_scopes: Record<string, DataScope>[];
  field_access: FieldAccessMap[];
}

export function mergeScopes(roleScopes: Record<string, DataScope>[]): Partial<Record<ScopedModule, DataScope[]>> {
  const merged: Partial<Record<ScopedModule, DataScope[]>> = {};
  for (const scopes of roleScopes) {
    for (const [module, scope] of Object.entries(scopes)) {
      const list = (merged[module as ScopedModule] ??= []);
      if (!list.includes(scope)) list.push(scope);
    }
  }
  return merged;
}

export function buildActor(
  db: Database,
  row: ActorRow,
  request: { ip?: string | null; userAgent?: string | null; sessionId?: number | null; apiTokenId?: number | null; locale?: Locale },
): Actor {
  const permissions = new Set(row.permissions as Permission[]);
  const actor: Actor = {
    tenantId: row.tenant_id,
    userId: row.user_id,
    name: row.name,
    departmentId: row.department_id,
    isSuperAdmin: row.is_super_admin,
    permissions,
    dataScopes: mergeScopes(row.data_scopes),
    fieldAccess: row.is_super_admin ? {} : mergeFieldAccess(row.field_access),
    locale: request.locale ?? row.locale,
    ip: request.ip ?? null,
    userAgent: request.userAgent ?? null,
    sessionId: request.sessionId ?? null,
    apiTokenId: request.apiTokenId ?? null,
    tx: (fn) => db.tenant({ tenantId: row.tenant_id, userId: row.user_id }, fn),
    can: (p) => row.is_super_admin || permissions.has(p),
  };
  return actor;
}
