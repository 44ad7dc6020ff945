import { EntryRulesBody } from '../../../common/schemas/entry-rules.js';
import { defineRoute } from '../../platform/http/route.js';
import * as entryRules from './entry-rules.service.js';

export const entryRuleRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/entry-rules', permission: 'authenticated', tag: 'settings',
    summary: 'Required standard fields of customers, contacts and leads (the forms mark them)',
    handler: ({ actor }) => entryRules.getEntryRules(actor),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/entry-rules', permission: 'settings.customfield', tag: 'settings',
    summary: 'Choose the required standard fields (an entity left out keeps its rules)', body: EntryRulesBody,
    handler: ({ actor, body }) => entryRules.setEntryRules(actor, body),
  }),
];
