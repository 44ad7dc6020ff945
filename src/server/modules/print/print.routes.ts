import { EmptyBody, IdParams } from '../../../common/schemas/common.js';
import { EnvelopeRequest, EnvelopeTemplateInput } from '../../../common/schemas/print.js';
import { defineRoute } from '../../platform/http/route.js';
import * as print from './print.service.js';

export const printRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id/print', permission: 'customer.view', tag: 'print',
    summary: 'A customer’s print view: profile, addresses, contacts, team, the latest follow-ups', params: IdParams,
    handler: ({ actor, params }) => print.customerPrint(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/envelopes', permission: 'customer.view', tag: 'print',
    summary: 'Envelope lines (信封) for customers; ids the caller cannot see are left out and counted in `skipped`', body: EnvelopeRequest,
    handler: ({ actor, body }) => print.envelopes(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/envelope-templates', permission: 'customer.view', tag: 'print',
    summary: 'The company’s envelope templates, the default first',
    handler: ({ actor }) => print.listTemplates(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/envelope-templates', permission: 'settings.dictionary', tag: 'print', status: 201,
    summary: 'Create an envelope template', body: EnvelopeTemplateInput,
    handler: ({ actor, body }) => print.createTemplate(actor, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/envelope-templates/:id', permission: 'settings.dictionary', tag: 'print',
    summary: 'Change an envelope template', params: IdParams, body: EnvelopeTemplateInput,
    handler: ({ actor, params, body }) => print.updateTemplate(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/envelope-templates/:id', permission: 'settings.dictionary', tag: 'print',
    summary: 'Delete an envelope template (not the default one)', params: IdParams,
    handler: ({ actor, params }) => print.deleteTemplate(actor, params.id),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/envelope-templates/:id/default', permission: 'settings.dictionary', tag: 'print',
    summary: 'Make an envelope template the default', params: IdParams, body: EmptyBody,
    handler: ({ actor, params }) => print.setDefaultTemplate(actor, params.id).then((items) => ({ items })),
  }),
];
