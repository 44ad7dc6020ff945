import type { OrgSpec } from './fixtures.js';

/**
 * The reference model of data scopes, written as plainly as possible from the
 * rules in the issue, over the index-based OrgSpec. The system under test must
 * agree with it on every list, count, detail, update and delete.
 */
export class ScopeModel {
  constructor(readonly spec: OrgSpec) {}

  private has(user: number, permission: string): boolean {
    const u = this.spec.users[user];
    return u.superAdmin || u.roles.some((r) => this.spec.roles[r].permissions.includes(permission as never));
  }

  canView = (user: number) => this.has(user, 'customer.view');
  canViewContacts = (user: number) => this.has(user, 'contact.view');
  canViewLeads = (user: number) => this.has(user, 'lead.view');
  canEdit = (user: number) => this.has(user, 'customer.edit');
  canDelete = (user: number) => this.has(user, 'customer.delete');

  private departmentSubtree(root: number): Set<number> {
    const result = new Set([root]);
    let grew = true;
    while (grew) {
      grew = false;
      this.spec.departmentParents.forEach((parent, i) => {
        if (result.has(parent) && !result.has(i + 1)) {
          result.add(i + 1);
          grew = true;
        }
      });
    }
    return result;
  }

  private isSubordinate(candidate: number, boss: number): boolean {
    for (let s = this.spec.users[candidate].superior; s !== null; s = this.spec.users[s].superior) if (s === boss) return true;
    return false;
  }

  /** Owners whose records the user's roles reach; null for all. */
  owners(user: number): Set<number> | null {
    const u = this.spec.users[user];
    if (u.superAdmin) return null;
    const declared = u.roles.map((r) => this.spec.roles[r].scope).filter((s) => s !== null);
    const scopes = declared.length ? declared : ['self'];
    if (scopes.includes('all')) return null;
    const owners = new Set([user]);
    this.spec.users.forEach((other, i) => {
      if (scopes.includes('self_sub') && this.isSubordinate(i, user)) owners.add(i);
      if (scopes.includes('dept') && other.department === u.department) owners.add(i);
      if (scopes.includes('dept_sub') && this.departmentSubtree(u.department).has(other.department)) owners.add(i);
    });
    return owners;
  }

  /** Also the rule for leads: the same owners, no team or shares. */
  inOwnerScope(user: number, customer: number): boolean {
    const owners = this.owners(user);
    return owners === null || owners.has(this.spec.customers[customer]);
  }

  private grant(user: number, customer: number, minimum: 'read' | 'write'): boolean {
    return this.spec.access.some((a) => a.user === user && a.customer === customer && (minimum === 'read' || a.access === 'write'));
  }

  visible(user: number, customer: number): boolean {
    return this.canView(user) && (this.inOwnerScope(user, customer) || this.grant(user, customer, 'read'));
  }

  writable(user: number, customer: number): boolean {
    return this.canView(user) && (this.inOwnerScope(user, customer) || this.grant(user, customer, 'write'));
  }

  deletable(user: number, customer: number): boolean {
    return this.canView(user) && this.inOwnerScope(user, customer);
  }
}
