import { z } from 'zod';
import type { Locale } from '../../../common/schemas/common.js';

// Zod's own locales speak in types ("数值过小：期望 string >=1 字符"); a form user
// wants "请填写此项". These cover the issues our schemas raise; anything else
// falls back to zod's locale.
type Issue = Parameters<z.core.$ZodErrorMap>[0];

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  int: { 'zh-CN': '整数', en: 'a whole number' },
  boolean: { 'zh-CN': '是或否', en: 'true or false' },
  array: { 'zh-CN': '列表', en: 'a list' },
  object: { 'zh-CN': '对象', en: 'an object' },
  date: { 'zh-CN': '日期', en: 'a date' },
};

const zh = {
  required: '请填写此项',
  type: (t: string) => `格式不正确，应为${t}`,
  minChars: (n: unknown) => `至少 ${n} 个字符`,
  maxChars: (n: unknown) => `不能超过 ${n} 个字符`,
  minItems: (n: unknown) => `至少选择 ${n} 项`,
  maxItems: (n: unknown) => `最多 ${n} 项`,
  min: (n: unknown, inclusive: boolean) => (inclusive ? `不能小于 ${n}` : `必须大于 ${n}`),
  max: (n: unknown, inclusive: boolean) => (inclusive ? `不能大于 ${n}` : `必须小于 ${n}`),
  email: '请输入正确的邮箱地址',
  format: '格式不正确',
  oneOf: (values: string) => `请从以下选项中选择：${values}`,
};

const en: typeof zh = {
  required: 'Required',
  type: (t) => `Must be ${t}`,
  minChars: (n) => `At least ${n} characters`,
  maxChars: (n) => `At most ${n} characters`,
  minItems: (n) => `Choose at least ${n}`,
  maxItems: (n) => `At most ${n} items`,
  min: (n, inclusive) => (inclusive ? `Must be at least ${n}` : `Must be greater than ${n}`),
  max: (n, inclusive) => (inclusive ? `Must be at most ${n}` : `Must be less than ${n}`),
  email: 'Enter a valid e-mail address',
  format: 'Invalid format',
  oneOf: (values) => `Choose one of: ${values}`,
};

function plainMessage(issue: Issue, locale: Locale): string | undefined {
  const m = locale === 'en' ? en : zh;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null) return m.required;
      const name = TYPE_NAMES[issue.expected];
      return name ? m.type(name[locale]) : undefined;
    }
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? m.required : m.minChars(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return m.minItems(issue.minimum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return m.min(issue.minimum, issue.inclusive !== false);
      return undefined;
    case 'too_big':
      if (issue.origin === 'string') return m.maxChars(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return m.maxItems(issue.maximum);
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return m.max(issue.maximum, issue.inclusive !== false);
      return undefined;
    case 'invalid_format':
      return issue.format === 'email' ? m.email : m.format;
    case 'invalid_value':
      return m.oneOf(issue.values.map(String).join(locale === 'en' ? ', ' : '、'));
    default:
      return undefined;
  }
}

const zodLocales = { 'zh-CN': z.locales.zhCN(), en: z.locales.en() };

/** The error map handed to zod for a request in `locale`. */
export function validationErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return (issue) => plainMessage(issue, locale) ?? zodLocales[locale].localeError(issue);
}
