import { z } from 'zod';
import { IdParams } from '../../../common/schemas/common.js';
import {
  LeadAssignBody,
  LeadConvertBody,
  LeadCreate,
  LeadExportQuery,
  LeadListQuery,
  LeadRulesBody,
  LeadStatusBody,
  LeadUpdate,
  WebFormInput,
  WebFormSubmission,
} from '../../../common/schemas/leads.js';
import type { Database } from '../../db/database.js';
import { requestMeta } from '../../platform/auth/auth.routes.js';
import { exportHandler } from '../../platform/exchange/list-export.js';
import { defineRoute } from '../../platform/http/route.js';
import { leadExport } from './lead-export.service.js';
import * as leads from './leads.service.js';

const FormParams = z.object({ token: z.string().regex(/^[\w-]{10,64}$/) }).strict();

export const leadRoutes = (db: Database) => [
  defineRoute({
    method: 'GET', url: '/api/v1/leads', permission: 'lead.view', tag: 'leads',
    summary: 'Leads in the caller’s data scope (view=unassigned: the lead pool, for assigners)', query: LeadListQuery,
    handler: ({ actor, query }) => leads.listLeads(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/leads/count', permission: 'lead.view', tag: 'leads',
    summary: 'How many leads the same filters match', query: LeadListQuery,
    handler: ({ actor, query }) => leads.countLeads(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/leads/export', permission: 'lead.export', tag: 'leads',
    summary: 'The list (same filters, view and scope) as an Excel or CSV download: format=xlsx|csv, columns=name,company,… (the list’s keys and custom field keys), ids=1,2,3 for a selection',
    query: LeadExportQuery,
    handler: exportHandler(leadExport),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/leads', permission: 'lead.create', tag: 'leads', status: 201,
    summary: 'Create a lead; without an owner the assignment rules pick one', body: LeadCreate,
    handler: ({ actor, body }) => leads.createLead(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/leads/:id', permission: 'lead.view', tag: 'leads',
    summary: 'One lead, with what the caller may do with it', params: IdParams,
    handler: ({ actor, params }) => leads.getLead(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/leads/:id', permission: 'lead.edit', tag: 'leads',
    summary: 'Change a lead (its score follows the rules)', params: IdParams, body: LeadUpdate,
    handler: ({ actor, params, body }) => leads.updateLead(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/leads/:id/status', permission: 'lead.edit', tag: 'leads',
    summary: 'Move a lead to qualifying, back to new, or to invalid (with a reason)', params: IdParams, body: LeadStatusBody,
    handler: ({ actor, params, body }) => leads.setLeadStatus(actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/leads/:id/history', permission: 'lead.view', tag: 'leads',
    summary: 'Operation log of one lead', params: IdParams,
    handler: ({ actor, params }) => leads.leadHistory(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/leads/:id/convert', permission: 'lead.convert', tag: 'leads',
    summary: 'Convert a lead into a customer and a contact, keeping its follow-ups', params: IdParams, body: LeadConvertBody,
    handler: ({ actor, params, body }) => leads.convertLead(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/leads/:id', permission: 'lead.delete', tag: 'leads',
    summary: 'Delete a lead', params: IdParams,
    handler: ({ actor, params }) => leads.deleteLead(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/leads/assign', permission: 'lead.transfer', tag: 'leads',
    summary: 'Assign or transfer leads to a user', body: LeadAssignBody,
    handler: ({ actor, body }) => leads.assignLeads(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/lead-rules', permission: 'lead.manage', tag: 'leads',
    summary: 'Assignment and score rules', handler: ({ actor }) => leads.getRules(actor),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/lead-rules', permission: 'lead.manage', tag: 'leads',
    summary: 'Replace the assignment and score rules', body: LeadRulesBody,
    handler: ({ actor, body }) => leads.setRules(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/lead-forms', permission: 'lead.manage', tag: 'leads',
    summary: 'Public web forms that create leads', handler: ({ actor }) => leads.listForms(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/lead-forms', permission: 'lead.manage', tag: 'leads', status: 201,
    summary: 'Create a public web form (its token goes in the page that posts to it)', body: WebFormInput,
    handler: ({ actor, body }) => leads.createForm(actor, body).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/lead-forms/:id', permission: 'lead.manage', tag: 'leads', params: IdParams,
    summary: 'Rename a public web form, change its source, or disable it', body: WebFormInput,
    handler: ({ actor, params, body }) => leads.updateForm(actor, params.id, body).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/public/forms/:token/leads', permission: 'public', tag: 'leads', status: 202,
    summary: 'Submit the public web form (no sign-in; rate-limited per address)', params: FormParams, body: WebFormSubmission,
    rateLimit: { max: 10, timeWindow: '1 minute' },
    handler: ({ params, body, req }) => leads.submitWebForm(db, params.token, body, requestMeta(req)),
  }),
];
