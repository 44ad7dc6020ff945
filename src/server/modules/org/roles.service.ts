import type { z } from 'zod';
import type { RoleCreate, RoleUpdate } from '../../../common/schemas/org.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import { assertCanGrant } from './org.access.js';
import * as repo from './roles.repo.js';

const toDto = (r: repo.RoleRow) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  description: r.description,
  permissions: r.permissions,
  dataScopes: r.data_scopes,
  fieldAccess: r.field_access,
  userCount: r.user_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const DUPLICATE_NAME = { roles_name: 'name' };
const AUDITED = ['name', 'description', 'permissions', 'dataScopes', 'fieldAccess'] as const;
const auditable = (r: repo.RoleRow) => ({ name: r.name, description: r.description, permissions: r.permissions, dataScopes: r.data_scopes, fieldAccess: r.field_access });

export const listRoles = (actor: Actor) => actor.tx(async (q) => (await repo.listRoles(q, actor.tenantId)).map(toDto));

export async function getRole(actor: Actor, id: number) {
  const r = await actor.tx((q) => repo.getRole(q, actor.tenantId, id));
  if (!r) throw notFound();
  return toDto(r);
}

export async function createRole(actor: Actor, input: z.output<typeof RoleCreate>) {
  assertCanGrant(actor, input.permissions);
  const fields = { ...input, description: input.description ?? null, permissions: [...new Set(input.permissions)].sort() };
  try {
    return await actor.tx(async (q) => {
      const id = await repo.insertRole(q, actor.tenantId, fields);
      const role = (await repo.getRole(q, actor.tenantId, id))!;
      await recordChange(q, actor, { entity: 'role', recordId: id, recordName: role.name, action: 'create', changes: diffChanges(null, auditable(role), [...AUDITED]) });
      return toDto(role);
    });
  } catch (err) {
    throw duplicateFrom(err, DUPLICATE_NAME) ?? err;
  }
}

export async function updateRole(actor: Actor, id: number, input: z.output<typeof RoleUpdate>) {
  if (input.permissions) assertCanGrant(actor, input.permissions);
  try {
    return await actor.tx(async (q) => {
      const before = await repo.getRole(q, actor.tenantId, id);
      if (!before) throw notFound();
      await repo.updateRole(q, actor.tenantId, id, {
        name: input.name ?? before.name,
        description: input.description === undefined ? before.description : input.description,
        permissions: input.permissions ? [...new Set(input.permissions)].sort() : before.permissions,
        dataScopes: input.dataScopes ?? before.data_scopes,
        fieldAccess: input.fieldAccess ?? before.field_access,
      });
      const after = (await repo.getRole(q, actor.tenantId, id))!;
      const changes = diffChanges(auditable(before), auditable(after), [...AUDITED]);
      if (changes.length) await recordChange(q, actor, { entity: 'role', recordId: id, recordName: after.name, action: 'update', changes });
      return toDto(after);
    });
  } catch (err) {
    throw duplicateFrom(err, DUPLICATE_NAME) ?? err;
  }
}

export function deleteRole(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const role = await repo.getRole(q, actor.tenantId, id);
    if (!role) throw notFound();
    const holders = await repo.countHolders(q, actor.tenantId, id);
    if (holders > 0) throw new AppError('ROLE_IN_USE', { count: holders });
    await repo.deleteRole(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: 'role', recordId: id, recordName: role.name, action: 'delete' });
  });
}
