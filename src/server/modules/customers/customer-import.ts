/**
 * Customers from a file (CUS-16): the fields a column can fill, and batches
 * written set-based (one INSERT for a batch, numbers reserved at once), since
 * a company's first import is often its whole customer base.
 */
import { CUSTOMER_KINDS, CreditCode, Money, Phone } from '../../../common/schemas/customers.js';
import { Email } from '../../../common/schemas/common.js';
import { resolveScope } from '../../platform/access/scope.js';
import { ChoiceLookup, type DuplicateHit, type ImportDefinition, type ImportField, inputBefore, parseNumber } from '../../platform/exchange/import.js';
import { checkedInto, choiceInto, tagsInto, regionInto, textInto } from '../../platform/exchange/import-fields.js';
import { AppError } from '../../platform/http/errors.js';
import { sql } from '../../db/sql.js';
import { reserveNumbers } from '../../platform/numbering/numbering.js';
import { pinyinValues } from '../../platform/search/text-match.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { copyNumbersOf } from '../custom-fields/custom-fields.repo.js';
import { customImportFields } from '../custom-fields/custom-import.js';
import { customChanges, storeCustomNumbers } from '../custom-fields/custom-values.js';
import { dictionaryChoices } from '../dictionaries/dictionary-choices.js';
import { findBatchDuplicates, refusingKeys } from '../duplicates/duplicates.service.js';
import { requiredFieldsOf } from '../entry-rules/entry-rules.service.js';
import { ownerImportField, userLookup } from '../org/user-lookup.js';
import * as repo from './customers.repo.js';
import { normaliseName, updateCustomerIn } from './customers.service.js';

const ENTITY = 'customer';

type Row = Omit<repo.ImportedCustomer, 'code'> & { code: string | null };

/** The name with its pinyin search keys, worked out as the row is read rather than inside the batch's transaction. */
function nameInto(row: Row, text: string): void {
  row.name = normaliseName(text);
  Object.assign(row, pinyinValues(row.name));
}

const KIND_LABELS: Record<(typeof CUSTOMER_KINDS)[number], [string, string]> = {
  enterprise: ['企业客户', 'Company'],
  personal: ['个人客户', 'Individual'],
  dealer: ['经销商', 'Dealer'],
  supplier: ['供应商', 'Supplier'],
};

