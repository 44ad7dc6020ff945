import type { Permission } from '../../../common/permissions.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/http/errors.js';

/**
 * Access rules of the organisation module. Whoever manages roles or users may
 * hand out only permissions they hold themselves; super administrators are made
 * only by super administrators. Without these, `role.manage` or `user.manage`
 * would be a path to every permission.
 */
export function assertCanGrant(actor: Actor, permissions: readonly string[]): void {
  if (actor.isSuperAdmin) return;
  const missing = permissions.filter((p) => !actor.permissions.has(p as Permission));
  if (missing.length) throw new AppError('PRIVILEGE_ESCALATION', { permissions: missing.join(', ') });
}

export function assertSuperAdmin(actor: Actor): void {
  if (!actor.isSuperAdmin) throw new AppError('SUPER_ADMIN_ONLY');
}
