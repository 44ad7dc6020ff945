import { describe, expect, it } from 'vitest';
import { mergeScopes, type Subject } from '../auth/actor.js';
import { scopesOf, visibleSql, writableSql, ownedScopeSql, type RecordScope } from './scope.js';

const subject = (over: Partial<Subject> = {}): Subject => ({
  tenantId: 1, userId: 7, departmentId: 3, isSuperAdmin: false, permissions: new Set(['customer.view']), dataScopes: {}, ...over,
});

describe('scopes of a subject', () => {
  it('defaults to self, unions several roles, and gives super administrators everything', () => {
    expect(scopesOf(subject(), 'customer')).toEqual(['self']);
    const merged = mergeScopes([{ customer: 'self' }, { customer: 'dept' }, { customer: 'self' }]);
    expect(scopesOf(subject({ dataScopes: merged }), 'customer')).toEqual(['self', 'dept']);
    expect(scopesOf(subject({ isSuperAdmin: true }), 'customer')).toEqual(['all']);
  });
});

describe('record conditions', () => {
  const scope = (over: Partial<RecordScope>): RecordScope => ({ module: 'customer', tenantId: 1, ownerIds: [7], readIds: [], writeIds: [], poolIds: [], ...over });

  it('reads owners and shared records, writes owners and read-write shares, deletes owners only', () => {
    const s = scope({ readIds: [10, 11], writeIds: [11] });
    expect(visibleSql(s, 'c').toQuery()).toEqual({ text: '(c.owner_id = ANY($1::bigint[]) OR c.id = ANY($2::bigint[]))', values: [[7], [10, 11]] });
    expect(writableSql(s, 'c').toQuery().values).toEqual([[7], [11]]);
    expect(ownedScopeSql(s, 'c').toQuery()).toEqual({ text: 'c.owner_id = ANY($1::bigint[])', values: [[7]] });
  });

  it('needs no condition for scope all, and no share branch without shares', () => {
    expect(visibleSql(scope({ ownerIds: null, readIds: [1] }), 'c').toQuery().text).toBe('TRUE');
    expect(visibleSql(scope({}), 'c').toQuery().text).toBe('c.owner_id = ANY($1::bigint[])');
  });
});
