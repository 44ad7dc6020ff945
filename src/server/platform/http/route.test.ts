import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from './errors.js';
import { checkRouteDef, defineRoute, parseInput } from './route.js';

const handler = async () => ({});

describe('route definitions', () => {
  it('refuses a route without a permission or the schemas its shape needs', () => {
    expect(() => checkRouteDef(defineRoute({ method: 'GET', url: '/api/x', permission: undefined as never, tag: 't', summary: 's', handler }))).toThrow(/permission/);
    expect(() => checkRouteDef(defineRoute({ method: 'GET', url: '/api/x/:id', permission: 'public', tag: 't', summary: 's', handler }))).toThrow(/path parameters/);
    expect(() => checkRouteDef(defineRoute({ method: 'POST', url: '/api/x', permission: 'public', tag: 't', summary: 's', handler }))).toThrow(/body/);
    expect(() => checkRouteDef(defineRoute({ method: 'POST', url: '/api/x', permission: 'public', tag: 't', summary: 's', body: z.object({}), handler }))).not.toThrow();
  });
});

describe('input validation', () => {
  const schema = z.object({ name: z.string().min(2), nested: z.object({ n: z.number() }).optional() }).strict();

  it('reports each field at fault, unknown keys included, in the caller’s language', () => {
    try {
      parseInput(schema, { name: 'a', nested: { n: 'x' }, tenantId: 2 }, 'zh-CN');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      const err = e as AppError;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.fields.map((f) => f.path)).toEqual(['name', 'nested.n', 'tenantId']);
      expect(err.fields[2].message).toBe('不允许设置该字段');
      expect(err.fields[0].message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(() => parseInput(schema, { name: 'a' }, 'en')).toThrow(AppError);
    expect(parseInput(schema, { name: 'ab' }, 'en')).toEqual({ name: 'ab' });
  });
});
