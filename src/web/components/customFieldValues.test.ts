import { describe, expect, it } from 'vitest';
import type { CustomFieldDto } from '../../common/schemas/custom-fields';
import { customFilterParam, customValuesBody } from './customFieldValues';

const field = (key: string, type: CustomFieldDto['type'], enabled = true): CustomFieldDto => ({
  id: 1, entity: 'customer', key, label: key, type, options: [], required: false, enabled, sort: 0,
});
const fields = [field('cf_t', 'text'), field('cf_n', 'number'), field('cf_m', 'multiselect'), field('cf_d', 'date'), field('cf_off', 'text', false), field('cf_u', 'user'), field('cf_f', 'file')];

describe('customValuesBody', () => {
  it('sends the filled values of a new record, trimmed, never a disabled field', () => {
    expect(customValuesBody(fields, { cf_t: ' 甲 ', cf_n: 0, cf_m: [], cf_off: 'x', cf_d: undefined })).toEqual({ cf_t: '甲', cf_n: 0 });
    expect(customValuesBody(fields, {})).toBeUndefined();
  });

  it('sends only what an edit changed, a cleared value as null', () => {
    const before = { cf_t: '甲', cf_n: 3, cf_m: ['a'], cf_off: 'x' };
    expect(customValuesBody(fields, { cf_t: '甲', cf_n: 4, cf_m: [], cf_off: 'y' }, before)).toEqual({ cf_n: 4, cf_m: null });
    expect(customValuesBody(fields, { ...before }, before)).toBeUndefined();
  });
});

describe('customFilterParam', () => {
  it('turns each kind of filter into its condition', () => {
    const param = customFilterParam(fields, { cf_t: ' vip ', cf_n: [10, null], cf_m: ['a', 'b'], cf_d: ['2027-01-01', '2027-02-01'], cf_u: 7, cf_f: 3, q: 'x' });
    expect(JSON.parse(param!)).toEqual({
      cf_t: { contains: 'vip' },
      cf_n: { gte: 10 },
      cf_m: { in: ['a', 'b'] },
      cf_d: { gte: '2027-01-01', lte: '2027-02-01' },
      cf_u: { eq: 7 },
    });
  });

  it('is undefined when no custom filter is set', () => {
    expect(customFilterParam(fields, { cf_t: '', cf_n: [null, undefined], cf_m: [] })).toBeUndefined();
  });
});
