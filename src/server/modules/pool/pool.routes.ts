import { z } from 'zod';
import { Id, IdParams } from '../../../common/schemas/common.js';
import {
  ApplicationQuery,
  ApplyBody,
  AssignBody,
  DecisionBody,
  PoolCustomerParams,
  PoolCustomerQuery,
  PoolInput,
  ReturnBody,
} from '../../../common/schemas/pool.js';
import { defineRoute } from '../../platform/http/route.js';
import * as pool from './pool.service.js';

const ClaimBody = z.object({ customerIds: z.array(Id).min(1).max(100) }).strict();
const ProtectBody = z.object({ protect: z.boolean() }).strict();

export const poolRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/pools', permission: 'pool.view', tag: 'pool',
    summary: 'The pools (公海) I belong to, with their rules and limits', handler: ({ actor }) => pool.listPools(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/pools', permission: 'pool.manage', tag: 'pool', status: 201,
    summary: 'Create a pool with its members, administrators, limits and recycling rules', body: PoolInput,
    handler: ({ actor, body }) => pool.savePool(actor, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/pools/:id', permission: 'pool.manage', tag: 'pool',
    summary: 'Change a pool (members and rules are replaced by the lists given)', params: IdParams, body: PoolInput,
    handler: ({ actor, params, body }) => pool.savePool(actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/pools/:id/customers', permission: 'pool.view', tag: 'pool',
    summary: 'Customers waiting in a pool, newest first', params: IdParams, query: PoolCustomerQuery,
    handler: ({ actor, params, query }) => pool.listPoolCustomers(actor, params.id, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/pools/:id/claim', permission: 'pool.claim', tag: 'pool',
    summary: 'Claim (领取) pool customers, within the pool’s limits', params: IdParams, body: ClaimBody,
    handler: ({ actor, params, body }) => pool.claim(actor, params.id, body.customerIds),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/pools/:id/assign', permission: 'pool.view', tag: 'pool',
    summary: 'Assign (分配) pool customers to a user; pool administrators only', params: IdParams, body: AssignBody,
    handler: ({ actor, params, body }) => pool.assign(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/pools/:id/customers/:customerId/apply', permission: 'pool.claim', tag: 'pool', status: 201,
    summary: 'Apply (申请) for a pool customer; a pool administrator decides', params: PoolCustomerParams, body: ApplyBody,
    handler: ({ actor, params, body }) => pool.apply(actor, params.id, params.customerId, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/pool-applications', permission: 'pool.view', tag: 'pool',
    summary: 'Applications I decide as a pool administrator, and my own', query: ApplicationQuery,
    handler: ({ actor, query }) => pool.listApplications(actor, query.status).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/pool-applications/:id/decision', permission: 'pool.view', tag: 'pool',
    summary: 'Approve (the applicant gets the customer) or reject an application', params: IdParams, body: DecisionBody,
    handler: ({ actor, params, body }) => pool.decide(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/:id/return', permission: 'customer.view', tag: 'pool',
    summary: 'Put a customer back into the pool (放入公海) with a reason', params: IdParams, body: ReturnBody,
    handler: ({ actor, params, body }) => pool.returnToPool(actor, params.id, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/customers/:id/protection', permission: 'customer.protect', tag: 'pool',
    summary: 'Protect my customer from the pool rules for the pool’s period (客户保护), or end it', params: IdParams, body: ProtectBody,
    handler: ({ actor, params, body }) => pool.protect(actor, params.id, body.protect),
  }),
];
