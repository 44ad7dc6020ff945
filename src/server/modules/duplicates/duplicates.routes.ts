import { DuplicateCheck, DuplicateRulesBody } from '../../../common/schemas/duplicates.js';
import { defineRoute } from '../../platform/http/route.js';
import * as duplicates from './duplicates.service.js';

export const duplicateRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/duplicates/check', permission: 'customer.view', tag: 'customers',
    summary: 'Records that given values would duplicate (查重), with each rule’s mode', body: DuplicateCheck,
    handler: ({ actor, body }) => duplicates.checkDuplicates(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/duplicate-rules', permission: 'customer.view', tag: 'settings',
    summary: 'Duplicate rules: per entity and field, off, warn or refuse', handler: ({ actor }) => duplicates.listRules(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/duplicate-rules', permission: 'settings.duplicate', tag: 'settings',
    summary: 'Set duplicate rules', body: DuplicateRulesBody,
    handler: ({ actor, body }) => duplicates.setRules(actor, body).then((items) => ({ items })),
  }),
];
