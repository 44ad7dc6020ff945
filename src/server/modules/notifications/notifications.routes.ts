import { z } from 'zod';
import { Id } from '../../../common/schemas/common.js';
import { defineRoute } from '../../platform/http/route.js';
import * as notifications from './notifications.service.js';

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(30) }).strict();
/** No ids: all of mine. */
const ReadBody = z.object({ ids: z.array(Id).max(500).optional() }).strict();

export const notificationRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/notifications', permission: 'authenticated', tag: 'notifications',
    summary: 'My notifications, newest first, and how many are unread', query: ListQuery,
    handler: ({ actor, query }) => notifications.listMine(actor, query.limit),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/notifications/read', permission: 'authenticated', tag: 'notifications',
    summary: 'Mark notifications (or all of mine) as read', body: ReadBody,
    handler: ({ actor, body }) => notifications.markRead(actor, body.ids ?? null),
  }),
];