export const customerImport: ImportDefinition<Row> = {
  entity: ENTITY,
  permission: 'customer.import',
  title: { 'zh-CN': '客户', en: 'Customers' },

  async prepare(q, actor, locale, options) {
    const zh = locale === 'zh-CN';
    const l = (cn: string, en: string) => (zh ? cn : en);
    const dict = await dictionaryChoices(q, actor.tenantId);
    const findUser = await userLookup(q, actor.tenantId);
    const custom = await customImportFields<Row>(q, actor.tenantId, ENTITY, findUser);
    const required = new Set<string>(await requiredFieldsOf(q, actor.tenantId, ENTITY));
    const kinds = new ChoiceLookup(CUSTOMER_KINDS.map((k) => KIND_LABELS[k][zh ? 0 : 1]));
    for (const k of CUSTOMER_KINDS) kinds.add(k, ...KIND_LABELS[k], k);
    const defaultOwner = options.ownerId ?? actor.userId;

    const dictionaryField = (key: 'industryCode' | 'sourceCode' | 'levelCode' | 'statusCode', kind: Parameters<typeof dict>[0], cn: string, en: string, aliases: string[]): ImportField<Row> => ({
      key, label: l(cn, en), aliases: [cn, en, ...aliases], options: dict(kind).labels, required: required.has(key), apply: choiceInto(dict(kind), (row, code) => (row[key] = code)),
    });

    const standard: ImportField<Row>[] = [
      { key: 'name', label: l('客户名称', 'Customer name'), aliases: ['客户名称', 'Customer name', '客户', '公司名称', '企业名称', '名称', 'company', 'customer', 'name'], required: true, apply: textInto(100, nameInto) },
      { key: 'code', label: l('客户编号', 'Customer no.'), aliases: ['客户编号', 'Customer no.', '编号', 'code'], hint: l('留空自动编号', 'empty: numbered automatically'), apply: textInto(40, (row, t) => (row.code = t)) },
      { key: 'kind', label: l('客户类型', 'Customer type'), aliases: ['客户类型', 'Customer type', '类型', 'type'], options: kinds.labels, apply: choiceInto(kinds, (row, v) => (row.kind = v as Row['kind'])) },
      dictionaryField('industryCode', 'industry', '所属行业', 'Industry', ['行业', 'industry']),
      dictionaryField('sourceCode', 'customer_source', '客户来源', 'Source', ['来源', 'source']),
      dictionaryField('levelCode', 'customer_level', '客户级别', 'Level', ['级别', '等级', 'level']),
      dictionaryField('statusCode', 'customer_status', '客户状态', 'Status', ['状态', 'status']),
      {
        key: 'employeeCount', label: l('员工人数', 'Employees'), aliases: ['员工人数', 'Employees', '人数', '员工数', 'employees'], required: required.has('employeeCount'),
        apply: (t, row) => {
          const n = parseNumber(t);
          if (n === undefined || !Number.isInteger(n) || n < 0 || n > 10_000_000) return 'invalid';
          row.employeeCount = n;
          return undefined;
        },
      },
      { key: 'annualRevenue', label: l('年营业额', 'Annual revenue'), aliases: ['年营业额', 'Annual revenue', '营业额', '年收入', 'revenue'], required: required.has('annualRevenue'), apply: (t, row) => checkedInto<Row, string>(Money, (r, v) => (r.annualRevenue = v))(t.replace(/[,，\s¥￥]/g, ''), row) },
      {
        key: 'region', label: l('所在地区', 'Region'), aliases: ['所在地区', 'Region', '地区', '省市区', '区域', '所在地', '省份', 'region', 'province'], hint: l('如：广东省深圳市南山区', 'e.g. 广东省深圳市南山区'),
        required: required.has('provinceCode'), apply: regionInto((row, codes) => Object.assign(row, codes)),
      },
      { key: 'address', label: l('详细地址', 'Address'), aliases: ['详细地址', 'Address', '地址', 'address'], required: required.has('addresses'), apply: textInto(200, (row, t) => (row.address = t)) },
      { key: 'phone', label: l('电话', 'Phone'), aliases: ['电话', 'Phone', '联系电话', '座机', '手机', '手机号', 'telephone', 'tel', 'mobile'], required: required.has('phone'), apply: checkedInto(Phone, (row, v) => (row.phone = v)) },
      { key: 'email', label: l('邮箱', 'E-mail'), aliases: ['邮箱', 'E-mail', '电子邮箱', '邮件', 'email'], required: required.has('email'), apply: checkedInto(Email, (row, v) => (row.email = v)) },
      { key: 'website', label: l('网址', 'Website'), aliases: ['网址', 'Website', '网站', '官网', 'web'], required: required.has('website'), apply: textInto(200, (row, t) => (row.website = t)) },
      { key: 'creditCode', label: l('统一社会信用代码', 'Credit code'), aliases: ['统一社会信用代码', 'Credit code', '信用代码', '社会信用代码', '税号', 'uscc'], required: required.has('creditCode'), apply: checkedInto(CreditCode, (row, v) => (row.creditCode = v)) },
      { key: 'remark', label: l('备注', 'Remarks'), aliases: ['备注', 'Remarks', '说明', 'remark', 'notes'], apply: textInto(2000, (row, t) => (row.remark = t)) },
      { key: 'tags', label: l('标签', 'Tags'), aliases: ['标签', 'Tags', 'tag'], apply: tagsInto((row, tags) => (row.tags = tags)) },
      ownerImportField<Row>(actor, findUser, { transfer: 'customer.transfer', label: l('负责人', 'Owner'), hint: l('姓名、邮箱或手机号', 'name, e-mail or mobile') }, (row, id) => (row.ownerId = id)),
    ];
    const scope = await resolveScope(q, actor, ENTITY);
    const repeats = await refusingKeys(q, actor.tenantId, ENTITY);

    return {
      fields: [...standard, ...custom.fields.filter((f) => !standard.some((s) => s.key === f.key))],
      newRow: () => ({ name: '', code: null, custom: {}, ownerId: defaultOwner, address: null, statusCode: 'new' }),
      // a name once per file whatever the rules (names are how people tell customers apart), other values as the rules refuse
      identities: (row) => [`name:${row.name.replace(/\s+/g, '').toLowerCase()}`, ...repeats({ phone: row.phone as string | undefined, email: row.email as string | undefined, creditCode: row.creditCode as string | undefined })],

      async duplicates(q, rows) {
        await repo.lockNames(q, actor.tenantId);
        const found = await findBatchDuplicates(q, actor.tenantId, ENTITY, rows.map((r) => ({ name: r.name, phone: r.phone as string | undefined, email: r.email as string | undefined, creditCode: r.creditCode as string | undefined })));
        const writable = await repo.writableIds(q, scope, found.flatMap((m) => (m ? [m.id] : [])));
        const labels = Object.fromEntries(standard.map((f) => [f.key, f.label]));
        const label = { name: labels.name!, phone: labels.phone!, email: labels.email!, credit_code: labels.creditCode!, mobile: labels.phone! };
        return found.map((m): DuplicateHit | undefined => m && { id: m.id, name: m.name, rule: label[m.field], refuse: m.mode === 'refuse', writable: writable.has(m.id) && actor.can('customer.edit') });
      },

      async insert(q, rows, jobId) {
        const given = rows.flatMap((r) => (r.code ? [r.code] : []));
        const taken = await repo.takenCodes(q, actor.tenantId, given);
        // a batch with a taken code fails as a whole; the runner then writes its rows one by one and this row fails alone
        if (taken.size) throw new AppError('DUPLICATE', { field: 'code' }, [{ path: 'code', message: 'duplicate' }]);
        const numbers = await reserveNumbers(q, actor.tenantId, ENTITY, rows.length - given.length);
        let next = 0;
        const complete = rows.map((r) => ({ ...r, code: r.code ?? numbers[next++]! }));
        const ids = await repo.insertImported(q, actor.tenantId, actor.userId, jobId, complete);
        const ordered = complete.map((r) => ids.get(r.code)!);
        await copyNumbersOf(q, actor.tenantId, ENTITY, custom.numeric, ordered);
        return ordered;
      },

      async update(q, items) {
        const befores = await repo.rowsByIds(q, actor.tenantId, items.map((i) => i.id));
        for (const { id, row, fields } of items) {
          const before = befores.get(id)!;
          const old = repo.PROFILE.fromRow(before);
          // the name and the code identify the record; ownership changes by transfer, not by a file
          const filled = repo.PROFILE.fields.filter((f) => f !== 'name' && f !== 'code' && (fields.has(f) || (fields.has('region') && /^(province|city|district)Code$/.test(f))));
          const after = { ...old, ...Object.fromEntries(filled.map((f) => [f, row[f] ?? null])) };
          const nextCustom = { ...before.custom, ...Object.fromEntries(Object.entries(row.custom).filter(([k]) => fields.has(k))) };
          const changes = [...diffChanges(old, after, repo.PROFILE.fields), ...customChanges(before.custom, nextCustom)];
          if (!changes.length) continue;
          const changed = Object.fromEntries(changes.filter((c) => !c.field.startsWith('custom.')).map((c) => [c.field, after[c.field as keyof typeof after]]));
          await repo.updateCustomer(q, actor.tenantId, id, { ...changed, custom: nextCustom });
          await storeCustomNumbers(q, actor.tenantId, custom.rows, id, nextCustom);
          await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: before.name, action: 'update', changes });
        }
      },
    };
  },

  // a customer with a follow-up is in use even if its profile is as imported
  untouched: sql`x.last_followup_at IS NULL`,
  restore: (q, actor, id, changes) => updateCustomerIn(q, actor, id, inputBefore(changes, repo.PROFILE.fields)),
};
