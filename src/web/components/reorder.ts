/**
 * The sort numbers to write to move the item at `from` one place up (-1) or
 * down (1) among its siblings: the two swap their numbers, or, when they tie,
 * the siblings are numbered afresh (10, 20, ...). Only changed items are listed.
 */
export function moveSorts<T extends { sort: number }>(siblings: readonly T[], from: number, by: -1 | 1): { item: T; sort: number }[] {
  const to = from + by;
  const item = siblings[from];
  const other = siblings[to];
  if (!item || !other) return [];
  if (other.sort !== item.sort) return [{ item, sort: other.sort }, { item: other, sort: item.sort }];
  const order = [...siblings];
  order.splice(from, 1);
  order.splice(to, 0, item);
  return order.flatMap((x, i) => (x.sort === (i + 1) * 10 ? [] : [{ item: x, sort: (i + 1) * 10 }]));
}
