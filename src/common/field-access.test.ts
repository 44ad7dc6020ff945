import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_ACCESS_ENTITIES, type FieldAccessLevel, type FieldAccessMap, mergeFieldAccess } from './field-access.js';

const KEYS = ['phone', 'email', 'creditCode', 'cf_budget'];
const level = fc.constantFrom<FieldAccessLevel | undefined>('hidden', 'readonly', undefined);
const role: fc.Arbitrary<FieldAccessMap> = fc.record(
  Object.fromEntries(
    FIELD_ACCESS_ENTITIES.map((e) => [
      e,
      fc.tuple(...KEYS.map(() => level)).map((levels) => Object.fromEntries(KEYS.flatMap((k, i) => (levels[i] ? [[k, levels[i]]] : [])))),
    ]),
  ) as Record<string, fc.Arbitrary<Record<string, FieldAccessLevel>>>,
  { requiredKeys: [] },
);

describe('mergeFieldAccess', () => {
  it('gives each field the most open level of any role: hidden only when every role hides it', () => {
    fc.assert(
      fc.property(fc.array(role, { minLength: 1, maxLength: 4 }), (roles) => {
        const merged = mergeFieldAccess(roles);
        for (const entity of FIELD_ACCESS_ENTITIES) {
          for (const key of KEYS) {
            const levels = roles.map((r) => r[entity]?.[key]);
            const expected = levels.includes(undefined) ? undefined : levels.includes('readonly') ? 'readonly' : 'hidden';
            expect(merged[entity]?.[key]).toBe(expected);
          }
        }
      }),
    );
  });

  it('restricts nothing for a user without roles', () => {
    expect(mergeFieldAccess([])).toEqual({});
    expect(mergeFieldAccess([{ customer: { phone: 'hidden' } }, {}])).toEqual({});
  });
});
