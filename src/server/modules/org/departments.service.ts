import type { z } from 'zod';
import type { DepartmentCreate, DepartmentUpdate } from '../../../common/schemas/org.js';
import { closureAdd, closureContains, closureMove } from '../../db/closure.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import * as repo from './departments.repo.js';
import { isActiveUser } from './users.repo.js';

const DUPLICATE_NAME = { departments_sibling_name: 'name' };

const toDto = (d: repo.DepartmentRow) => ({
  id: d.id,
  parentId: d.parent_id,
  name: d.name,
  sort: d.sort,
  headUserId: d.head_user_id,
  headUserName: d.head_user_name,
  memberCount: d.member_count,
  createdAt: d.created_at,
  updatedAt: d.updated_at,
});

/** The whole tree as a flat list ordered by sort; the client nests it by parentId. */
export const listDepartments = (actor: Actor) => actor.tx(async (q) => (await repo.listDepartments(q, actor.tenantId)).map(toDto));

async function requireDepartment(q: Queryable, actor: Actor, id: number, field = 'parentId') {
  const d = await repo.getDepartment(q, actor.tenantId, id);
  if (!d) throw new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);
  return d;
}

/** A department head is an active user of the company. */
async function requireHead(q: Queryable, actor: Actor, headUserId: number | null | undefined) {
  if (headUserId && !(await isActiveUser(q, actor.tenantId, headUserId))) {
    throw new AppError('INVALID_REFERENCE', { field: 'headUserId' }, [{ path: 'headUserId', message: 'invalid' }]);
  }
}

async function rethrowDuplicate<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw duplicateFrom(err, DUPLICATE_NAME) ?? err;
  }
}

export function createDepartment(actor: Actor, input: z.output<typeof DepartmentCreate>) {
  return rethrowDuplicate(
    actor.tx(async (q) => {
      await requireDepartment(q, actor, input.parentId);
      await requireHead(q, actor, input.headUserId);
      const id = await repo.insertDepartment(q, actor.tenantId, input);
      await closureAdd(q, 'department_closure', actor.tenantId, id, input.parentId);
      await recordChange(q, actor, {
        entity: 'department',
        recordId: id,
        recordName: input.name,
        action: 'create',
        changes: diffChanges(null, input, ['name', 'parentId', 'headUserId']),
      });
      return toDto((await repo.getDepartment(q, actor.tenantId, id))!);
    }),
  );
}

export function updateDepartment(actor: Actor, id: number, input: z.output<typeof DepartmentUpdate>) {
  return rethrowDuplicate(
    actor.tx(async (q) => {
      const before = await repo.getDepartment(q, actor.tenantId, id, true);
      if (!before) throw notFound();
      const after = {
        name: input.name ?? before.name,
        parentId: input.parentId ?? before.parent_id,
        sort: input.sort ?? before.sort,
        headUserId: input.headUserId === undefined ? before.head_user_id : input.headUserId,
      };
      if (after.headUserId !== before.head_user_id) await requireHead(q, actor, after.headUserId);
      if (after.parentId !== before.parent_id) {
        if (before.parent_id === null) throw new AppError('ROOT_DEPARTMENT');
        await requireDepartment(q, actor, after.parentId!);
        if (await closureContains(q, 'department_closure', actor.tenantId, id, after.parentId!)) {
          throw new AppError('TREE_CYCLE', {}, [{ path: 'parentId', message: 'cycle' }]);
        }
        await closureMove(q, 'department_closure', actor.tenantId, id, after.parentId);
      }
      await repo.updateDepartment(q, actor.tenantId, id, after);
      const changes = diffChanges({ name: before.name, parentId: before.parent_id, sort: before.sort, headUserId: before.head_user_id }, after, ['name', 'parentId', 'sort', 'headUserId']);
      if (changes.length) await recordChange(q, actor, { entity: 'department', recordId: id, recordName: after.name, action: 'update', changes });
      return toDto((await repo.getDepartment(q, actor.tenantId, id))!);
    }),
  );
}

export function deleteDepartment(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const d = await repo.getDepartment(q, actor.tenantId, id, true);
    if (!d) throw notFound();
    if (d.parent_id === null) throw new AppError('ROOT_DEPARTMENT');
    const deps = await repo.dependents(q, actor.tenantId, id);
    if (deps.children > 0) throw new AppError('DEPARTMENT_HAS_CHILDREN');
    if (deps.members > 0) throw new AppError('DEPARTMENT_HAS_MEMBERS');
    await repo.deleteDepartment(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: 'department', recordId: id, recordName: d.name, action: 'delete' });
  });
}
