import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { CustomFieldDto } from '../../../common/schemas/custom-fields';
import { customFilterValues, fromParams, toParams } from './customerListParams';

const field = (key: string, type: CustomFieldDto['type']): CustomFieldDto => ({
  id: 1, entity: 'customer', key, label: key, type, options: [], required: false, enabled: true, sort: 0,
});
const fields = [field('cf_t', 'text'), field('cf_s', 'select'), field('cf_n', 'number'), field('cf_d', 'date'), field('cf_u', 'user')];

describe('customer list parameters', () => {
  it('survive the round trip through the address or a saved view', () => {
    const params = toParams(
      {
        q: ' 云帆 ',
        levelCode: 'a',
        ownerId: 7,
        region: ['440000', '440300'],
        locked: 'true',
        updated: [dayjs('2026-01-05'), null],
        nextFollowup: [dayjs('2026-02-01'), dayjs('2026-02-28')],
        cf_t: 'vip',
        cf_s: ['x', 'y'],
        cf_n: [10, null],
        cf_d: [null, '2027-01-01'],
        cf_u: 3,
      },
      'shared_by_me',
      fields,
    );
    expect(params).toMatchObject({ q: '云帆', view: 'shared_by_me', levelCode: 'a', ownerId: 7, provinceCode: '440000', cityCode: '440300', locked: 'true' });
    expect(params.updatedFrom).toBe(dayjs('2026-01-05').startOf('day').toISOString());
    expect(params.updatedTo).toBeUndefined();
    expect(JSON.parse(String(params.custom))).toEqual({ cf_t: { contains: 'vip' }, cf_s: { in: ['x', 'y'] }, cf_n: { gte: 10 }, cf_d: { lte: '2027-01-01' }, cf_u: { eq: 3 } });

    // as the address keeps them: strings
    const back = fromParams(Object.fromEntries(Object.entries({ ...params, sort: 'name', order: 'asc' }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])));
    expect(back.view).toBe('shared_by_me');
    expect(back.sort).toEqual({ field: 'name', order: 'asc' });
    expect(toParams(back.values, back.view, fields)).toEqual(params);
  });

  it('ignores what the list does not know', () => {
    const r = fromParams({ view: 'everything', sort: 'password', kind: 'alien', custom: '{broken', ownerId: 'x' });
    expect(r.view).toBe('scope');
    expect(r.sort).toBeUndefined();
    expect(r.values.kind).toBeUndefined();
    expect(r.values.ownerId).toBeUndefined();
    expect(customFilterValues('{broken')).toEqual({});
  });
});
