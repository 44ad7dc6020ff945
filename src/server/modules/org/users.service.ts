import type { z } from 'zod';
import type { UserCreate, UserListQuery, UserUpdate } from '../../../common/schemas/org.js';
import { closureAdd, closureContains, closureMove } from '../../db/closure.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import type { Actor } from '../../platform/auth/actor.js';
import * as authRepo from '../../platform/auth/auth.repo.js';
import { toSessionDto } from '../../platform/auth/auth.service.js';
import { hashPassword } from '../../platform/auth/password.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import * as departments from './departments.repo.js';
import { assertCanGrant, assertSuperAdmin } from './org.access.js';
import * as roles from './roles.repo.js';
import * as repo from './users.repo.js';

const DUPLICATES = { users_mobile: 'mobile', users_email: 'email' };

const toDto = (u: repo.UserRow) => ({
  id: u.id,
  name: u.name,
  mobile: u.mobile,
  email: u.email,
  gender: u.gender,
  departmentId: u.department_id,
  departmentName: u.department_name,
  position: u.position,
  superiorId: u.superior_id,
  superiorName: u.superior_name,
  status: u.status,
  isSuperAdmin: u.is_super_admin,
  roles: u.roles,
  lastLoginAt: u.last_login_at,
  lockedUntil: u.locked_until && u.locked_until > new Date() ? u.locked_until : null,
  createdAt: u.created_at,
  updatedAt: u.updated_at,
});

const AUDITED = ['name', 'mobile', 'email', 'gender', 'departmentId', 'position', 'superiorId', 'isSuperAdmin', 'roles'] as const;
const auditable = (u: repo.UserRow) => ({
  name: u.name,
  mobile: u.mobile,
  email: u.email,
  gender: u.gender,
  departmentId: u.department_id,
  position: u.position,
  superiorId: u.superior_id,
  isSuperAdmin: u.is_super_admin,
  roles: u.roles.map((r) => r.name),
});

const invalid = (field: string) => new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);

export async function listUsers(actor: Actor, query: z.output<typeof UserListQuery>) {
  return actor.tx(async (q) => {
    const rows = await repo.listUsers(q, actor.tenantId, query);
    const page = keysetPage(rows, query.limit);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor, total: await repo.countUsers(q, actor.tenantId, query) };
  });
}

export async function getUser(actor: Actor, id: number) {
  const u = await actor.tx((q) => repo.getUser(q, actor.tenantId, id));
  if (!u) throw notFound();
  return toDto(u);
}

/** Checks the references a user's new field values make, and that the actor may grant the roles. */
async function checkReferences(
  q: Queryable,
  actor: Actor,
  userId: number | null,
  f: { departmentId?: number; superiorId?: number | null; roleIds?: number[] },
) {
  if (f.departmentId !== undefined && !(await departments.getDepartment(q, actor.tenantId, f.departmentId))) throw invalid('departmentId');
  if (f.superiorId) {
    if (!(await repo.isActiveUser(q, actor.tenantId, f.superiorId))) throw invalid('superiorId');
    if (userId !== null && (await closureContains(q, 'user_closure', actor.tenantId, userId, f.superiorId))) {
      throw new AppError('TREE_CYCLE', {}, [{ path: 'superiorId', message: 'cycle' }]);
    }
  }
  if (f.roleIds) {
    const found = await roles.getRoles(q, actor.tenantId, f.roleIds);
    if (found.length !== new Set(f.roleIds).size) throw invalid('roleIds');
    assertCanGrant(actor, found.flatMap((r) => r.permissions));
  }
}

async function rethrowDuplicate<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw duplicateFrom(err, DUPLICATES) ?? err;
  }
}

export async function createUser(actor: Actor, input: z.output<typeof UserCreate>) {
  if (input.isSuperAdmin) assertSuperAdmin(actor);
  const passwordHash = await hashPassword(input.password);
  return rethrowDuplicate(
    actor.tx(async (q) => {
      const fields: repo.UserFields = {
        name: input.name,
        mobile: input.mobile ?? null,
        email: input.email ?? null,
        gender: input.gender,
        departmentId: input.departmentId,
        position: input.position ?? null,
        superiorId: input.superiorId ?? null,
        isSuperAdmin: input.isSuperAdmin ?? false,
      };
      await checkReferences(q, actor, null, { ...fields, roleIds: input.roleIds });
      const id = await repo.insertUser(q, actor.tenantId, { ...fields, passwordHash });
      await closureAdd(q, 'user_closure', actor.tenantId, id, fields.superiorId);
      await repo.setRoles(q, actor.tenantId, id, input.roleIds);
      const user = (await repo.getUser(q, actor.tenantId, id))!;
      await recordChange(q, actor, { entity: 'user', recordId: id, recordName: user.name, action: 'create', changes: diffChanges(null, auditable(user), [...AUDITED]) });
      return toDto(user);
    }),
  );
}

