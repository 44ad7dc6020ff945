import { EmptyBody, IdParams } from '../../../common/schemas/common.js';
import { ContactExportQuery } from '../../../common/schemas/contacts.js';
import { CustomerExportQuery } from '../../../common/schemas/customers.js';
import { LeadExportQuery } from '../../../common/schemas/leads.js';
import { OpportunityExportQuery } from '../../../common/schemas/opportunities.js';
import { CONTENT_TYPES } from '../../platform/exchange/export.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { attachmentDisposition } from '../../platform/http/content-disposition.js';
import { defineRoute } from '../../platform/http/route.js';
import { contactExport } from '../contacts/contact-export.service.js';
import { customerExport } from '../customers/customer-export.service.js';
import { leadExport } from '../leads/lead-export.service.js';
import { opportunityExport } from '../opportunities/opportunity-export.service.js';
import * as exports from './exports.service.js';

const BACKGROUND = 'The list as a file written in the background (same query string as its /export download); a notification tells when it is ready';

export const exportRoutes = (files: FileStorage) => [
  defineRoute({
    method: 'POST', url: '/api/v1/customers/export/job', permission: 'customer.export', tag: 'customers', status: 202,
    summary: BACKGROUND, query: CustomerExportQuery, body: EmptyBody,
    handler: ({ actor, query, locale }) => exports.startExport(actor, files, customerExport, query, locale),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contacts/export/job', permission: 'contact.export', tag: 'contacts', status: 202,
    summary: BACKGROUND, query: ContactExportQuery, body: EmptyBody,
    handler: ({ actor, query, locale }) => exports.startExport(actor, files, contactExport, query, locale),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/leads/export/job', permission: 'lead.export', tag: 'leads', status: 202,
    summary: BACKGROUND, query: LeadExportQuery, body: EmptyBody,
    handler: ({ actor, query, locale }) => exports.startExport(actor, files, leadExport, query, locale),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/export/job', permission: 'opportunity.export', tag: 'opportunities', status: 202,
    summary: BACKGROUND, query: OpportunityExportQuery, body: EmptyBody,
    handler: ({ actor, query, locale }) => exports.startExport(actor, files, opportunityExport, query, locale),
  }),
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
