import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as repo from './views.repo.js';

/**
 * Saved filter views (场景, CUS-15): a name, the list's filters, columns and
 * sort, private or shared with everyone. The filters are the list's own query
 * parameters, so a view never shows more than the data scope: the list applies
 * it when the view is used.
 */
export interface ViewInput {
  name: string;
  shared: boolean;
  filters: Record<string, unknown>;
  columns: string[];
  sort: string | null;
}

const toDto = (v: repo.ViewRow, userId: number) => ({
  id: v.id,
  entity: v.entity_type,
  name: v.name,
  ownerId: v.owner_id,
  ownerName: v.owner_name,
  shared: v.shared,
  filters: v.filters,
  columns: v.columns,
  sort: v.sort,
  mine: v.owner_id === userId,
});

export const listViews = (actor: Actor, entity: repo.ViewEntity) =>
  actor.tx(async (q) => (await repo.viewsFor(q, actor.tenantId, actor.userId, entity)).map((v) => toDto(v, actor.userId)));

export function createView(actor: Actor, entity: repo.ViewEntity, input: ViewInput) {
  // sharing a view with everyone is for those who shape how the company works
  if (input.shared && !actor.can('view.share')) throw new AppError('FORBIDDEN', { permission: 'view.share' });
  return actor.tx(async (q) => {
    const id = await repo.insertView(q, actor.tenantId, { ...input, entity, ownerId: actor.userId });
    return toDto((await repo.getView(q, actor.tenantId, id))!, actor.userId);
  });
}

async function ownView(actor: Actor, id: number, q: Queryable) {
  const v = await repo.getView(q, actor.tenantId, id);
  if (!v || (v.owner_id !== actor.userId && !v.shared)) throw notFound();
  if (v.owner_id !== actor.userId && !actor.can('view.share')) throw new AppError('RECORD_READ_ONLY');
  return v;
}

export function updateView(actor: Actor, id: number, input: ViewInput) {
  if (input.shared && !actor.can('view.share')) throw new AppError('FORBIDDEN', { permission: 'view.share' });
  return actor.tx(async (q) => {
    await ownView(actor, id, q);
    await repo.updateView(q, actor.tenantId, id, input);
    return toDto((await repo.getView(q, actor.tenantId, id))!, actor.userId);
  });
}

export function deleteView(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await ownView(actor, id, q);
    await repo.deleteView(q, actor.tenantId, id);
  });
}

export const getColumns = (actor: Actor, entity: repo.ViewEntity) =>
  actor.tx(async (q) => ({ columns: (await repo.columnsOf(q, actor.tenantId, actor.userId, entity))?.columns ?? null }));

export function setColumns(actor: Actor, entity: repo.ViewEntity, columns: string[]) {
  return actor.tx(async (q) => {
    await repo.setColumns(q, actor.tenantId, actor.userId, entity, columns);
    return { columns };
  });
}
