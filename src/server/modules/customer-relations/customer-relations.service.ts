import type { z } from 'zod';
import {
  type CustomerRelationsDto,
  type RelatedCustomerDto,
  type RelationCreate,
  type RelationTreeNode,
  ROLE_LINK,
  roleOf,
  TREE_KINDS,
} from '../../../common/schemas/customer-relations.js';
import type { Queryable } from '../../db/database.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { ErrorCode } from '../../platform/i18n/messages.js';
import { visibleCustomer } from '../customers/customers.service.js';
import * as repo from './customer-relations.repo.js';

const HIDDEN: RelatedCustomerDto = { id: null, code: null, name: null, hidden: true };
const SYMMETRIC = new Set(['affiliate', 'partner']);

/** Symmetric links are stored once, smaller id first. */
const normalised = (l: repo.Link): repo.Link => (SYMMETRIC.has(l.kind) && l.fromId > l.toId ? { ...l, fromId: l.toId, toId: l.fromId } : l);

const REFUSALS = {
  RELATION_SELF: 'relationSelf',
  RELATION_DUPLICATE: 'relationDuplicate',
  RELATION_HAS_PARENT: 'relationParent',
  RELATION_CYCLE: 'relationCycle',
} as const satisfies Partial<Record<ErrorCode, string>>;
type Refusal = keyof typeof REFUSALS;

/** Why a link cannot be stored (self, duplicate, a second parent, a cycle in the tree), or null. */
async function refusal(q: Queryable, tenantId: number, l: repo.Link): Promise<Refusal | null> {
  if (l.fromId === l.toId) return 'RELATION_SELF';
  if (await repo.exists(q, tenantId, l)) return 'RELATION_DUPLICATE';
  if (!TREE_KINDS.includes(l.kind)) return null;
  if (await repo.hasParent(q, tenantId, l.toId)) return 'RELATION_HAS_PARENT';
  // the new parent must not already hang below its new child
  if (await repo.isInSubtree(q, tenantId, l.toId, l.fromId)) return 'RELATION_CYCLE';
  return null;
}

/** A customer the actor may change (edit permission is the route's). */
async function writableCustomer(q: Queryable, actor: Actor, id: number) {
  const c = await visibleCustomer(q, actor, id, true);
  if (!c.can_write) throw new AppError('RECORD_READ_ONLY');
  return c;
}

export function listRelations(actor: Actor, id: number): Promise<CustomerRelationsDto> {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, id);
    const edges = await repo.treeAround(q, actor.tenantId, id);
    const peers = await repo.peersOf(q, actor.tenantId, id);
    const otherOf = (r: repo.RelationRow) => (r.from_id === id ? r.to_id : r.from_id);
    const ids = [...new Set([id, ...edges.flatMap((e) => [e.from_id, e.to_id]), ...peers.map(otherOf)])];
    const scope = await resolveScope(q, actor, 'customer');
    const known = new Map((await repo.customersFor(q, scope, ids)).map((r) => [r.id, r]));
    // what the caller may not open keeps its place but not its name, code or id
    const customer = (cid: number): RelatedCustomerDto => {
      const r = known.get(cid);
      return r?.readable ? { id: r.id, code: r.code, name: r.name, hidden: false } : HIDDEN;
    };
    const parentLink = new Map(edges.map((e) => [e.to_id, e]));
    let top = id;
    while (parentLink.has(top)) top = parentLink.get(top)!.from_id;
    const node = (cid: number, link: repo.RelationRow | null): RelationTreeNode => ({
      key: link ? `r${link.id}` : 'root',
      customer: customer(cid),
      kind: link ? (link.kind as 'subsidiary' | 'branch') : null,
      relationId: link?.id ?? null,
      current: cid === id,
      children: edges.filter((e) => e.from_id === cid).map((e) => node(e.to_id, e)),
    });
    return {
      tree: node(top, null),
      peers: peers.map((r) => ({ relationId: r.id, role: roleOf(r.kind, r.from_id === id), customer: customer(otherOf(r)) })),
      canEdit: c.can_write && actor.can('customer.edit'),
    };
  });
}

