import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { AppError } from './errors.js';

describe('keyset cursors', () => {
  it('round-trip the sort values of the last row', () => {
    const values = ['2026-01-02 08:00:00.123456+08', 42];
    expect(decodeCursor(encodeCursor(values), 2)).toEqual(values);
    expect(decodeCursor(undefined, 2)).toBeUndefined();
  });

  it('refuse anything that is not a cursor of the right shape', () => {
    for (const bad of ['garbage', encodeCursor([1]), Buffer.from('{"a":1}').toString('base64url'), Buffer.from('[{},1]').toString('base64url')]) {
      expect(() => decodeCursor(bad, 2)).toThrow(AppError);
    }
  });
});
