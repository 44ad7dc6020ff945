import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';

export const OperationLogQuery = PageQuery.extend({
  entity: z.string().trim().max(50).optional(),
  recordId: Id.optional(),
  actorId: Id.optional(),
  action: z.string().trim().max(50).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
}).strict();

export const LoginLogQuery = PageQuery.extend({
  userId: Id.optional(),
  result: z.enum(['success', 'bad_password', 'locked', 'unknown_user', 'disabled', 'tenant_required']).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
}).strict();

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}