export function updateUser(actor: Actor, id: number, input: z.output<typeof UserUpdate>) {
  return rethrowDuplicate(
    actor.tx(async (q) => {
      const before = await repo.getUser(q, actor.tenantId, id, true);
      if (!before) throw notFound();
      if (before.is_super_admin) assertSuperAdmin(actor);
      const after: repo.UserFields = {
        name: input.name ?? before.name,
        mobile: input.mobile === undefined ? before.mobile : input.mobile,
        email: input.email === undefined ? before.email : input.email,
        gender: input.gender ?? before.gender,
        departmentId: input.departmentId ?? before.department_id,
        position: input.position === undefined ? before.position : input.position,
        superiorId: input.superiorId === undefined ? before.superior_id : input.superiorId,
        isSuperAdmin: input.isSuperAdmin ?? before.is_super_admin,
      };
      if (!after.mobile && !after.email) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'mobile', message: 'mobileOrEmail' }]);
      if (after.isSuperAdmin !== before.is_super_admin) {
        assertSuperAdmin(actor);
        if (!after.isSuperAdmin && (await repo.otherActiveSuperAdmins(q, actor.tenantId, id)) === 0) throw new AppError('LAST_SUPER_ADMIN');
      }
      await checkReferences(q, actor, id, {
        departmentId: after.departmentId !== before.department_id ? after.departmentId : undefined,
        superiorId: after.superiorId !== before.superior_id ? after.superiorId : undefined,
        roleIds: input.roleIds,
      });
      if (after.superiorId !== before.superior_id) await closureMove(q, 'user_closure', actor.tenantId, id, after.superiorId);
      await repo.updateUser(q, actor.tenantId, id, after);
      if (input.roleIds) await repo.setRoles(q, actor.tenantId, id, input.roleIds);
      const user = (await repo.getUser(q, actor.tenantId, id))!;
      const changes = diffChanges(auditable(before), auditable(user), [...AUDITED]);
      if (changes.length) await recordChange(q, actor, { entity: 'user', recordId: id, recordName: user.name, action: 'update', changes });
      return toDto(user);
    }),
  );
}

/** Loads a user the actor is about to act on as an administrator. */
async function targetUser(q: Queryable, actor: Actor, id: number) {
  const user = await repo.getUser(q, actor.tenantId, id, true);
  if (!user) throw notFound();
  if (user.is_super_admin) assertSuperAdmin(actor);
  return user;
}

/** Users are never deleted; a disabled user can no longer sign in and loses every session and token. */
export function setUserStatus(actor: Actor, id: number, status: 'active' | 'disabled') {
  return actor.tx(async (q) => {
    if (id === actor.userId) throw new AppError('NOT_SELF');
    const user = await targetUser(q, actor, id);
    if (user.status === status) return toDto(user);
    if (status === 'disabled') {
      if (user.is_super_admin && (await repo.otherActiveSuperAdmins(q, actor.tenantId, id)) === 0) throw new AppError('LAST_SUPER_ADMIN');
      await authRepo.revokeSessions(q, actor.tenantId, id, {});
      await authRepo.revokeAllApiTokens(q, actor.tenantId, id);
    }
    await repo.setStatus(q, actor.tenantId, id, status);
    await recordChange(q, actor, {
      entity: 'user',
      recordId: id,
      recordName: user.name,
      action: status === 'disabled' ? 'disable' : 'enable',
      changes: [{ field: 'status', before: user.status, after: status }],
    });
    return toDto((await repo.getUser(q, actor.tenantId, id))!);
  });
}

export async function resetUserPassword(actor: Actor, id: number, password: string) {
  const hash = await hashPassword(password);
  await actor.tx(async (q) => {
    const user = await targetUser(q, actor, id);
    await authRepo.updatePassword(q, actor.tenantId, id, hash);
    await authRepo.revokeSessions(q, actor.tenantId, id, {});
    await recordChange(q, actor, { entity: 'user', recordId: id, recordName: user.name, action: 'reset_password' });
  });
}

export function listUserSessions(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await targetUser(q, actor, id);
    return (await authRepo.listActiveSessions(q, actor.tenantId, id)).map((s) => toSessionDto(s));
  });
}

/** Signs a user out everywhere, or of one session. */
export function revokeUserSessions(actor: Actor, id: number, sessionId?: number) {
  return actor.tx(async (q) => {
    const user = await targetUser(q, actor, id);
    const n = await authRepo.revokeSessions(q, actor.tenantId, id, { sessionId });
    await recordChange(q, actor, { entity: 'user', recordId: id, recordName: user.name, action: 'revoke_sessions', changes: [{ field: 'sessions', before: n, after: 0 }] });
    return { revoked: n };
  });
}