/** Links another customer to this one in the given role; both customers' logs record it. */
export function addRelation(actor: Actor, id: number, input: z.output<typeof RelationCreate>) {
  return actor.tx(async (q) => {
    const c = await writableCustomer(q, actor, id);
    if (input.customerId === id) throw refused('RELATION_SELF');
    const other = await visibleCustomer(q, actor, input.customerId).catch((e) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') throw new AppError('INVALID_REFERENCE', { field: 'customerId' }, [{ path: 'customerId', message: 'invalid' }]);
      throw e;
    });
    const { kind, otherIsFrom } = ROLE_LINK[input.role];
    const link = normalised({ kind, fromId: otherIsFrom ? other.id : id, toId: otherIsFrom ? id : other.id });
    await repo.lockRelations(q, actor.tenantId);
    const why = await refusal(q, actor.tenantId, link);
    if (why) throw refused(why);
    const relationId = await repo.insertLink(q, actor.tenantId, link, actor.userId);
    await logLink(q, actor, 'relate', { id: relationId, from_id: link.fromId, to_id: link.toId, kind }, [c, other]);
    return { relationId };
  });
}

export function removeRelation(actor: Actor, id: number, relationId: number) {
  return actor.tx(async (q) => {
    const c = await writableCustomer(q, actor, id);
    const gone = await repo.deleteLink(q, actor.tenantId, id, relationId);
    if (!gone) throw notFound();
    const otherId = gone.from_id === id ? gone.to_id : gone.from_id;
    const [other] = await repo.customersFor(q, await resolveScope(q, actor, 'customer'), [otherId]);
    await logLink(q, actor, 'unrelate', gone, [c, { id: otherId, name: other!.name }]);
  });
}

const refused = (code: Refusal) => new AppError(code, {}, [{ path: 'customerId', message: REFUSALS[code] }]);

/** One entry on each end's operation log (and so its timeline), naming the other end and its role. */
async function logLink(q: Queryable, actor: Actor, action: 'relate' | 'unrelate', r: repo.RelationRow, ends: { id: number; name: string }[]) {
  for (const self of ends) {
    const other = ends.find((e) => e !== self)!;
    const value = { role: roleOf(r.kind, r.from_id === self.id), customerId: other.id, customerName: other.name };
    await recordChange(q, actor, {
      entity: 'customer', recordId: self.id, recordName: self.name, action,
      changes: [{ field: 'relation', before: action === 'unrelate' ? value : null, after: action === 'relate' ? value : null }],
    });
  }
}

/**
 * A merge (CUS-12) hands the merged customer's links to the survivor, except
 * those that would then link it to itself, repeat a link, give it a second
 * parent or close a cycle: those are dropped.
 */
export async function moveRelations(q: Queryable, tenantId: number, fromCustomer: number, toCustomer: number, by: number): Promise<void> {
  await repo.lockRelations(q, tenantId);
  for (const r of await repo.linksOf(q, tenantId, fromCustomer)) {
    await repo.deleteById(q, tenantId, r.id);
    const swap = (x: number) => (x === fromCustomer ? toCustomer : x);
    const link = normalised({ kind: r.kind, fromId: swap(r.from_id), toId: swap(r.to_id) });
    if (!(await refusal(q, tenantId, link))) await repo.insertLink(q, tenantId, link, by);
  }
}

type LoggedChange = { field: string; before: unknown; after: unknown };

/**
 * Relation entries of a customer's history name the other customer; one the caller cannot see
 * keeps its role but loses its id and name (as in the tree), so history does not leak it.
 */
export async function hideUnseenRelated<T extends { changes: unknown }>(q: Queryable, actor: Actor, ops: T[]): Promise<T[]> {
  const values = (c: LoggedChange) => [c.before, c.after].filter((v): v is { customerId: number | null; customerName: string | null } => !!v && typeof v === 'object' && 'customerId' in v);
  const related = ops.flatMap((op) => ((op.changes as LoggedChange[] | null) ?? []).filter((c) => c.field === 'relation').flatMap(values));
  if (!related.length) return ops;
  const ids = [...new Set(related.map((v) => v.customerId).filter((id): id is number => id !== null))];
  const rows = await repo.customersFor(q, await resolveScope(q, actor, 'customer'), ids);
  const readable = new Set(rows.filter((r) => r.readable).map((r) => Number(r.id)));
  for (const v of related) {
    if (v.customerId !== null && !readable.has(Number(v.customerId))) {
      v.customerId = null;
      v.customerName = null;
    }
  }
  return ops;
}
