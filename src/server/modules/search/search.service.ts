import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { contactPage } from '../contacts/contacts.service.js';
import { customerPage } from '../customers/customers.service.js';

/**
 * Quick search (CUS-15): customers by name, pinyin, initials or code, and
 * contacts by name, pinyin, mobile or e-mail, each within the caller's scope.
 * One transaction and one scope for both: contacts are seen through their
 * customers, and a search box sends a request per keystroke.
 */
export function quickSearch(actor: Actor, q: string, limit: number) {
  return actor.tx(async (tx) => {
    const scope = await resolveScope(tx, actor, 'customer');
    const customers = await customerPage(tx, actor, scope, { q, limit, view: 'scope', sort: 'updatedAt', order: 'desc' });
    const contacts = actor.can('contact.view') ? await contactPage(tx, actor, scope, { q, limit, sort: 'updatedAt', order: 'desc' }) : null;
    return { customers: customers.items, contacts: contacts?.items ?? [] };
  });
}
