import { z } from 'zod';
import { Id, IdParams } from '../../../common/schemas/common.js';
import { RecordAccessBody } from '../../../common/schemas/customers.js';
import {
  BoardQuery,
  ForecastQuery,
  FunnelQuery,
  LoseBody,
  LostReasonsBody,
  OpportunityBulk,
  OpportunityCreate,
  OpportunityExportQuery,
  OpportunityListQuery,
  OpportunityTransfer,
  OpportunityUpdate,
  PipelineCreate,
  PipelineUpdate,
  ReopenBody,
  StageChangeBody,
  StageDeleteQuery,
  StagesBody,
  WinBody,
} from '../../../common/schemas/opportunities.js';
import { exportHandler } from '../../platform/exchange/list-export.js';
import { AppError } from '../../platform/http/errors.js';
import { defineRoute } from '../../platform/http/route.js';
import { opportunityExport } from './opportunity-export.service.js';
import * as opportunities from './opportunities.service.js';
import * as pipelines from './pipelines.service.js';

const MemberParams = z.object({ id: Id, userId: Id }).strict();
const MemberQuery = z.object({ kind: z.enum(['team', 'share']).default('team') }).strict();
const StageParams = z.object({ id: Id, stageId: Id }).strict();
const TAG = 'opportunities';

