import { DictionaryItemCreate, DictionaryItemParams, DictionaryItemUpdate, DictionaryKindParams } from '../../../common/schemas/dictionaries.js';
import { defineRoute } from '../../platform/http/route.js';
import * as dictionaries from './dictionaries.service.js';

export const dictionaryRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/dictionaries', permission: 'authenticated', tag: 'settings',
    summary: 'Every dictionary (industries, sources, levels, statuses, follow-up types, contact roles)',
    handler: ({ actor }) => dictionaries.listDictionaries(actor),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/dictionaries/:kind', permission: 'settings.dictionary', tag: 'settings', status: 201,
    summary: 'Add an item to a dictionary', params: DictionaryKindParams, body: DictionaryItemCreate,
    handler: ({ actor, params, body }) => dictionaries.createItem(actor, params.kind, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/dictionaries/:kind/:code', permission: 'settings.dictionary', tag: 'settings',
    summary: 'Rename, reorder, disable an item, or set the statuses it may move to', params: DictionaryItemParams, body: DictionaryItemUpdate,
    handler: ({ actor, params, body }) => dictionaries.updateItem(actor, params.kind, params.code, body),
  }),
];
