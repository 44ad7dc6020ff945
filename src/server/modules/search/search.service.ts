import type { Actor } from '../../platform/auth/actor.js';
import { listContacts } from '../contacts/contacts.service.js';
import { listCustomers } from '../customers/customers.service.js';

/**
 * Quick search (CUS-15): customers by name, pinyin, initials or code, and
 * contacts by name, pinyin, mobile or e-mail, each within the caller's scope.
 */
export async function quickSearch(actor: Actor, q: string, limit: number) {
  const [customers, contacts] = await Promise.all([
    listCustomers(actor, { q, limit, view: 'scope', sort: 'updatedAt', order: 'desc' }),
    actor.can('contact.view') ? listContacts(actor, { q, limit, sort: 'updatedAt', order: 'desc' }) : null,
  ]);
  return { customers: customers.items, contacts: contacts?.items ?? [] };
}
