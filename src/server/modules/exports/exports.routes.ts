import { EmptyBody, IdParams } from '../../../common/schemas/common.js';
import { ContactExportQuery } from '../../../common/schemas/contacts.js';
import { CustomerExportQuery } from '../../../common/schemas/customers.js';
import { LeadExportQuery } from '../../../common/schemas/leads.js';
import { OpportunityExportQuery } from '../../../common/schemas/opportunities.js';
import { ProductExportQuery } from '../../../common/schemas/products.js';
import type { ZodType } from 'zod';
import type { Permission } from '../../../common/permissions.js';
import { CONTENT_TYPES } from '../../platform/exchange/export.js';
import type { ListExport } from '../../platform/exchange/list-export.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { attachmentDisposition } from '../../platform/http/content-disposition.js';
import { defineRoute } from '../../platform/http/route.js';
import { contactExport } from '../contacts/contact-export.service.js';
import { customerExport } from '../customers/customer-export.service.js';
import { leadExport } from '../leads/lead-export.service.js';
import { opportunityExport } from '../opportunities/opportunity-export.service.js';
import { productExport } from '../products/product-export.service.js';
import * as exports from './exports.service.js';

const BACKGROUND = 'The list as a file written in the background (same query string as its /export download); a notification tells when it is ready';

/** `POST <list>/export/job`: the list's export, with the same query string as its direct download, written in the background. */
function backgroundExport<Row, Query extends { format: 'xlsx' | 'csv' }>(
  files: FileStorage,
  path: string,
  permission: Permission,
  query: ZodType<Query>,
  list: ListExport<Row, Query>,
) {
  return defineRoute({
    method: 'POST', url: `/api/v1/${path}/export/job`, permission, tag: path, status: 202, summary: BACKGROUND, query, body: EmptyBody,
    handler: ({ actor, query: q, locale }) => exports.startExport(actor, files, list, q as Query, locale),
  });
}

export const exportRoutes = (files: FileStorage) => [
  backgroundExport(files, 'customers', 'customer.export', CustomerExportQuery, customerExport),
  backgroundExport(files, 'contacts', 'contact.export', ContactExportQuery, contactExport),
  backgroundExport(files, 'leads', 'lead.export', LeadExportQuery, leadExport),
  backgroundExport(files, 'opportunities', 'opportunity.export', OpportunityExportQuery, opportunityExport),
  backgroundExport(files, 'products', 'product.export', ProductExportQuery, productExport),
  defineRoute({
    method: 'GET', url: '/api/v1/exports', permission: 'authenticated', tag: 'exports',
    summary: 'One’s latest background exports', handler: ({ actor }) => exports.listExports(actor),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/exports/:id', permission: 'authenticated', tag: 'exports',
    summary: 'A background export: running, completed (with its file) or failed', params: IdParams,
    handler: ({ actor, params }) => exports.getExport(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/exports/:id/download', permission: 'authenticated', tag: 'exports',
    summary: 'The file of a completed background export (only for the user who asked for it)', params: IdParams,
    handler: async ({ actor, params, reply }) => {
      const f = await exports.downloadExport(actor, files, params.id);
      return reply
        .header('content-type', CONTENT_TYPES[f.format])
        .header('content-length', String(f.size))
        .header('content-disposition', attachmentDisposition(f.name))
        .header('cache-control', 'private, no-store')
        .send(f.stream);
    },
  }),
];
