import { IdParams } from '../../../common/schemas/common.js';
import { ContactCreate, ContactExportQuery, ContactListQuery, ContactMove, ContactUpdate } from '../../../common/schemas/contacts.js';
import { exportHandler } from '../../platform/exchange/list-export.js';
import { defineRoute } from '../../platform/http/route.js';
import { contactExport } from './contact-export.service.js';
import * as contacts from './contacts.service.js';

export const contactRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/contacts', permission: 'contact.view', tag: 'contacts',
    summary: 'Contacts of the customers in the caller’s data scope (keyset pages; one customer’s contacts with customerId)', query: ContactListQuery,
    handler: ({ actor, query }) => contacts.listContacts(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contacts/count', permission: 'contact.view', tag: 'contacts',
    summary: 'How many contacts the same filters match', query: ContactListQuery,
    handler: ({ actor, query }) => contacts.countContacts(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contacts/export', permission: 'contact.export', tag: 'contacts',
    summary: 'The list (same filters and scope) as an Excel or CSV download: format=xlsx|csv, columns=name,customer,… (the list’s keys and custom field keys), ids=1,2,3 for a selection',
    query: ContactExportQuery,
    handler: exportHandler(contactExport),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contacts', permission: 'contact.create', tag: 'contacts', status: 201,
    summary: 'Add a contact to a customer the caller may edit', body: ContactCreate,
    handler: ({ actor, body }) => contacts.createContact(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contacts/:id', permission: 'contact.view', tag: 'contacts',
    summary: 'One contact, with the customers it has worked for', params: IdParams,
    handler: ({ actor, params }) => contacts.getContact(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/contacts/:id', permission: 'contact.edit', tag: 'contacts',
    summary: 'Change a contact', params: IdParams, body: ContactUpdate,
    handler: ({ actor, params, body }) => contacts.updateContact(actor, params.id, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/contacts/:id/move', permission: 'contact.edit', tag: 'contacts',
    summary: 'Link the contact to another customer (job change), keeping its history', params: IdParams, body: ContactMove,
    handler: ({ actor, params, body }) => contacts.moveContact(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/contacts/:id', permission: 'contact.delete', tag: 'contacts',
    summary: 'Move a contact to the recycle bin', params: IdParams,
    handler: ({ actor, params }) => contacts.deleteContact(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/contacts/:id/history', permission: 'contact.view', tag: 'contacts',
    summary: 'Operation log of one contact', params: IdParams,
    handler: ({ actor, params }) => contacts.contactHistory(actor, params.id).then((items) => ({ items })),
  }),
];
