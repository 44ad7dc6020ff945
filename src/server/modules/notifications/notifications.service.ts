import type { Actor } from '../../platform/auth/actor.js';
import * as repo from './notifications.repo.js';

export function listMine(actor: Actor, limit: number) {
  return actor.tx(async (q) => ({
    unread: await repo.unreadCount(q, actor.tenantId, actor.userId),
    items: (await repo.listFor(q, actor.tenantId, actor.userId, limit)).map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      body: n.body,
      entityType: n.entity_type,
      entityId: n.entity_id,
      createdAt: n.created_at.toISOString(),
      read: n.read_at !== null,
    })),
  }));
}

export const markRead = (actor: Actor, ids: number[] | null) => actor.tx((q) => repo.markRead(q, actor.tenantId, actor.userId, ids));
