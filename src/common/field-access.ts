/**
 * Field-level permissions (ORG-6): a role may hide a sensitive field of an
 * entity or make it read-only. The server masks hidden fields on every read
 * path (list, detail, search, export, history) and refuses writes to
 * restricted ones; the web hides or disables them in lists and forms.
 */

export const FIELD_ACCESS_ENTITIES = ['customer', 'contact', 'lead', 'product'] as const;
export type FieldAccessEntity = (typeof FIELD_ACCESS_ENTITIES)[number];

export const FIELD_ACCESS_LEVELS = ['hidden', 'readonly'] as const;
export type FieldAccessLevel = (typeof FIELD_ACCESS_LEVELS)[number];

/** Per entity, field → level; a field not named is visible and editable. Custom fields as their key (cf_…). */
export type FieldAccessMap = Partial<Record<FieldAccessEntity, Record<string, FieldAccessLevel>>>;

/** The standard fields a role can restrict, by the API's names; custom fields (cf_…) are restrictable too. */
export const RESTRICTABLE_FIELDS: Record<FieldAccessEntity, readonly { key: string; zh: string; en: string }[]> = {
  customer: [
    { key: 'phone', zh: '电话', en: 'Phone' },
    { key: 'email', zh: '邮箱', en: 'E-mail' },
    { key: 'website', zh: '网址', en: 'Website' },
    { key: 'creditCode', zh: '统一社会信用代码', en: 'Credit code' },
    { key: 'employeeCount', zh: '员工人数', en: 'Employees' },
    { key: 'annualRevenue', zh: '年营业额', en: 'Annual revenue' },
    { key: 'remark', zh: '备注', en: 'Remark' },
  ],
  contact: [
    { key: 'mobile', zh: '手机', en: 'Mobile' },
    { key: 'phone', zh: '电话', en: 'Phone' },
    { key: 'email', zh: '邮箱', en: 'E-mail' },
    { key: 'wechat', zh: '微信', en: 'WeChat' },
    { key: 'birthday', zh: '生日', en: 'Birthday' },
    { key: 'remark', zh: '备注', en: 'Remark' },
  ],
  lead: [
    { key: 'mobile', zh: '手机', en: 'Mobile' },
    { key: 'phone', zh: '电话', en: 'Phone' },
    { key: 'email', zh: '邮箱', en: 'E-mail' },
    { key: 'wechat', zh: '微信', en: 'WeChat' },
    { key: 'address', zh: '详细地址', en: 'Address' },
    { key: 'remark', zh: '备注', en: 'Remark' },
  ],
  // products have no custom fields; a cf_… key is refused for them
  product: [
    { key: 'cost', zh: '成本价', en: 'Cost' },
    { key: 'stock', zh: '库存', en: 'Stock' },
    { key: 'lowStockThreshold', zh: '库存预警值', en: 'Low-stock level' },
  ],
};

export const isCustomFieldKey = (key: string) => /^cf_[a-z0-9_]{1,40}$/.test(key);

/** Whether a role may name `key` for `entity`. */
export const isRestrictable = (entity: FieldAccessEntity, key: string) =>
  (entity !== 'product' && isCustomFieldKey(key)) || RESTRICTABLE_FIELDS[entity].some((f) => f.key === key);

const OPENNESS: Record<FieldAccessLevel | 'full', number> = { hidden: 0, readonly: 1, full: 2 };

/**
 * The access of a user with these roles: like function permissions, the most
 * open role wins, so a field stays hidden only when every role hides it.
 */
export function mergeFieldAccess(roles: readonly FieldAccessMap[]): FieldAccessMap {
  const merged: FieldAccessMap = {};
  if (!roles.length) return merged;
  for (const entity of FIELD_ACCESS_ENTITIES) {
    const keys = new Set(roles.flatMap((r) => Object.keys(r[entity] ?? {})));
    for (const key of keys) {
      const level = roles.map((r) => r[entity]?.[key] ?? 'full').reduce((a, b) => (OPENNESS[a] >= OPENNESS[b] ? a : b));
      if (level !== 'full') (merged[entity] ??= {})[key] = level;
    }
  }
  return merged;
}
