import { z } from 'zod';
import { Id, IdParams } from '../../../common/schemas/common.js';
import { CustomerBulkAction, CustomerCreate, CustomerExportQuery, CustomerListQuery, CustomerTransfer, CustomerUpdate, RecordAccessBody } from '../../../common/schemas/customers.js';
import { AppError } from '../../platform/http/errors.js';
import { exportHandler } from '../../platform/exchange/list-export.js';
import { defineRoute } from '../../platform/http/route.js';
import { customerExport } from './customer-export.service.js';
import * as customers from './customers.service.js';

const MemberParams = z.object({ id: Id, userId: Id }).strict();
const MergeBody = z.object({ otherId: Id }).strict();
const LockBody = z.object({ locked: z.boolean() }).strict();
const MemberQuery = z.object({ kind: z.enum(['team', 'share']).default('team') }).strict();

export const customerRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/customers', permission: 'customer.view', tag: 'customers',
    summary: 'List customers in the caller’s data scope (keyset pages)', query: CustomerListQuery,
    handler: ({ actor, query }) => customers.listCustomers(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/count', permission: 'customer.view', tag: 'customers',
    summary: 'How many customers the same filters match', query: CustomerListQuery,
    handler: ({ actor, query }) => customers.countCustomers(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/export', permission: 'customer.export', tag: 'customers',
    summary: 'The list (same filters and scope) as an Excel or CSV download: format=xlsx|csv, columns=name,code,… (the list’s keys and custom field keys), ids=1,2,3 for a selection',
    query: CustomerExportQuery,
    handler: exportHandler(customerExport),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers', permission: 'customer.create', tag: 'customers', status: 201,
    summary: 'Create a customer (another owner needs customer.transfer)', body: CustomerCreate,
    handler: ({ actor, body }) => customers.createCustomer(actor, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/bulk', permission: 'customer.edit', tag: 'customers',
    summary: 'Transfer, delete, lock, unlock or tag a selection of customers (all or nothing; each action also needs its own permission)',
    body: CustomerBulkAction,
    handler: ({ actor, body }) => {
      const needs = { transfer: 'customer.transfer', delete: 'customer.delete', lock: 'customer.lock', unlock: 'customer.lock', tag: 'customer.edit' } as const;
      if (!actor.can(needs[body.action])) throw new AppError('FORBIDDEN', { permission: needs[body.action] });
      return customers.bulkAction(actor, body);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id', permission: 'customer.view', tag: 'customers',
    summary: 'One customer, with what the caller may do with it', params: IdParams,
    handler: ({ actor, params }) => customers.getCustomer(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/customers/:id', permission: 'customer.edit', tag: 'customers',
    summary: 'Change a customer', params: IdParams, body: CustomerUpdate,
    handler: ({ actor, params, body }) => customers.updateCustomer(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/customers/:id', permission: 'customer.delete', tag: 'customers',
    summary: 'Move a customer to the recycle bin', params: IdParams,
    handler: ({ actor, params }) => customers.deleteCustomer(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/:id/transfer', permission: 'customer.transfer', tag: 'customers',
    summary: 'Hand a customer to another owner', params: IdParams, body: CustomerTransfer,
    handler: ({ actor, params, body }) => customers.transferCustomer(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/:id/merge', permission: 'customer.merge', tag: 'customers',
    summary: 'Merge another customer into this one (the other goes to the recycle bin)', params: IdParams, body: MergeBody,
    handler: ({ actor, params, body }) => customers.mergeCustomers(actor, params.id, body.otherId),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/customers/:id/lock', permission: 'customer.lock', tag: 'customers',
    summary: 'Lock or unlock a customer (locked customers are exempt from pool rules)', params: IdParams, body: LockBody,
    handler: ({ actor, params, body }) => customers.setCustomerLocked(actor, params.id, body.locked),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id/members', permission: 'customer.view', tag: 'customers',
    summary: 'Team members and shares of a customer', params: IdParams,
    handler: ({ actor, params }) => customers.listMembers(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/:id/members', permission: 'customer.share', tag: 'customers',
    summary: 'Add a team member or share with a user (read or read-write)', params: IdParams, body: RecordAccessBody,
    handler: ({ actor, params, body }) => customers.grantMember(actor, params.id, body).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/customers/:id/members/:userId', permission: 'customer.share', tag: 'customers',
    summary: 'Remove a team member or a share', params: MemberParams, query: MemberQuery,
    handler: ({ actor, params, query }) => customers.revokeMember(actor, params.id, params.userId, query.kind),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id/history', permission: 'customer.view', tag: 'customers',
    summary: 'Operation log of one customer', params: IdParams,
    handler: ({ actor, params }) => customers.customerHistory(actor, params.id).then((items) => ({ items })),
  }),
];
