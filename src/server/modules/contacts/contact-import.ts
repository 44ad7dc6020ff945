/**
 * Contacts from a file (CUS-16): each row names its customer by name, code or
 * credit code (never an internal id), one the user may change. A batch is
 * written set-based (one INSERT with the customer links, numbers reserved at
 * once) with the form's rules applied to the set: primary contacts, duplicate
 * rules (within the file too), required fields; the import is logged as one
 * entry, like a customer import, not one per contact. Updates go through the
 * service's own update function.
 */
import type { z } from 'zod';
import { CONTACT_LIFECYCLES, type ContactCreate } from '../../../common/schemas/contacts.js';
import { Email, Mobile } from '../../../common/schemas/common.js';
import { Phone } from '../../../common/schemas/customers.js';
import { sql } from '../../db/sql.js';
import { ChoiceLookup, type ImportDefinition, type ImportField, inputBefore } from '../../platform/exchange/import.js';
import { checkedInto, choiceInto, tagsInto, dateInto, textInto, yesNoInto } from '../../platform/exchange/import-fields.js';
import { customImportFields } from '../custom-fields/custom-import.js';
import { customerReference } from '../customers/customer-reference.js';
import { dictionaryChoices } from '../dictionaries/dictionary-choices.js';
import { findBatchDuplicates, refusingKeys } from '../duplicates/duplicates.service.js';
import { requiredFieldsOf } from '../entry-rules/entry-rules.service.js';
import { userLookup } from '../org/user-lookup.js';
import { resolveScope } from '../../platform/access/scope.js';
import { message } from '../../platform/i18n/messages.js';
import { reserveNumbers } from '../../platform/numbering/numbering.js';
import { pinyinValues } from '../../platform/search/text-match.js';
import { copyNumbersOf } from '../custom-fields/custom-fields.repo.js';
import { writableIds } from '../customers/customers.repo.js';
import * as repo from './contacts.repo.js';
import { updateContactIn } from './contacts.service.js';

const ENTITY = 'contact';

type Input = z.output<typeof ContactCreate>;
/** The contact as the form would send it, its customer still as the file names it. */
type Row = Omit<Input, 'customerId' | 'custom'> & { customer: string; customerId?: number; custom: Record<string, unknown> };

const GENDERS = { male: ['男', 'Male', 'M'], female: ['女', 'Female', 'F'] } as const;
const LIFECYCLES: Record<(typeof CONTACT_LIFECYCLES)[number], [string, string]> = {
  new: ['新建', 'New'],
  active: ['活跃', 'Active'],
  inactive: ['不活跃', 'Inactive'],
  invalid: ['无效', 'Invalid'],
};

const inputOf = ({ customer: _c, customerId, ...row }: Row): Input => ({ ...row, customerId: customerId! });

