import { IdParams } from '../../../common/schemas/common.js';
import { RelationCreate, RelationParams } from '../../../common/schemas/customer-relations.js';
import { defineRoute } from '../../platform/http/route.js';
import * as relations from './customer-relations.service.js';

export const customerRelationRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id/relations', permission: 'customer.view', tag: 'customers',
    summary: 'Relationship chain (客户关系链): the group tree around the customer and its peer links; customers the caller cannot see are placeholders',
    params: IdParams,
    handler: ({ actor, params }) => relations.listRelations(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/:id/relations', permission: 'customer.edit', tag: 'customers', status: 201,
    summary: 'Link another customer in a role (parent company, subsidiary, branch, affiliate, upstream, downstream, partner)',
    params: IdParams, body: RelationCreate,
    handler: ({ actor, params, body }) => relations.addRelation(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/customers/:id/relations/:relationId', permission: 'customer.edit', tag: 'customers',
    summary: 'Remove a link of the customer', params: RelationParams,
    handler: ({ actor, params }) => relations.removeRelation(actor, params.id, params.relationId),
  }),
];
