import { z } from 'zod';
import { Id, PageQuery } from '../../../common/schemas/common.js';
import { BIN_ENTITIES } from '../../../common/schemas/recycle-bin.js';
import type { FileStorage } from '../../platform/files/storage.js';
import { defineRoute } from '../../platform/http/route.js';
import * as bin from './recycle-bin.service.js';

const Entity = z.enum(BIN_ENTITIES);
const BinQuery = PageQuery.extend({ entity: Entity }).strict();
const BinParams = z.object({ entity: Entity, id: Id }).strict();

export const recycleBinRoutes = (files: FileStorage) => [
  defineRoute({
    method: 'GET', url: '/api/v1/recycle-bin', permission: 'recycle.manage', tag: 'settings',
    summary: 'Deleted customers or contacts, most recently deleted first', query: BinQuery,
    handler: ({ actor, query }) => bin.listBin(actor, query.entity, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/recycle-bin/:entity/:id/restore', permission: 'recycle.manage', tag: 'settings',
    summary: 'Bring a deleted record back', params: BinParams, body: z.object({}).strict(),
    handler: ({ actor, params }) => bin.restore(actor, params.entity, params.id),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/recycle-bin/:entity/:id', permission: 'recycle.manage', tag: 'settings',
    summary: 'Erase a deleted record and what belongs to it, for good', params: BinParams,
    handler: ({ actor, params }) => bin.purge(actor, files, params.entity, params.id),
  }),
];
