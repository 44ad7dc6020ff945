import type { Actor } from '../../platform/auth/actor.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { keysetPage } from '../../db/keyset.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { isLiveCustomer, lockName } from '../customers/customers.repo.js';
import { codeInUse } from '../products/products.repo.js';
import { enforceDuplicateRules } from '../duplicates/duplicates.service.js';
import * as repo from './recycle-bin.repo.js';

/** The recycle bin (CUS-14): deleted customers, contacts, leads, products and opportunities, restored or erased by an administrator. */
export function listBin(actor: Actor, entity: repo.BinEntity, page: { limit: number; cursor?: string }) {
  return actor.tx(async (q) => {
    const p = keysetPage(await repo.listDeleted(q, actor.tenantId, entity, page), page.limit);
    return {
      items: p.items.map((r) => ({ id: r.id, code: r.code, name: r.name, detail: r.detail, deletedAt: r.deleted_at.toISOString(), deletedByName: r.deleted_by_name })),
      nextCursor: p.nextCursor,
    };
  });
}

export function restore(actor: Actor, entity: repo.BinEntity, id: number) {
  return actor.tx(async (q) => {
    const r = await repo.getDeleted(q, actor.tenantId, entity, id);
    if (!r) throw notFound();
    // a live record may have taken the name (or number) meanwhile
    if (entity === 'customer') {
      await lockName(q, actor.tenantId, r.name);
      await enforceDuplicateRules(q, actor.tenantId, 'customer', { name: r.name, phone: r.phone, email: r.email, creditCode: r.credit_code }, id);
    } else if (entity === 'contact') {
      await enforceDuplicateRules(q, actor.tenantId, 'contact', { mobile: r.mobile, email: r.email }, id);
    } else if (entity === 'product' && (await codeInUse(q, actor.tenantId, r.code))) {
      throw new AppError('DUPLICATE', { field: r.code }, [{ path: 'code', message: 'duplicate' }]);
    } else if (entity === 'opportunity' && !(await isLiveCustomer(q, actor.tenantId, r.customer_id!))) {
      // an opportunity comes back with its customer, not before it
      throw new AppError('BIN_PARENT_DELETED');
    }
    await repo.restore(q, actor.tenantId, entity, id);
    await recordChange(q, actor, { entity, recordId: id, recordName: r.name, action: 'restore' });
  });
}

export async function purge(actor: Actor, files: FileStorage, entity: repo.BinEntity, id: number) {
  const keys = await actor.tx(async (q) => {
    const r = await repo.getDeleted(q, actor.tenantId, entity, id);
    if (!r) throw notFound();
    if (await repo.inUse(q, actor.tenantId, entity, id)) throw new AppError(entity === 'customer' ? 'CUSTOMER_HAS_CONTRACTS' : 'BIN_RECORD_IN_USE');
    const freed = await repo.purge(q, actor.tenantId, entity, id);
    await recordChange(q, actor, { entity, recordId: id, recordName: r.name, action: 'purge' });
    return freed;
  });
  for (const key of keys) await files.delete(key);
}
