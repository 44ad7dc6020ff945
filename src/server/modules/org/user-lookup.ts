import type { Permission } from '../../../common/permissions.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import type { ImportField } from '../../platform/exchange/import.js';
import { activeUserKeys } from './users.repo.js';

/** An active user named in a file (owner columns): by e-mail, mobile or name; a name two users share is ambiguous. */
export type UserMatch = number | 'ambiguous' | undefined;

export async function userLookup(q: Queryable, tenantId: number): Promise<(text: string) => UserMatch> {
  const byKey = new Map<string, number | 'ambiguous'>();
  const add = (key: string | null, id: number) => {
    if (!key) return;
    const k = key.trim().toLowerCase();
    const seen = byKey.get(k);
    byKey.set(k, seen === undefined || seen === id ? id : 'ambiguous');
  };
  for (const u of await activeUserKeys(q, tenantId)) {
    add(u.name, u.id);
    add(u.email, u.id);
    add(u.mobile, u.id);
  }
  return (text) => byKey.get(text.trim().toLowerCase());
}

/**
 * An owner column: an active user by name, e-mail or mobile; naming someone
 * else than oneself hands the record over, which needs `transfer`.
 */
export function ownerImportField<Row>(
  actor: Actor,
  findUser: (text: string) => UserMatch,
  field: { transfer: Permission; label: string; hint: string },
  set: (row: Row, userId: number) => void,
): ImportField<Row> {
  const { transfer, label, hint } = field;
  return {
    key: 'owner',
    label,
    aliases: ['负责人', '所有人', '销售', '业务员', '归属人', 'owner'],
    hint,
    apply: (text, row) => {
      const user = findUser(text);
      if (user === undefined) return 'not_found';
      if (user === 'ambiguous') return 'ambiguous';
      if (user !== actor.userId && !actor.can(transfer)) return 'not_allowed';
      set(row, user);
      return undefined;
    },
  };
}
