import { describe, expect, it } from 'vitest';
import { diffChanges } from './audit.service.js';

describe('diffChanges', () => {
  it('lists the fields that changed, with before and after', () => {
    const before = { name: '甲', ownerId: 1, tags: ['a'], at: new Date('2026-01-01T00:00:00Z') };
    const after = { name: '乙', ownerId: 1, tags: ['a', 'b'], at: new Date('2026-01-01T00:00:00Z') };
    expect(diffChanges(before, after, ['name', 'ownerId', 'tags', 'at'])).toEqual([
      { field: 'name', before: '甲', after: '乙' },
      { field: 'tags', before: ['a'], after: ['a', 'b'] },
    ]);
  });

  it('treats a created record as changed from nothing', () => {
    expect(diffChanges(null, { name: '甲', note: undefined }, ['name', 'note'])).toEqual([{ field: 'name', before: null, after: '甲' }]);
  });
});
