import { z } from 'zod';
import { IdParams } from '../../../common/schemas/common.js';
import { CUSTOM_FIELD_ENTITIES, CustomFieldCreate, CustomFieldUpdate } from '../../../common/schemas/custom-fields.js';
import { defineRoute } from '../../platform/http/route.js';
import * as customFields from './custom-fields.service.js';

const ListQuery = z.object({ entity: z.enum(CUSTOM_FIELD_ENTITIES).optional() }).strict();

export const customFieldRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/custom-fields', permission: 'authenticated', tag: 'settings',
    summary: 'Custom field definitions (forms, lists and filters show them)', query: ListQuery,
    handler: ({ actor, query }) => customFields.listFields(actor, query.entity).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/custom-fields', permission: 'settings.customfield', tag: 'settings', status: 201,
    summary: 'Add a custom field to customers, contacts or leads', body: CustomFieldCreate,
    handler: ({ actor, body }) => customFields.createField(actor, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/custom-fields/:id', permission: 'settings.customfield', tag: 'settings',
    summary: 'Rename, reorder, change choices, require or disable a custom field', params: IdParams, body: CustomFieldUpdate,
    handler: ({ actor, params, body }) => customFields.updateField(actor, params.id, body),
  }),
];
