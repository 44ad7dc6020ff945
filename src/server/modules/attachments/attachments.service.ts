import type { Readable } from 'node:stream';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { ALLOWED_TYPES, extensionOf, type FileStorage, FileTooLargeError } from '../../platform/files/storage.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { visibleContact } from '../contacts/contacts.service.js';
import { visibleContract } from '../contracts/contracts.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { visibleExpense } from '../expenses/expenses.service.js';
import { visibleFollowup } from '../followups/followups.service.js';
import { visibleLead } from '../leads/leads.service.js';
import { visibleOpportunity } from '../opportunities/opportunities.service.js';
import { visibleProduct } from '../products/products.service.js';
import * as repo from './attachments.repo.js';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * The record a file hangs on, as the actor sees it: 404 when invisible;
 * `writable` for uploading and deleting (a follow-up: its author).
 */
async function recordOf(q: Queryable, actor: Actor, entity: repo.AttachmentEntity, id: number): Promise<{ writable: boolean }> {
  switch (entity) {
    case 'customer':
      return { writable: (await visibleCustomer(q, actor, id)).can_write };
    case 'contact':
      return { writable: (await visibleContact(q, actor, id)).can_write };
    case 'lead':
      return { writable: (await visibleLead(q, actor, id)).can_write };
    case 'opportunity':
      return { writable: (await visibleOpportunity(q, actor, id)).can_write };
    case 'contract':
      return { writable: (await visibleContract(q, actor, id)).can_write };
    case 'followup':
      return { writable: (await visibleFollowup(q, actor, id)).created_by === actor.userId };
    case 'expense': {
      // its owner adds files while it can still be changed
      const e = await visibleExpense(q, actor, id);
      return { writable: e.owner_id === actor.userId && (e.status === 'draft' || e.status === 'rejected' || e.status === 'withdrawn') };
    }
    case 'product':
      // the catalogue has no data scope: whoever sees products reads their files, product managers change them
      if (!actor.can('product.view')) throw new AppError('FORBIDDEN', { permission: 'product.view' });
      await visibleProduct(q, actor, id);
      return { writable: actor.can('product.manage') };
  }
}

const toDto = (a: repo.AttachmentRow) => ({
  id: a.id,
  entityType: a.entity_type,
  entityId: a.entity_id,
  fileName: a.file_name,
  contentType: a.content_type,
  size: a.size,
  sha256: a.sha256,
  uploadedBy: a.uploaded_by,
  uploadedByName: a.uploaded_by_name,
  createdAt: a.created_at.toISOString(),
});

export function listAttachments(actor: Actor, entity: repo.AttachmentEntity, id: number) {
  return actor.tx(async (q) => {
    await recordOf(q, actor, entity, id);
    return (await repo.listFor(q, actor.tenantId, entity, [id])).map(toDto);
  });
}

/**
 * Stores an upload, then records it. The permission check comes first, so an
 * unauthorised upload is refused before a byte is written.
 */
export async function upload(actor: Actor, files: FileStorage, input: { entity: repo.AttachmentEntity; entityId: number; fileName: string }, content: Readable) {
  const contentType = ALLOWED_TYPES[extensionOf(input.fileName)];
  if (!contentType) throw new AppError('FILE_TYPE', { types: Object.keys(ALLOWED_TYPES).join(', ') }, [{ path: 'fileName', message: 'fileType' }]);
  const { writable } = await actor.tx((q) => recordOf(q, actor, input.entity, input.entityId));
  if (!writable) throw new AppError('RECORD_READ_ONLY');
  const stored = await files.put(`t${actor.tenantId}`, content, MAX_ATTACHMENT_BYTES).catch((e) => {
    throw e instanceof FileTooLargeError ? new AppError('FILE_TOO_LARGE', { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }) : e;
  });
  try {
    return await actor.tx(async (q) => {
      // checked again in the transaction that records it: access may have changed meanwhile
      if (!(await recordOf(q, actor, input.entity, input.entityId)).writable) throw new AppError('RECORD_READ_ONLY');
      const id = await repo.insert(q, actor.tenantId, { ...input, contentType, size: stored.size, sha256: stored.sha256, key: stored.key, by: actor.userId });
      await recordChange(q, actor, { entity: input.entity, recordId: input.entityId, action: 'attach', changes: [{ field: 'attachment', before: null, after: input.fileName }] });
      return toDto((await repo.get(q, actor.tenantId, id))!);
    });
  } catch (e) {
    await files.delete(stored.key);
    throw e;
  }
}

/** The file of an attachment the actor may see, with how to send it. */
export async function download(actor: Actor, files: FileStorage, id: number) {
  const a = await actor.tx(async (q) => {
    const row = await repo.get(q, actor.tenantId, id);
    if (!row) throw notFound();
    await recordOf(q, actor, row.entity_type, row.entity_id);
    return row;
  });
  return { fileName: a.file_name, contentType: a.content_type, size: a.size, stream: await files.get(a.storage_key) };
}

export async function deleteAttachment(actor: Actor, files: FileStorage, id: number) {
  const key = await actor.tx(async (q) => {
    const a = await repo.get(q, actor.tenantId, id);
    if (!a) throw notFound();
    const { writable } = await recordOf(q, actor, a.entity_type, a.entity_id);
    if (!writable && a.uploaded_by !== actor.userId) throw new AppError('RECORD_READ_ONLY');
    const freed = await repo.remove(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: a.entity_type, recordId: a.entity_id, action: 'detach', changes: [{ field: 'attachment', before: a.file_name, after: null }] });
    return freed;
  });
  // the file goes once the row is gone for good
  if (key) await files.delete(key);
}
