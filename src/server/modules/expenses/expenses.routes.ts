import { ApprovalCommentBody, ExpenseCreate, ExpenseListQuery, ExpenseUpdate } from '../../../common/schemas/approvals.js';
import { IdParams } from '../../../common/schemas/common.js';
import { defineRoute } from '../../platform/http/route.js';
import * as expenses from './expenses.service.js';

export const expenseRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/expenses', permission: 'approval.submit', tag: 'expenses',
    summary: 'My expense claims (view=all: everybody’s, with approval.view_all), last changed first', query: ExpenseListQuery,
    handler: ({ actor, query }) => expenses.listExpenses(actor, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/expenses', permission: 'approval.submit', tag: 'expenses', status: 201,
    summary: 'File an expense claim (a draft until submitted)', body: ExpenseCreate,
    handler: ({ actor, body }) => expenses.createExpense(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/expenses/:id', permission: 'authenticated', tag: 'expenses',
    summary: 'One expense claim (its owner, its approvers and approval.view_all see it)', params: IdParams,
    handler: ({ actor, params }) => expenses.getExpense(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/expenses/:id', permission: 'approval.submit', tag: 'expenses',
    summary: 'Change a draft, rejected or withdrawn claim (refused while under approval)', params: IdParams, body: ExpenseUpdate,
    handler: ({ actor, params, body }) => expenses.updateExpense(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/expenses/:id/submit', permission: 'approval.submit', tag: 'expenses',
    summary: 'Submit a claim to approval (again after a rejection or withdrawal)', params: IdParams, body: ApprovalCommentBody,
    handler: ({ actor, params, body }) => expenses.submitExpense(actor, params.id, body.comment),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/expenses/:id/history', permission: 'authenticated', tag: 'expenses',
    summary: 'Operation log of one claim, its approval steps included', params: IdParams,
    handler: ({ actor, params }) => expenses.expenseHistory(actor, params.id).then((items) => ({ items })),
  }),
];
