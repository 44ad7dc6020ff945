import { EmptyBody, IdParams } from '../../../common/schemas/common.js';
import { QuoteAnswerBody, QuoteCommentBody, QuoteContractBody, QuoteCreate, QuoteListQuery, QuoteUpdate } from '../../../common/schemas/quotes.js';
import { defineRoute } from '../../platform/http/route.js';
import { findPdfFont, renderQuotePdf } from './quotes.pdf.js';
import * as quotes from './quotes.service.js';

export const quoteRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/quotes', permission: 'quote.view', tag: 'quotes',
    summary: 'Quotes in the caller’s data scope (latest versions unless versions=all; keyset pages)', query: QuoteListQuery,
    handler: ({ actor, query }) => quotes.listQuotes(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/quotes/count', permission: 'quote.view', tag: 'quotes',
    summary: 'How many quotes the same filters match', query: QuoteListQuery,
    handler: ({ actor, query }) => quotes.countQuotes(actor, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/quotes', permission: 'quote.create', tag: 'quotes', status: 201,
    summary: 'Draft a quote: lines from on-shelf products, discounts and tax (totals and the effective discount computed here)', body: QuoteCreate,
    handler: ({ actor, body }) => quotes.createQuote(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/quotes/:id', permission: 'quote.view', tag: 'quotes',
    summary: 'A quote with its lines, totals, versions and what the caller may do', params: IdParams,
    handler: ({ actor, params }) => quotes.getQuote(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/quotes/:id', permission: 'quote.edit', tag: 'quotes',
    summary: 'Change a draft (the latest version, not under approval)', params: IdParams, body: QuoteUpdate,
    handler: ({ actor, params, body }) => quotes.updateQuote(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/quotes/:id', permission: 'quote.delete', tag: 'quotes',
    summary: 'Delete a draft (a later version: the one before it is the latest again)', params: IdParams,
    handler: ({ actor, params }) => quotes.deleteQuote(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/quotes/:id/submit', permission: 'quote.edit', tag: 'quotes',
    summary: 'Submit a draft for approval (needed before sending when the discount is beyond the sender’s limit)', params: IdParams, body: QuoteCommentBody,
    handler: ({ actor, params, body }) => quotes.submitQuote(actor, params.id, body.comment),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/quotes/:id/send', permission: 'quote.edit', tag: 'quotes',
    summary: 'Mark as sent to the customer: an approved quote, or a draft within the sender’s discount limit', params: IdParams, body: EmptyBody,
    handler: ({ actor, params }) => quotes.sendQuote(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/quotes/:id/answer', permission: 'quote.edit', tag: 'quotes',
    summary: 'Record the customer’s answer to the latest sent version: accepted or rejected', params: IdParams, body: QuoteAnswerBody,
    handler: ({ actor, params, body }) => quotes.answerQuote(actor, params.id, body.answer, body.note),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/quotes/:id/versions', permission: 'quote.edit', tag: 'quotes', status: 201,
    summary: 'A new draft version (same code, version + 1) of an approved, sent or rejected quote; the old one becomes read-only', params: IdParams, body: EmptyBody,
    handler: ({ actor, params }) => quotes.newVersion(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/quotes/:id/contract', permission: 'quote.edit', tag: 'quotes', status: 201,
    summary: 'Convert an accepted quote into a draft contract (needs contract.create too), once', params: IdParams, body: QuoteContractBody,
    handler: ({ actor, params, body }) => quotes.convertToContract(actor, params.id, body.name),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/quotes/:id/history', permission: 'quote.view', tag: 'quotes',
    summary: 'Operation log of one version (approvals included)', params: IdParams,
    handler: ({ actor, params }) => quotes.history(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/quotes/:id/print', permission: 'quote.view', tag: 'quotes',
    summary: 'What the printable page shows: the company, the quote and the amount in Chinese words', params: IdParams,
    handler: ({ actor, params }) => quotes.printQuote(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/quotes/:id/pdf', permission: 'quote.view', tag: 'quotes',
    summary: 'The quote as a PDF (A4, CJK font from CRM_PDF_FONT or the system; PDF_FONT_MISSING without one)', params: IdParams,
    handler: async ({ actor, params, locale, reply }) => {
      const font = findPdfFont();
      const view = await quotes.printQuote(actor, params.id);
      const pdf = await renderQuotePdf(view, font, locale);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${`${view.quote.code}-v${view.quote.version}`.replace(/[^\w.-]/g, '_')}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  }),
];
