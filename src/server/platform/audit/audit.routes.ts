import { LoginLogQuery, OperationLogQuery } from '../../../common/schemas/audit.js';
import { defineRoute } from '../http/route.js';
import * as audit from './audit.service.js';

export const auditRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/operations',
    permission: 'log.operation',
    tag: 'audit',
    summary: 'Operation log with filters (newest first)',
    query: OperationLogQuery,
    handler: ({ actor, query }) => audit.listOperations(actor, query),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/logins',
    permission: 'log.login',
    tag: 'audit',
    summary: 'Login log with filters (newest first)',
    query: LoginLogQuery,
    handler: ({ actor, query }) => audit.listLogins(actor, query),
  }),
];
