import { EmptyBody, IdParams } from '../../../common/schemas/common.js';
import { ImportEntityQuery, ImportFailuresQuery, ImportSettings, ImportTemplateQuery, ImportUploadQuery } from '../../../common/schemas/imports.js';
import { sendExport } from '../../platform/exchange/export.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { defineRoute } from '../../platform/http/route.js';
import type { ImportRunner } from './import-runner.js';
import * as imports from './imports.service.js';

// Every route serves every importing entity, each with its own import permission (customer.import,
// contact.import, lead.import, product.import, opportunity.import): the service checks the one of the entity at hand.
export const importRoutes = (files: FileStorage, runner: ImportRunner) => [
  defineRoute({
    method: 'GET', url: '/api/v1/imports/template', permission: 'authenticated', tag: 'imports',
    summary: 'The import template of an entity (its columns, required ones marked *, drop-down lists in XLSX): entity=customer|contact|lead|product|opportunity, format=xlsx|csv',
    query: ImportTemplateQuery,
    handler: async ({ actor, query, locale, reply }) => sendExport(reply, await imports.templateFile(actor, query.entity, query.format, locale)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/imports', permission: 'authenticated', tag: 'imports', status: 201, upload: true,
    summary: 'Upload a file to import (body: the file as application/octet-stream; .xlsx or .csv in UTF-8 or GBK): a draft with its columns, first rows and a proposed mapping',
    query: ImportUploadQuery,
    handler: ({ actor, query, locale, req }) => imports.uploadDraft(actor, files, query, req.body as never, locale),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/imports', permission: 'authenticated', tag: 'imports',
    summary: 'The latest imports of an entity (one’s own; all for a super administrator)', query: ImportEntityQuery,
    handler: ({ actor, query }) => imports.listImports(actor, query.entity),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/imports/:id', permission: 'authenticated', tag: 'imports',
    summary: 'An import: status, rows done, created, updated, skipped and failed, progress and time left', params: IdParams,
    handler: ({ actor, params }) => imports.getImport(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/imports/:id/preview', permission: 'authenticated', tag: 'imports',
    summary: 'The first rows of a draft as the import would treat them (valid, invalid with reasons, duplicate of which record); writes nothing',
    params: IdParams, body: ImportSettings,
    handler: ({ actor, params, body, locale }) => imports.previewImport(actor, files, params.id, body, locale),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/imports/:id/start', permission: 'authenticated', tag: 'imports',
    summary: 'Start a draft import in the background with a column mapping, duplicate handling (skip|update|create) and a default owner',
    params: IdParams, body: ImportSettings,
    handler: ({ actor, params, body, locale }) => imports.startImport(actor, runner, params.id, body, locale),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/imports/:id/cancel', permission: 'authenticated', tag: 'imports',
    summary: 'Stop an import after its current batch (what it wrote stays, and can be undone)', params: IdParams, body: EmptyBody,
    handler: ({ actor, params }) => imports.cancelImport(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/imports/:id/undo', permission: 'authenticated', tag: 'imports',
    summary: 'Move the records an import created to the recycle bin, except those changed since', params: IdParams, body: EmptyBody,
    handler: ({ actor, params }) => imports.undoImport(actor, runner, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/imports/:id/failures', permission: 'authenticated', tag: 'imports',
    summary: 'The rows that were not imported, as read, with the reason: format=xlsx|csv', params: IdParams, query: ImportFailuresQuery,
    handler: async ({ actor, params, query, locale, reply }) => sendExport(reply, await imports.failuresFile(actor, params.id, query.format, locale)),
  }),
];