export const opportunityRoutes = [
  // ---- pipelines (销售流程) and lost reasons ----
  defineRoute({
    method: 'GET', url: '/api/v1/pipelines', permission: 'authenticated', tag: TAG,
    summary: 'Pipelines with their stages (open stages in order, then won and lost) and how many opportunities each stage holds',
    handler: ({ actor }) => pipelines.listPipelines(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/pipelines', permission: 'settings.sales', tag: TAG, status: 201,
    summary: 'Create a pipeline with its open stages (won and lost are added)', body: PipelineCreate,
    handler: ({ actor, body }) => pipelines.createPipeline(actor, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/pipelines/:id', permission: 'settings.sales', tag: TAG,
    summary: 'Rename, reorder, enable or disable a pipeline, or make it the default', params: IdParams, body: PipelineUpdate,
    handler: ({ actor, params, body }) => pipelines.updatePipeline(actor, params.id, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/pipelines/:id/stages', permission: 'settings.sales', tag: TAG,
    summary: 'Save the open stages in order (rename, win rate, add, disable; a stage left out is deleted unless it holds opportunities)',
    params: IdParams, body: StagesBody,
    handler: ({ actor, params, body }) => pipelines.saveStages(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/pipelines/:id/stages/:stageId', permission: 'settings.sales', tag: TAG,
    summary: 'Delete an open stage; moveTo first moves its opportunities to another open stage', params: StageParams, query: StageDeleteQuery,
    handler: ({ actor, params, query }) => pipelines.deleteStage(actor, params.id, params.stageId, query.moveTo),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunity-lost-reasons', permission: 'authenticated', tag: TAG,
    summary: 'Lost reasons (输单原因), disabled ones included',
    handler: ({ actor }) => pipelines.listLostReasons(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/opportunity-lost-reasons', permission: 'settings.sales', tag: TAG,
    summary: 'Save the lost reasons in order (one left out is deleted unless in use)', body: LostReasonsBody,
    handler: ({ actor, body }) => pipelines.saveLostReasons(actor, body).then((items) => ({ items })),
  }),

  // ---- opportunities ----
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities', permission: 'opportunity.view', tag: TAG,
    summary: 'Opportunities in the caller’s data scope (keyset pages)', query: OpportunityListQuery,
    handler: ({ actor, query }) => opportunities.listOpportunities(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/count', permission: 'opportunity.view', tag: TAG,
    summary: 'How many opportunities the same filters match', query: OpportunityListQuery,
    handler: ({ actor, query }) => opportunities.countOpportunities(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/board', permission: 'opportunity.view', tag: TAG,
    summary: 'Kanban board of a pipeline: per stage count, amount, weighted amount and the first cards (more: list with stageId and the stage’s cursor)',
    query: BoardQuery,
    handler: ({ actor, query }) => opportunities.board(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/forecast', permission: 'opportunity.view', tag: TAG,
    summary: 'Weighted forecast per month or quarter and owner or department, with won amounts', query: ForecastQuery,
    handler: ({ actor, query }) => opportunities.forecast(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/funnel', permission: 'opportunity.view', tag: TAG,
    summary: 'Sales funnel of a pipeline: count and amount per stage, opportunities created in the range', query: FunnelQuery,
    handler: ({ actor, query }) => opportunities.funnel(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/export', permission: 'opportunity.export', tag: TAG,
    summary: 'The list (same filters and scope) as an Excel or CSV download: format=xlsx|csv, columns=name,code,… (the list’s keys), ids=1,2,3 for a selection',
    query: OpportunityExportQuery,
    handler: exportHandler(opportunityExport),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities', permission: 'opportunity.create', tag: TAG, status: 201,
    summary: 'Create an opportunity (another owner needs opportunity.transfer)', body: OpportunityCreate,
    handler: ({ actor, body }) => opportunities.createOpportunity(actor, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/bulk', permission: 'opportunity.edit', tag: TAG,
    summary: 'Transfer or delete a selection of opportunities (all or nothing; each action also needs its own permission)', body: OpportunityBulk,
    handler: ({ actor, body }) => {
      const needs = { transfer: 'opportunity.transfer', delete: 'opportunity.delete' } as const;
      if (!actor.can(needs[body.action])) throw new AppError('FORBIDDEN', { permission: needs[body.action] });
      return opportunities.bulk(actor, body);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/:id', permission: 'opportunity.view', tag: TAG,
    summary: 'One opportunity with its contacts and product lines, and what the caller may do with it', params: IdParams,
    handler: ({ actor, params }) => opportunities.getOpportunity(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/opportunities/:id', permission: 'opportunity.edit', tag: TAG,
    summary: 'Change an opportunity (lines given replace the lines)', params: IdParams, body: OpportunityUpdate,
    handler: ({ actor, params, body }) => opportunities.updateOpportunity(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/opportunities/:id', permission: 'opportunity.delete', tag: TAG,
    summary: 'Delete an opportunity (soft delete)', params: IdParams,
    handler: ({ actor, params }) => opportunities.deleteOpportunity(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/:id/stage', permission: 'opportunity.edit', tag: TAG,
    summary: 'Move to a stage of its pipeline (advance, board drag and drop; the lost stage needs a reason)', params: IdParams, body: StageChangeBody,
    handler: ({ actor, params, body }) => opportunities.changeStage(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/:id/win', permission: 'opportunity.edit', tag: TAG,
    summary: 'Mark as won', params: IdParams, body: WinBody,
    handler: ({ actor, params, body }) => opportunities.win(actor, params.id, body.note),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/:id/lose', permission: 'opportunity.edit', tag: TAG,
    summary: 'Mark as lost with a reason', params: IdParams, body: LoseBody,
    handler: ({ actor, params, body }) => opportunities.lose(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/:id/reopen', permission: 'opportunity.edit', tag: TAG,
    summary: 'Reopen a won or lost opportunity (to the stage given, else the one it was closed from)', params: IdParams, body: ReopenBody,
    handler: ({ actor, params, body }) => opportunities.reopen(actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/:id/stage-history', permission: 'opportunity.view', tag: TAG,
    summary: 'Stage changes of an opportunity, latest first', params: IdParams,
    handler: ({ actor, params }) => opportunities.stageHistory(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/:id/history', permission: 'opportunity.view', tag: TAG,
    summary: 'Operation log of an opportunity', params: IdParams,
    handler: ({ actor, params }) => opportunities.history(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/:id/transfer', permission: 'opportunity.transfer', tag: TAG,
    summary: 'Hand an opportunity to another owner (optionally keeping the former owner on the team)', params: IdParams, body: OpportunityTransfer,
    handler: ({ actor, params, body }) => opportunities.transfer(actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/opportunities/:id/members', permission: 'opportunity.view', tag: TAG,
    summary: 'Team members and shares of an opportunity', params: IdParams,
    handler: ({ actor, params }) => opportunities.listMembers(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/opportunities/:id/members', permission: 'opportunity.share', tag: TAG,
    summary: 'Add a team member or share with a user (read or read-write)', params: IdParams, body: RecordAccessBody,
    handler: ({ actor, params, body }) => opportunities.grantMember(actor, params.id, body).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/opportunities/:id/members/:userId', permission: 'opportunity.share', tag: TAG,
    summary: 'Remove a team member or a share', params: MemberParams, query: MemberQuery,
    handler: ({ actor, params, query }) => opportunities.revokeMember(actor, params.id, params.userId, query.kind),
  }),
];
