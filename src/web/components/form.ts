import { App, Form, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiError } from '../api/client';

/**
 * Forms validate with the same zod schemas the server uses (src/common/schemas)
 * and show the server's field errors on the fields they name.
 */

type Issue = z.core.$ZodIssue;
type AnyObjectSchema = z.ZodObject;

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Our own rule names (the server's FIELD_MESSAGES keys) that may arrive as an issue message. */
const NAMED_RULES = ['mobile', 'mobileOrEmail', 'phone', 'creditCode', 'money', 'postcode', 'dictCode', 'region'] as const;

/** A message for a zod issue in the interface language. */
export function issueMessage(issue: Issue, value: unknown, t: TFunction): string {
  const named = NAMED_RULES.find((r) => r === issue.message);
  if (named) return t(`validation.${named}`);
  switch (issue.code) {
    case 'invalid_type':
      return isEmpty(value) ? t('validation.required') : t('validation.invalid');
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.minLength', { min: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.minItems', { min: Number(issue.minimum) });
      return t('validation.min', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.maxLength', { max: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.maxItems', { max: Number(issue.maximum) });
      return t('validation.max', { max: Number(issue.maximum) });
    case 'invalid_format':
      return issue.format === 'email' ? t('validation.email') : t('validation.invalid');
    default:
      return t('validation.invalid');
  }
}

/** Form values as the schema expects them: blank text is "not given" (or null where the schema allows null, to clear it). */
function normalise(value: unknown, schema: z.ZodType | undefined): unknown {
  if (typeof value === 'string' && value.trim() === '') return schema?.safeParse(null).success ? null : undefined;
  return value;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** A group of fields without the cleared ones, at any depth. */
function withoutUnset(group: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(group)
      .filter(([, inner]) => inner !== undefined && inner !== null)
      .map(([key, inner]) => [key, isPlainObject(inner) ? withoutUnset(inner) : inner]),
  );
}

/** The schema's fields of the form values (fields such as "repeat the password" are the form's own). */
function normaliseAll(values: Record<string, unknown>, shape: Record<string, z.ZodType>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([k]) => k in shape)
      .map(([k, v]) => [
        k,
        // a cleared select inside a group of fields (dataScopes.customer, fieldAccess.customer.phone) means "not set"
        isPlainObject(v) ? withoutUnset(v) : normalise(v, shape[k]),
      ]),
  );
}

/** An antd rule that checks one field with its zod schema. */
export function zodRule(schema: z.ZodType, t: TFunction): Rule {
  return {
    validator: async (_rule, raw: unknown) => {
      const value = normalise(raw, schema);
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(issueMessage(result.error.issues[0]!, value, t));
    },
  };
}

/** A form field's name: "name", or ["addresses", 0, "postcode"] inside a Form.List. */
export type FieldName = (string | number)[];

function hasPath(values: unknown, path: FieldName): boolean {
  let at: unknown = values;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !(String(key) in at)) return false;
    at = (at as Record<string, unknown>)[String(key)];
  }
  return true;
}

/** "roleIds.0" names the roleIds field: a list's items have no field of their own. */
function fieldName(path: string): string[] {
  const parts = path.split('.').filter(Boolean);
  const item = parts.findIndex((p) => /^\d+$/.test(p));
  return item === -1 ? parts : parts.slice(0, item);
}

/**
 * Shows an error: a server error's field messages go onto the form's fields,
 * the rest into a toast with the server's message.
 */
export function showError(
  err: unknown,
  ctx: {
    message: ReturnType<typeof App.useApp>['message'];
    t: TFunction;
    form?: FormInstance;
    /** The form field a server path names, when the form's fields are not the request's (a region cascader, a list of addresses). */
    mapPath?: (path: string) => FieldName | undefined;
  },
): void {
  if (!(err instanceof ApiError)) {
    ctx.message.error(ctx.t('errors.unexpected'));
    return;
  }
  const registered: unknown = ctx.form?.getFieldsValue() ?? {};
  const onFields: { name: FieldName; errors: string[] }[] = [];
  const elsewhere: string[] = [];
  for (const f of err.fields) {
    const name = ctx.mapPath?.(f.path) ?? fieldName(f.path);
    if (ctx.form && name.length && hasPath(registered, name)) {
      const existing = onFields.find((x) => x.name.join('.') === name.join('.'));
      if (existing) existing.errors.push(f.message);
      else onFields.push({ name, errors: [f.message] });
    } else elsewhere.push(f.message);
  }
  if (onFields.length) ctx.form!.setFields(onFields);
  ctx.message.error(elsewhere.length ? `${err.message}：${elsewhere.join('；')}` : err.message);
}

const blank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => (blank(a) && blank(b)) || JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields of `next` that differ from `before`, for a PATCH that sends only
 * what the user changed (an unchanged value the server would check again, such
 * as a dictionary item disabled since, is left out).
 */
export function changedFields<T extends Record<string, unknown>>(before: Record<string, unknown>, next: T): Partial<T> {
  return Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== undefined && !same(before[k], v))) as Partial<T>;
}

/** Error display for actions outside a form (delete, enable, revoke...). */
export function useShowError(): (err: unknown) => void {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback((err: unknown) => showError(err, { message, t }), [message, t]);
}

/**
 * Saving a form whose values the page turns into a request itself: one save at
 * a time (`saving` for the button), a toast when done, the server's field
 * errors on the form's fields. `save` answers what `work` answered, or
 * undefined when it failed (the error is shown).
 */
export function useFormSave(form: FormInstance) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const save = async <T>(work: () => Promise<T>, done: string): Promise<T | undefined> => {
    setSaving(true);
    try {
      const result = await work();
      message.success(done);
      return result;
    } catch (err) {
      showError(err, { message, t, form });
      return undefined;
    } finally {
      setSaving(false);
    }
  };
  return { saving, save };
}

/**
 * An antd form checked by a zod object schema:
 * - `field(name)` gives a Form.Item its name, its rule and its required mark;
 * - `submit(send, onDone)` makes an onFinish handler: the whole schema checks
 *   the values (cross-field rules too), `send` gets the parsed values, and
 *   server field errors land on their fields.
 */
export function useSchemaForm<S extends AnyObjectSchema>(schema: S) {
  const [form] = Form.useForm();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [submitting, setSubmitting] = useState(false);
  const shape = schema.shape as Record<string, z.ZodType>;

  const field = (name: keyof S['shape'] & string) => {
    const s = shape[name]!;
    return { name, required: !s.safeParse(undefined).success, rules: [zodRule(s, t)] };
  };

  const submit = (send: (data: z.output<S>) => Promise<unknown>, onDone?: () => void) => async () => {
    const values = normaliseAll(form.getFieldsValue() as Record<string, unknown>, shape);
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((issue) => {
          const name = fieldName(issue.path.map(String).join('.'));
          return { name, errors: [issueMessage(issue, values[name[0] ?? ''], t)] };
        }),
      );
      return;
    }
    setSubmitting(true);
    try {
      await send(parsed.data);
      onDone?.();
    } catch (err) {
      showError(err, { message, t, form });
    } finally {
      setSubmitting(false);
    }
  };

  return { form, field, submit, submitting };
}
