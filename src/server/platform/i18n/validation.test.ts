import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validationErrorMap } from './validation.js';

const schema = z.object({
  name: z.string().trim().min(1).max(5),
  note: z.string().min(3).optional(),
  email: z.email().optional(),
  age: z.number().int().min(0).max(150).optional(),
  tags: z.array(z.string()).min(1).optional(),
  gender: z.enum(['male', 'female']).optional(),
});

function messages(input: unknown, locale: 'zh-CN' | 'en') {
  const r = schema.safeParse(input, { error: validationErrorMap(locale) });
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('validation messages', () => {
  it('speak to a form user in Chinese', () => {
    expect(messages({}, 'zh-CN')).toEqual({ name: '请填写此项' });
    expect(messages({ name: '' }, 'zh-CN')).toEqual({ name: '请填写此项' });
    expect(
      messages({ name: '一二三四五六', note: 'ab', email: 'x', age: -1, tags: [], gender: 'x' }, 'zh-CN'),
    ).toEqual({
      name: '不能超过 5 个字符',
      note: '至少 3 个字符',
      email: '请输入正确的邮箱地址',
      age: '不能小于 0',
      tags: '至少选择 1 项',
      gender: '请从以下选项中选择：male、female',
    });
    expect(messages({ name: 5 }, 'zh-CN')).toEqual({ name: '格式不正确，应为文本' });
  });

  it('and in English', () => {
    expect(messages({ name: 'abcdefg', age: 200 }, 'en')).toEqual({ name: 'At most 5 characters', age: 'Must be at most 150' });
    expect(messages({ name: 'a', age: 1.5 }, 'en')).toEqual({ age: expect.any(String) });
  });
});
