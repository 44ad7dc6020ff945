import { z } from 'zod';
import { Id } from '../../../common/schemas/common.js';
import { ListColumns, VIEW_ENTITIES, ViewBody } from '../../../common/schemas/views.js';
import { defineRoute } from '../../platform/http/route.js';
import * as views from './views.service.js';

const EntityQuery = z.object({ entity: z.enum(VIEW_ENTITIES) }).strict();
const ViewParams = z.object({ id: Id }).strict();

export const viewRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/views', permission: 'authenticated', tag: 'views',
    summary: 'My saved filter views (场景) of a list, and the shared ones', query: EntityQuery,
    handler: ({ actor, query }) => views.listViews(actor, query.entity).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/views', permission: 'authenticated', tag: 'views', status: 201,
    summary: 'Save a filter view (shared with everyone needs view.share)', query: EntityQuery, body: ViewBody,
    handler: ({ actor, query, body }) => views.createView(actor, query.entity, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/views/:id', permission: 'authenticated', tag: 'views',
    summary: 'Change a saved view', params: ViewParams, body: ViewBody,
    handler: ({ actor, params, body }) => views.updateView(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/views/:id', permission: 'authenticated', tag: 'views',
    summary: 'Delete a saved view', params: ViewParams,
    handler: ({ actor, params }) => views.deleteView(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/list-columns', permission: 'authenticated', tag: 'views',
    summary: 'My column choice and order for a list (null: the default)', query: EntityQuery,
    handler: ({ actor, query }) => views.getColumns(actor, query.entity),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/list-columns', permission: 'authenticated', tag: 'views',
    summary: 'Save my column choice and order for a list', query: EntityQuery, body: z.object({ columns: ListColumns }).strict(),
    handler: ({ actor, query, body }) => views.setColumns(actor, query.entity, body.columns),
  }),
];
