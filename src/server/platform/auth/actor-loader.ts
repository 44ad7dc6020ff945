import type { Database } from '../../db/database.js';
import { AppError } from '../http/errors.js';
import { type Actor, buildActor } from './actor.js';
import { findActorByUserId } from './auth.repo.js';

/** The actor for a known user: after sign-in, in jobs and in tests. */
export async function actorForUser(
  db: Database,
  tenantId: number,
  userId: number,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<Actor> {
  const row = await db.tenant({ tenantId }, (q) => findActorByUserId(q, tenantId, userId));
  if (!row) throw new AppError('NOT_FOUND');
  return buildActor(db, row, meta);
}
