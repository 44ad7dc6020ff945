import { describe, expect, it } from 'vitest';
import { moveSorts } from './reorder';

const items = (...sorts: number[]) => sorts.map((sort, i) => ({ id: i, sort }));
const applied = (list: { id: number; sort: number }[], from: number, by: -1 | 1) => {
  const changes = new Map(moveSorts(list, from, by).map((c) => [c.item.id, c.sort]));
  return [...list].map((x) => ({ ...x, sort: changes.get(x.id) ?? x.sort })).sort((a, b) => a.sort - b.sort || a.id - b.id).map((x) => x.id);
};

describe('moveSorts', () => {
  it('swaps the sort numbers of two neighbours', () => {
    expect(moveSorts(items(10, 20, 30), 2, -1)).toEqual([{ item: { id: 2, sort: 30 }, sort: 20 }, { item: { id: 1, sort: 20 }, sort: 30 }]);
    expect(applied(items(10, 20, 30), 0, 1)).toEqual([1, 0, 2]);
  });

  it('numbers the siblings afresh when the two tie', () => {
    expect(applied(items(0, 0, 0), 1, -1)).toEqual([1, 0, 2]);
    expect(applied(items(5, 5, 40), 0, 1)).toEqual([1, 0, 2]);
  });

  it('does nothing past either end', () => {
    expect(moveSorts(items(10, 20), 0, -1)).toEqual([]);
    expect(moveSorts(items(10, 20), 1, 1)).toEqual([]);
  });
});
