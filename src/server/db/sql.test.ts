import { describe, expect, it } from 'vitest';
import { containsPattern, sql } from './sql.js';

describe('sql template', () => {
  it('numbers parameters across nested fragments', () => {
    const inner = sql`b = ${2} AND c = ${'x'}`;
    const q = sql`SELECT * FROM t WHERE a = ${1} AND ${inner} AND d = ${[3, 4]}`.toQuery();
    expect(q.text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 AND d = $4');
    expect(q.values).toEqual([1, 2, 'x', [3, 4]]);
  });

  it('never turns values into SQL text', () => {
    const q = sql`SELECT ${"'; DROP TABLE users; --"}`.toQuery();
    expect(q.text).toBe('SELECT $1');
  });

  it('joins fragments and skips empty conditions', () => {
    expect(sql.join([sql`a = ${1}`, sql`b = ${2}`], ' OR ').toQuery()).toEqual({ text: 'a = $1 OR b = $2', values: [1, 2] });
    expect(sql.join([]).toQuery().text).toBe('');
    expect(sql`x ${sql.where([sql`a = ${1}`, undefined, false, '', 0, sql`b = ${2}`])}`.toQuery()).toEqual({ text: 'x WHERE a = $1 AND b = $2', values: [1, 2] });
    expect(sql.where([undefined]).toQuery().text).toBe('');
  });

  it('marks a statement to prepare once per connection, with the same text and values', () => {
    const q = sql.prepared('scope', sql`SELECT ${sql`a = ${1}`} AND b = ${2}`).toQuery();
    expect(q).toEqual({ text: 'SELECT a = $1 AND b = $2', values: [1, 2], prepareAs: 'scope' });
    expect(sql`SELECT ${1}`.toQuery().prepareAs).toBeUndefined();
  });

  it('escapes LIKE wildcards', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
    expect(containsPattern('北京')).toBe('%北京%');
  });
});