export const contactImport: ImportDefinition<Row> = {
  entity: ENTITY,
  permission: 'contact.import',
  title: { 'zh-CN': '联系人', en: 'Contacts' },

  async prepare(q, actor, locale) {
    const zh = locale === 'zh-CN';
    const l = (cn: string, en: string) => (zh ? cn : en);
    const dict = await dictionaryChoices(q, actor.tenantId);
    const required = new Set<string>(await requiredFieldsOf(q, actor.tenantId, ENTITY));
    const custom = await customImportFields<Row>(q, actor.tenantId, ENTITY, await userLookup(q, actor.tenantId));
    const genders = new ChoiceLookup(Object.values(GENDERS).map((g) => g[zh ? 0 : 1]));
    for (const [value, texts] of Object.entries(GENDERS)) genders.add(value, ...texts, value);
    const lifecycles = new ChoiceLookup(CONTACT_LIFECYCLES.map((c) => LIFECYCLES[c][zh ? 0 : 1]));
    for (const c of CONTACT_LIFECYCLES) lifecycles.add(c, ...LIFECYCLES[c], c);
    const customer = await customerReference<Row>(q, actor, locale);

    const standard: ImportField<Row>[] = [
      customer.field,
      { key: 'name', label: l('姓名', 'Name'), aliases: ['姓名', 'Name', '联系人', '联系人姓名', '名字', 'contact', 'name'], required: true, apply: textInto(50, (row, t) => (row.name = t)) },
      { key: 'title', label: l('职务', 'Title'), aliases: ['职务', 'Title', '职位', '岗位', 'position', 'title'], required: required.has('title'), apply: textInto(50, (row, t) => (row.title = t)) },
      { key: 'roleCode', label: l('角色', 'Role'), aliases: ['角色', 'Role', '联系人角色', 'role'], required: required.has('roleCode'), options: dict('contact_role').labels, apply: choiceInto(dict('contact_role'), (row, v) => (row.roleCode = v)) },
      { key: 'isPrimary', label: l('首要联系人', 'Primary'), aliases: ['首要联系人', 'Primary', '主联系人', '是否首要联系人', 'primary'], hint: l('是 / 否', 'yes / no'), apply: yesNoInto((row, v) => (row.isPrimary = v)) },
      { key: 'lifecycle', label: l('状态', 'Status'), aliases: ['状态', 'Status', '生命周期', 'status'], options: lifecycles.labels, apply: choiceInto(lifecycles, (row, v) => (row.lifecycle = v as Row['lifecycle'])) },
      { key: 'gender', label: l('性别', 'Gender'), aliases: ['性别', 'Gender', 'gender', 'sex'], required: required.has('gender'), options: genders.labels, apply: choiceInto(genders, (row, v) => (row.gender = v as Row['gender'])) },
      { key: 'mobile', label: l('手机', 'Mobile'), aliases: ['手机', 'Mobile', '手机号', '手机号码', '移动电话', 'mobile', 'cell'], required: required.has('mobile'), apply: checkedInto(Mobile, (row, v) => (row.mobile = v)) },
      { key: 'phone', label: l('电话', 'Phone'), aliases: ['电话', 'Phone', '座机', '办公电话', 'telephone', 'tel', 'phone'], required: required.has('phone'), apply: checkedInto(Phone, (row, v) => (row.phone = v)) },
      { key: 'email', label: l('邮箱', 'E-mail'), aliases: ['邮箱', 'E-mail', '电子邮箱', '邮件', 'email'], required: required.has('email'), apply: checkedInto(Email, (row, v) => (row.email = v)) },
      { key: 'wechat', label: l('微信', 'WeChat'), aliases: ['微信', 'WeChat', '微信号', 'wechat'], required: required.has('wechat'), apply: textInto(50, (row, t) => (row.wechat = t)) },
      { key: 'birthday', label: l('生日', 'Birthday'), aliases: ['生日', 'Birthday', '出生日期', 'birthday'], required: required.has('birthday'), hint: '1990-05-20', apply: dateInto((row, v) => (row.birthday = v)) },
      { key: 'remark', label: l('备注', 'Remarks'), aliases: ['备注', 'Remarks', '说明', 'remark', 'notes'], apply: textInto(2000, (row, t) => (row.remark = t)) },
      { key: 'tags', label: l('标签', 'Tags'), aliases: ['标签', 'Tags', 'tag'], apply: tagsInto((row, tags) => (row.tags = tags)) },
    ];

    const repeats = await refusingKeys(q, actor.tenantId, ENTITY);
    const customerScope = await resolveScope(q, actor, 'customer');
    const readOnly = message(locale, 'RECORD_READ_ONLY');

    return {
      fields: [...standard, ...custom.fields.filter((f) => !standard.some((s) => s.key === f.key))],
      newRow: () => ({ customer: '', name: '', custom: {} }),
      identities: (row) => repeats({ mobile: row.mobile, email: row.email }),

      // the customer named, which the user must be able to change (as the form requires)
      async resolve(q, rows) {
        const reasons = await customer.resolve(q, rows);
        const writable = await writableIds(q, customerScope, [...new Set(rows.flatMap((r, i) => (reasons[i] ? [] : [r.customerId!])))]);
        return rows.map((r, i) => reasons[i] ?? (writable.has(r.customerId!) ? undefined : readOnly));
      },

      async duplicates(q, rows) {
        const found = await findBatchDuplicates(q, actor.tenantId, ENTITY, rows.map((r) => ({ mobile: r.mobile, email: r.email })));
        const label = { mobile: l('手机', 'Mobile'), email: l('邮箱', 'E-mail') } as Record<string, string>;
        // whether the user may change the contact is checked when it is updated
        return found.map((m) => m && { id: m.id, name: m.name, rule: label[m.field] ?? m.field, refuse: m.mode === 'refuse', writable: actor.can('contact.edit') });
      },

      /**
       * One statement for the batch, with the form's rules worked out for the
       * set: a customer's first contact is its primary one, one marked primary
       * takes the mark from the others, the last so marked in the file keeps it.
       */
      async insert(q, rows, jobId) {
        const customerIds = [...new Set(rows.map((r) => r.customerId!))];
        const hadContacts = await repo.customersWithContacts(q, actor.tenantId, customerIds);
        const primaryRow = new Map<number, number>();
        const seen = new Set<number>();
        const complete = rows.map(({ customer: _c, customerId, ...row }, i) => {
          const isPrimary = row.isPrimary ?? !(hadContacts.has(customerId!) || seen.has(customerId!));
          seen.add(customerId!);
          if (isPrimary) primaryRow.set(customerId!, i);
          return { ...row, ...pinyinValues(row.name), customerId: customerId!, isPrimary, code: '' };
        });
        for (const [i, r] of complete.entries()) r.isPrimary &&= primaryRow.get(r.customerId) === i;
        const taking = [...primaryRow.keys()].filter((c) => hadContacts.has(c));
        if (taking.length) await repo.clearPrimaries(q, actor.tenantId, taking);
        const numbers = await reserveNumbers(q, actor.tenantId, ENTITY, rows.length);
        complete.forEach((r, i) => (r.code = numbers[i]!));
        const ids = await repo.insertImported(q, actor.tenantId, actor.userId, jobId, complete);
        const ordered = complete.map((r) => ids.get(r.code)!);
        await copyNumbersOf(q, actor.tenantId, ENTITY, custom.numeric, ordered);
        return ordered;
      },

      async update(q, items) {
        for (const { id, row, fields } of items) {
          const { customerId: _id, ...input } = inputOf(row);
          const filled = Object.fromEntries(Object.entries(input).filter(([k]) => k !== 'custom' && fields.has(k)));
          const customFilled = Object.fromEntries(Object.entries(row.custom).filter(([k]) => fields.has(k)));
          await updateContactIn(q, actor, id, { ...filled, ...(Object.keys(customFilled).length ? { custom: customFilled } : {}) });
        }
      },
    };
  },

  untouched: sql`TRUE`,
  restore: (q, actor, id, changes) => updateContactIn(q, actor, id, inputBefore(changes, repo.CONTACT_FIELDS.fields)),
};
