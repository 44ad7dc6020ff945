/**
 * Team members (相关团队) and shares of a record of any scoped module: the rules
 * the customer and opportunity services share. The caller has already found the
 * record visible and checked that the actor may manage it (its owner scope).
 */
import type { z } from 'zod';
import type { RecordAccessBody } from '../../../common/schemas/customers.js';
import type { ScopedModule } from '../../../common/permissions.js';
import type { Queryable } from '../../db/database.js';
import { isActiveUser } from '../../modules/org/users.repo.js';
import type { Actor } from '../auth/actor.js';
import { recordChange } from '../audit/audit.service.js';
import { AppError, notFound } from '../http/errors.js';
import * as access from './record-access.repo.js';

interface MemberRecord {
  id: number;
  name: string;
  owner_id: number | null;
}

const toMember = (m: access.RecordAccessRow) => ({
  userId: m.user_id,
  userName: m.user_name,
  kind: m.kind,
  access: m.access,
  grantedBy: m.granted_by,
  grantedByName: m.granted_by_name,
  createdAt: m.created_at,
});

export async function listMembers(q: Queryable, tenantId: number, entity: ScopedModule, recordId: number) {
  return (await access.listRecordAccess(q, tenantId, entity, recordId)).map(toMember);
}

/** Adds a team member or a share (not the owner; an active user). */
export async function grantMember(q: Queryable, actor: Actor, entity: ScopedModule, record: MemberRecord, input: z.output<typeof RecordAccessBody>) {
  if (input.userId === record.owner_id) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'userId', message: 'isOwner' }]);
  if (!(await isActiveUser(q, actor.tenantId, input.userId))) throw new AppError('INVALID_REFERENCE', { field: 'userId' }, [{ path: 'userId', message: 'invalid' }]);
  const { before } = await access.grantRecordAccess(q, actor.tenantId, { entity, recordId: record.id, ...input, grantedBy: actor.userId });
  await recordChange(q, actor, {
    entity,
    recordId: record.id,
    recordName: record.name,
    action: input.kind === 'team' ? 'add_member' : 'share',
    changes: [{ field: `${input.kind}:${input.userId}`, before, after: input.access }],
  });
  return listMembers(q, actor.tenantId, entity, record.id);
}

export async function revokeMember(q: Queryable, actor: Actor, entity: ScopedModule, record: MemberRecord, userId: number, kind: 'team' | 'share') {
  if (!(await access.revokeRecordAccess(q, actor.tenantId, { entity, recordId: record.id, userId, kind }))) throw notFound();
  await recordChange(q, actor, {
    entity,
    recordId: record.id,
    recordName: record.name,
    action: kind === 'team' ? 'remove_member' : 'unshare',
    changes: [{ field: `${kind}:${userId}`, before: 'granted', after: null }],
  });
}

/** After a transfer: the former owner stays on the record's team with read access. */
export async function keepFormerOwner(q: Queryable, actor: Actor, entity: ScopedModule, recordId: number, formerOwnerId: number | null) {
  if (formerOwnerId === null) return;
  await access.grantRecordAccess(q, actor.tenantId, { entity, recordId, userId: formerOwnerId, kind: 'team', access: 'read', grantedBy: actor.userId });
}
