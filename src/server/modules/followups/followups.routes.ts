import { z } from 'zod';
import { Id, IdParams } from '../../../common/schemas/common.js';
import { CommentCreate, FollowupCreate, FollowupListQuery, TemplateCreate, TimelineQuery, UpcomingQuery } from '../../../common/schemas/followups.js';
import { defineRoute } from '../../platform/http/route.js';
import * as followups from './followups.service.js';

export const followupRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/followups', permission: 'customer.view', tag: 'followups',
    summary: 'Follow-ups of one customer (its contacts’ included) or one contact, newest first', query: FollowupListQuery,
    handler: ({ actor, query }) => followups.listFollowups(actor, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/followups', permission: 'followup.create', tag: 'followups', status: 201,
    summary: 'Record a follow-up (phone, visit, e-mail …) with an optional next contact time', body: FollowupCreate,
    handler: ({ actor, body }) => followups.createFollowup(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/followups/upcoming', permission: 'authenticated', tag: 'followups',
    summary: 'My planned contacts: overdue ones and those of the next days', query: UpcomingQuery,
    handler: ({ actor, query }) => followups.upcoming(actor, query.days),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/followups/:id/comments', permission: 'followup.comment', tag: 'followups', status: 201,
    summary: 'Comment on a follow-up (点评)', params: IdParams, body: CommentCreate,
    handler: ({ actor, params, body }) => followups.addComment(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/followups/:id/done', permission: 'followup.create', tag: 'followups',
    summary: 'Mark my planned next contact as done', params: IdParams, body: z.object({}).strict(),
    handler: ({ actor, params }) => followups.completeNextContact(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id/timeline', permission: 'customer.view', tag: 'followups',
    summary: 'A customer’s timeline: follow-ups and changes, newest first', params: IdParams, query: TimelineQuery,
    handler: ({ actor, params, query }) => followups.customerTimeline(actor, params.id, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/followup-templates', permission: 'followup.create', tag: 'followups',
    summary: 'My follow-up templates and the shared ones', handler: ({ actor }) => followups.listTemplates(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/followup-templates', permission: 'followup.create', tag: 'followups', status: 201,
    summary: 'Save a follow-up template', body: TemplateCreate,
    handler: ({ actor, body }) => followups.createTemplate(actor, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/followup-templates/:id', permission: 'followup.create', tag: 'followups',
    summary: 'Delete one of my templates', params: z.object({ id: Id }).strict(),
    handler: ({ actor, params }) => followups.deleteTemplate(actor, params.id),
  }),
];
