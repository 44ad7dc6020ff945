import { z } from 'zod';
import { IdParams, PageQuery } from '../../../common/schemas/common.js';
import {
  ContractCreate,
  ContractExecutionBody,
  ContractListQuery,
  ContractTransferBody,
  ContractUpdate,
  PlansCreate,
  ReceivableCreate,
  ReceivableListQuery,
  ReceivableUpdate,
  SignatureInput,
  TemplateInput,
} from '../../../common/schemas/contracts.js';
import type { JobDef } from '../../platform/jobs/jobs.js';
import { defineRoute } from '../../platform/http/route.js';
import * as contracts from './contracts.service.js';
import * as receivables from './receivables.service.js';

const CommentBody = z.object({ comment: z.string().trim().max(500).nullable().default(null) }).strict();

export const contractRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/contracts', permission: 'contract.view', tag: 'contracts',
    summary: 'Contracts in the caller’s data scope (keyset pages), with paid and outstanding amounts', query: ContractListQuery,
    handler: ({ actor, query }) => contracts.listContracts(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contracts/count', permission: 'contract.view', tag: 'contracts',
    summary: 'How many contracts the same filters match', query: ContractListQuery,
    handler: ({ actor, query }) => contracts.countContracts(actor, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contracts', permission: 'contract.create', tag: 'contracts', status: 201,
    summary: 'Draft a contract: lines from on-shelf products (amount computed with discounts and tax) or a plain amount', body: ContractCreate,
    handler: ({ actor, body }) => contracts.createContract(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contracts/:id', permission: 'contract.view', tag: 'contracts',
    summary: 'A contract with its lines, totals, text and signatures', params: IdParams,
    handler: ({ actor, params }) => contracts.getContract(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/contracts/:id', permission: 'contract.edit', tag: 'contracts',
    summary: 'Change a draft (or rejected / withdrawn) contract; refused while under approval', params: IdParams, body: ContractUpdate,
    handler: ({ actor, params, body }) => contracts.updateContract(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/contracts/:id', permission: 'contract.delete', tag: 'contracts',
    summary: 'Delete a contract that never took effect and has no receivables', params: IdParams,
    handler: ({ actor, params }) => contracts.deleteContract(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contracts/:id/submit', permission: 'contract.edit', tag: 'contracts',
    summary: 'Submit for approval (no approval flow for contracts: it takes effect at once)', params: IdParams, body: CommentBody,
    handler: ({ actor, params, body }) => contracts.submitContract(actor, params.id, body.comment),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/contracts/:id/execution', permission: 'contract.edit', tag: 'contracts',
    summary: 'Set the execution status of a contract in effect', params: IdParams, body: ContractExecutionBody,
    handler: ({ actor, params, body }) => contracts.setExecution(actor, params.id, body.execution),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contracts/:id/transfer', permission: 'contract.transfer', tag: 'contracts',
    summary: 'Give a contract to another owner', params: IdParams, body: ContractTransferBody,
    handler: ({ actor, params, body }) => contracts.transferContract(actor, params.id, body.ownerId),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contracts/:id/signatures', permission: 'contract.edit', tag: 'contracts', status: 201,
    summary: 'Record an e-signature: signer, time, platform and the SHA-256 of the signed file (an attachment of the contract)',
    params: IdParams, body: SignatureInput,
    handler: ({ actor, params, body }) => contracts.addSignature(actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contracts/:id/history', permission: 'contract.view', tag: 'contracts',
    summary: 'Operation log of one contract (approvals, plans and signatures included)', params: IdParams,
    handler: ({ actor, params }) => contracts.history(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contract-templates', permission: 'contract.view', tag: 'contracts',
    summary: 'Contract templates (text with {{placeholders}})',
    handler: ({ actor }) => contracts.listTemplates(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contract-templates', permission: 'settings.sales', tag: 'contracts', status: 201,
    summary: 'Add a contract template', body: TemplateInput,
    handler: ({ actor, body }) => contracts.saveTemplate(actor, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/contract-templates/:id', permission: 'settings.sales', tag: 'contracts',
    summary: 'Change a contract template (contracts keep the text they were made with)', params: IdParams, body: TemplateInput,
    handler: ({ actor, params, body }) => contracts.saveTemplate(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/contract-templates/:id', permission: 'settings.sales', tag: 'contracts',
    summary: 'Delete a template no contract uses', params: IdParams,
    handler: ({ actor, params }) => contracts.deleteTemplate(actor, params.id),
  }),
  // payment plans
  defineRoute({
    method: 'GET', url: '/api/v1/contracts/:id/plans', permission: 'receivable.view', tag: 'receivables',
    summary: 'The payment plan of a contract: instalments with what was received and their state', params: IdParams,
    handler: ({ actor, params }) => receivables.listPlans(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contracts/:id/plans', permission: 'receivable.create', tag: 'receivables', status: 201,
    summary: 'Add instalments, or split an amount into monthly instalments; in all at most the contract amount', params: IdParams, body: PlansCreate,
    handler: ({ actor, params, body }) => receivables.createPlans(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/payment-plans/:id', permission: 'receivable.create', tag: 'receivables',
    summary: 'Delete an instalment nothing was received against', params: IdParams,
    handler: ({ actor, params }) => receivables.deletePlan(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/payment-plans/overdue', permission: 'receivable.view', tag: 'receivables',
    summary: 'Overdue instalments of visible contracts, oldest first (催收)', query: PageQuery.strict(),
    handler: ({ actor, query }) => receivables.overdue(actor, query),
  }),
  // receivables
  defineRoute({
    method: 'GET', url: '/api/v1/receivables', permission: 'receivable.view', tag: 'receivables',
    summary: 'Receivables of visible contracts (keyset pages)', query: ReceivableListQuery,
    handler: ({ actor, query }) => receivables.listReceivables(actor, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/receivables', permission: 'receivable.create', tag: 'receivables', status: 201,
    summary: 'Record money received against a contract in effect (and optionally an instalment), with invoice details', body: ReceivableCreate,
    handler: ({ actor, body }) => receivables.createReceivable(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/receivables/:id', permission: 'receivable.view', tag: 'receivables',
    summary: 'One receivable', params: IdParams,
    handler: ({ actor, params }) => receivables.getReceivable(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/receivables/:id', permission: 'receivable.create', tag: 'receivables',
    summary: 'Change a receivable not yet submitted (or rejected / withdrawn)', params: IdParams, body: ReceivableUpdate,
    handler: ({ actor, params, body }) => receivables.updateReceivable(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/receivables/:id', permission: 'receivable.create', tag: 'receivables',
    summary: 'Delete a receivable not yet submitted (or rejected / withdrawn)', params: IdParams,
    handler: ({ actor, params }) => receivables.deleteReceivable(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/receivables/:id/submit', permission: 'receivable.create', tag: 'receivables',
    summary: 'Submit for approval (no approval flow for receivables: approved at once)', params: IdParams, body: CommentBody,
    handler: ({ actor, params, body }) => receivables.submitReceivable(actor, params.id, body.comment),
  }),
];

export const CONTRACT_JOBS: JobDef[] = [{ name: 'contract-reminders', cron: '0 8 * * *', run: (db) => receivables.runReminders(db) }];
