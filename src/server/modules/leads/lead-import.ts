/**
 * Leads from a file (CUS-16), e.g. a trade-show list: each row goes through
 * the lead service's own create function, so numbering, the score rules and
 * (when the file names no owner) the assignment rules apply as for a lead
 * entered by hand.
 */
import type { z } from 'zod';
import type { LeadCreate } from '../../../common/schemas/leads.js';
import { Email, Mobile } from '../../../common/schemas/common.js';
import { Phone } from '../../../common/schemas/customers.js';
import { sql } from '../../db/sql.js';
import type { ImportDefinition, ImportField } from '../../platform/exchange/import.js';
import { checkedInto, choiceInto, regionInto, textInto } from '../../platform/exchange/import-fields.js';
import { createImported } from '../../platform/exchange/imported.repo.js';
import { customImportFields } from '../custom-fields/custom-import.js';
import { dictionaryChoices } from '../dictionaries/dictionary-choices.js';
import { requiredFieldsOf } from '../entry-rules/entry-rules.service.js';
import { ownerImportField, userLookup } from '../org/user-lookup.js';
import { createLeadIn } from './leads.service.js';

const ENTITY = 'lead';

type Row = z.output<typeof LeadCreate> & { custom: Record<string, unknown> };

export const leadImport: ImportDefinition<Row> = {
  entity: ENTITY,
  permission: 'lead.import',
  title: { 'zh-CN': '线索', en: 'Leads' },

  async prepare(q, actor, locale, options) {
    const zh = locale === 'zh-CN';
    const l = (cn: string, en: string) => (zh ? cn : en);
    const dict = await dictionaryChoices(q, actor.tenantId);
    const findUser = await userLookup(q, actor.tenantId);
    const required = new Set<string>(await requiredFieldsOf(q, actor.tenantId, ENTITY));
    const custom = await customImportFields<Row>(q, actor.tenantId, ENTITY, findUser);
    const text = (key: 'company' | 'title' | 'wechat' | 'address', max: number, cn: string, en: string, aliases: string[]): ImportField<Row> => ({
      key, label: l(cn, en), aliases: [cn, en, ...aliases], required: required.has(key), apply: textInto(max, (row, t) => (row[key] = t)),
    });

    const standard: ImportField<Row>[] = [
      { key: 'name', label: l('姓名', 'Name'), aliases: ['姓名', 'Name', '联系人', '线索名称', '名字', 'name', 'contact'], required: true, apply: textInto(50, (row, t) => (row.name = t)) },
      text('company', 100, '公司名称', 'Company', ['公司', '单位', '企业名称', 'company']),
      text('title', 50, '职务', 'Title', ['职位', 'title', 'position']),
      { key: 'mobile', label: l('手机', 'Mobile'), aliases: ['手机', 'Mobile', '手机号', '手机号码', 'mobile', 'cell'], required: required.has('mobile'), apply: checkedInto(Mobile, (row, v) => (row.mobile = v)) },
      { key: 'phone', label: l('电话', 'Phone'), aliases: ['电话', 'Phone', '座机', 'telephone', 'tel', 'phone'], required: required.has('phone'), apply: checkedInto(Phone, (row, v) => (row.phone = v)) },
      { key: 'email', label: l('邮箱', 'E-mail'), aliases: ['邮箱', 'E-mail', '电子邮箱', '邮件', 'email'], required: required.has('email'), apply: checkedInto(Email, (row, v) => (row.email = v)) },
      text('wechat', 50, '微信', 'WeChat', ['微信号', 'wechat']),
      { key: 'sourceCode', label: l('线索来源', 'Source'), aliases: ['线索来源', 'Source', '来源', 'source'], required: required.has('sourceCode'), options: dict('customer_source').labels, apply: choiceInto(dict('customer_source'), (row, v) => (row.sourceCode = v)) },
      { key: 'industryCode', label: l('所属行业', 'Industry'), aliases: ['所属行业', 'Industry', '行业', 'industry'], required: required.has('industryCode'), options: dict('industry').labels, apply: choiceInto(dict('industry'), (row, v) => (row.industryCode = v)) },
      { key: 'region', label: l('所在地区', 'Region'), aliases: ['所在地区', 'Region', '地区', '省市区', '所在地', 'region'], required: required.has('provinceCode'), apply: regionInto((row, codes) => Object.assign(row, codes)) },
      text('address', 200, '详细地址', 'Address', ['地址', 'address']),
      { key: 'remark', label: l('备注', 'Remarks'), aliases: ['备注', 'Remarks', '说明', 'remark', 'notes'], apply: textInto(2000, (row, t) => (row.remark = t)) },
      ownerImportField<Row>(actor, findUser, { transfer: 'lead.transfer', label: l('负责人', 'Owner'), hint: l('姓名、邮箱或手机号；空：按分配规则', 'name, e-mail or mobile; empty: the assignment rules') }, (row, id) => (row.ownerId = id)),
    ];

    return {
      fields: [...standard, ...custom.fields.filter((f) => !standard.some((s) => s.key === f.key))],
      // no owner given: the assignment rules decide, as for a lead entered by hand
      newRow: () => ({ name: '', custom: {}, ...(options.ownerId ? { ownerId: options.ownerId } : {}) }),
      // leads have no duplicate rules: a lead is a contact attempt, and two of them are no conflict
      identities: () => [],
      duplicates: async (_q, rows) => rows.map(() => undefined),
      insert: (q, rows, jobId) => createImported(q, ENTITY, actor.tenantId, jobId, rows, (row) => createLeadIn(q, actor, row)),
      update: async () => {},
    };
  },

  // a lead worked on (followed up or converted) stays
  untouched: sql`x.last_followup_at IS NULL AND x.status <> 'converted'`,
};
