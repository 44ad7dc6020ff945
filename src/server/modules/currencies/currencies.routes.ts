import {
  ConvertQuery,
  CurrencyCreate,
  CurrencyParams,
  CurrencyUpdate,
  ExchangeRateCreate,
  ExchangeRateListQuery,
  ExchangeRateParams,
} from '../../../common/schemas/currencies.js';
import { defineRoute } from '../../platform/http/route.js';
import * as currencies from './currencies.service.js';

export const currencyRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/currencies', permission: 'authenticated', tag: 'currencies',
    summary: 'Currencies of the company; one is the company currency (本位币)',
    handler: ({ actor }) => currencies.listCurrencies(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/currencies', permission: 'settings.sales', tag: 'currencies', status: 201,
    summary: 'Add a currency', body: CurrencyCreate,
    handler: ({ actor, body }) => currencies.createCurrency(actor, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/currencies/:code', permission: 'settings.sales', tag: 'currencies',
    summary: 'Rename, enable or disable a currency, or make it the company currency (refused once rates or foreign-currency products exist)',
    params: CurrencyParams, body: CurrencyUpdate,
    handler: ({ actor, params, body }) => currencies.updateCurrency(actor, params.code, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/exchange-rates', permission: 'authenticated', tag: 'currencies',
    summary: 'Dated exchange rates: one unit of the currency in company currency, from valid_from on', query: ExchangeRateListQuery,
    handler: ({ actor, query }) => currencies.listRates(actor, query.currency).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/exchange-rates', permission: 'settings.sales', tag: 'currencies', status: 201,
    summary: 'Record a rate valid from a date (up to 8 decimals, more than zero)', body: ExchangeRateCreate,
    handler: ({ actor, body }) => currencies.createRate(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/exchange-rates/convert', permission: 'authenticated', tag: 'currencies',
    summary: 'An amount in the company currency at the rate valid on a date (default today)', query: ConvertQuery,
    handler: ({ actor, query }) => currencies.convertToCompany(actor, query),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/exchange-rates/:currency/:validFrom', permission: 'settings.sales', tag: 'currencies',
    summary: 'Delete a rate', params: ExchangeRateParams,
    handler: ({ actor, params }) => currencies.deleteRate(actor, params.currency, params.validFrom),
  }),
];
