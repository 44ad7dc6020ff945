import { z } from 'zod';
import { Id, IdParams } from '../../../common/schemas/common.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { attachmentDisposition } from '../../platform/http/content-disposition.js';
import { defineRoute } from '../../platform/http/route.js';
import * as attachments from './attachments.service.js';

const Entity = z.enum(['customer', 'contact', 'lead', 'followup', 'product', 'expense', 'opportunity', 'contract']);
const ListQuery = z.object({ entityType: Entity, entityId: Id }).strict();
const UploadQuery = z.object({ entityType: Entity, entityId: Id, fileName: z.string().trim().min(1).max(200) }).strict();

export const attachmentRoutes = (files: FileStorage) => [
  defineRoute({
    method: 'GET', url: '/api/v1/attachments', permission: 'authenticated', tag: 'attachments',
    summary: 'Files of a customer, contact, lead or follow-up the caller can see', query: ListQuery,
    handler: ({ actor, query }) => attachments.listAttachments(actor, query.entityType, query.entityId).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/attachments', permission: 'authenticated', tag: 'attachments', status: 201, upload: true,
    summary: `Upload a file (body: the file as application/octet-stream; at most ${attachments.MAX_ATTACHMENT_BYTES / 1024 / 1024} MB; office, PDF, image, audio, archive)`,
    query: UploadQuery,
    handler: ({ actor, query, req }) =>
      attachments.upload(actor, files, { entity: query.entityType, entityId: query.entityId, fileName: query.fileName }, req.body as NodeJS.ReadableStream as never),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/attachments/:id/download', permission: 'authenticated', tag: 'attachments',
    summary: 'Download a file (always as an attachment, never shown inline)', params: IdParams,
    handler: async ({ actor, params, reply }) => {
      const f = await attachments.download(actor, files, params.id);
      return reply
        .header('content-type', f.contentType)
        .header('content-length', String(f.size))
        .header('content-disposition', attachmentDisposition(f.fileName))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(f.stream);
    },
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/attachments/:id', permission: 'authenticated', tag: 'attachments',
    summary: 'Delete a file', params: z.object({ id: Id }).strict(),
    handler: ({ actor, params }) => attachments.deleteAttachment(actor, files, params.id),
  }),
];
