import { IdParams } from '../../../common/schemas/common.js';
import {
  ApprovalByRecordQuery,
  ApprovalCommentBody,
  ApprovalListQuery,
  ApprovalRejectBody,
  ApprovalTemplateInput,
  ApprovalTemplateQuery,
} from '../../../common/schemas/approvals.js';
import { defineRoute } from '../../platform/http/route.js';
import * as approvals from './approvals.service.js';

// Instances are open to every signed-in user: the engine decides who sees and decides what.
export const approvalRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/approval-types', permission: 'authenticated', tag: 'approvals',
    summary: 'Business types that can go through approval, with their names',
    handler: async () => ({ items: approvals.listTypes() }),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/approval-templates', permission: 'approval.manage', tag: 'approvals',
    summary: 'Approval templates (with their steps), by business type and priority', query: ApprovalTemplateQuery,
    handler: ({ actor, query }) => approvals.listTemplates(actor, query.businessType).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/approval-templates', permission: 'approval.manage', tag: 'approvals', status: 201,
    summary: 'Create an approval template with its ordered steps', body: ApprovalTemplateInput,
    handler: ({ actor, body }) => approvals.createTemplate(actor, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/approval-templates/:id', permission: 'approval.manage', tag: 'approvals',
    summary: 'Replace a template and its steps (running approvals keep the steps they started with)', params: IdParams, body: ApprovalTemplateInput,
    handler: ({ actor, params, body }) => approvals.updateTemplate(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/approval-templates/:id', permission: 'approval.manage', tag: 'approvals',
    summary: 'Delete a template no approval came from (otherwise disable it)', params: IdParams,
    handler: ({ actor, params }) => approvals.deleteTemplate(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/approvals', permission: 'authenticated', tag: 'approvals',
    summary: 'Approvals waiting for me, submitted by me, decided by me, or all (approval.view_all)', query: ApprovalListQuery,
    handler: ({ actor, query }) => approvals.listBox(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/approvals/counts', permission: 'authenticated', tag: 'approvals',
    summary: 'How many approvals wait for me, and how many of mine are pending',
    handler: ({ actor }) => approvals.counts(actor),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/approvals/by-record', permission: 'authenticated', tag: 'approvals',
    summary: 'The approval of one record (null before it is submitted)', query: ApprovalByRecordQuery,
    handler: ({ actor, query }) => approvals.byRecord(actor, query.type, query.recordId),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/approvals/:id', permission: 'authenticated', tag: 'approvals',
    summary: 'One approval: snapshot, steps with their approvers, history and what the caller may do', params: IdParams,
    handler: ({ actor, params }) => approvals.getApproval(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/approvals/:id/approve', permission: 'authenticated', tag: 'approvals',
    summary: 'Approve the current step (as one of its open approvers)', params: IdParams, body: ApprovalCommentBody,
    handler: ({ actor, params, body }) => approvals.approve(actor, params.id, body.comment),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/approvals/:id/reject', permission: 'authenticated', tag: 'approvals',
    summary: 'Reject: back to the submitter (ends the approval) or to an earlier step', params: IdParams, body: ApprovalRejectBody,
    handler: ({ actor, params, body }) => approvals.reject(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/approvals/:id/withdraw', permission: 'authenticated', tag: 'approvals',
    summary: 'Withdraw a pending approval (its submitter only)', params: IdParams, body: ApprovalCommentBody,
    handler: ({ actor, params, body }) => approvals.withdraw(actor, params.id, body.comment),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/approvals/:id/resubmit', permission: 'authenticated', tag: 'approvals',
    summary: 'Submit a rejected or withdrawn approval again: a new round from the first step', params: IdParams, body: ApprovalCommentBody,
    handler: ({ actor, params, body }) => approvals.resubmit(actor, params.id, body.comment),
  }),
];
