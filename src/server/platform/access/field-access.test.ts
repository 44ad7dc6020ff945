import { describe, expect, it } from 'vitest';
import type { FieldAccessMap } from '../../../common/field-access.js';
import type { Actor } from '../auth/actor.js';
import { AppError } from '../http/errors.js';
import { assertWritable, maskHidden, maskHiddenChanges } from './field-access.js';

const actor = (fieldAccess: FieldAccessMap) => ({ fieldAccess }) as unknown as Actor;
const restricted = actor({ customer: { phone: 'hidden', creditCode: 'readonly', cf_secret: 'hidden', annualRevenue: 'readonly' } });
const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? { code: e.code, paths: e.fields.map((f) => f.path) } : e;
  }
};

describe('field access', () => {
  it('empties hidden fields and drops hidden custom values, leaving the rest', () => {
    const dto = { id: 1, phone: '010-1', creditCode: 'X', custom: { cf_secret: 'A', cf_open: 'B' } };
    expect(maskHidden(restricted, 'customer', dto)).toEqual({ id: 1, phone: null, creditCode: 'X', custom: { cf_open: 'B' } });
    expect(dto.phone).toBe('010-1'); // a copy, not the record itself
    expect(maskHidden(actor({}), 'customer', dto)).toBe(dto);
  });

  it('leaves the history entries of hidden fields out', () => {
    const changes = [{ field: 'phone' }, { field: 'custom.cf_secret' }, { field: 'remark' }];
    expect(maskHiddenChanges(restricted, 'customer', changes)).toEqual([{ field: 'remark' }]);
    expect(maskHiddenChanges(restricted, 'opportunity', changes)).toEqual(changes);
  });

  it('lets a read-only value come back unchanged, amounts compared by value, and refuses the rest', () => {
    const current = { phone: '010-1', creditCode: 'X', annualRevenue: '100000.00', custom: { cf_secret: 'A' } };
    expect(codeOf(() => assertWritable(restricted, 'customer', { creditCode: 'X', annualRevenue: 100000, remark: 'new' }, current))).toBeNull();
    expect(codeOf(() => assertWritable(restricted, 'customer', { creditCode: 'Y', phone: '010-1', custom: { cf_secret: 'A' } }, current))).toEqual({
      code: 'FIELD_READ_ONLY',
      paths: ['phone', 'creditCode', 'custom.cf_secret'],
    });
    // a new record may leave a hidden field empty, not fill it
    expect(codeOf(() => assertWritable(restricted, 'customer', { phone: null, creditCode: '' }, null))).toBeNull();
    expect(codeOf(() => assertWritable(restricted, 'customer', { phone: '010-2' }, null))).toEqual({ code: 'FIELD_READ_ONLY', paths: ['phone'] });
  });
});
