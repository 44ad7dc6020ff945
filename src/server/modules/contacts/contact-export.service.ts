/** The contact list as a file (CUS-16): its columns, walked by the list's own page function. */
import type { Locale } from '../../../common/schemas/common.js';
import type { ContactDto, ContactExportQuery } from '../../../common/schemas/contacts.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { ExportColumn } from '../../platform/exchange/export.js';
import { exportColumn as column, type ListExport, listCell, localTime, yesNo } from '../../platform/exchange/list-export.js';
import { withCustomColumns } from '../custom-fields/custom-export.js';
import { type DictionaryLabels, dictionaryLabels } from '../dictionaries/dictionary-labels.js';
import { contactPage } from './contacts.service.js';

const ENTITY = 'contact';
/** Contacts are seen through their customer's data scope. */
const SCOPE = 'customer';

const LIFECYCLES: Record<ContactDto['lifecycle'], Record<Locale, string>> = {
  new: { 'zh-CN': '新建', en: 'New' },
  active: { 'zh-CN': '活跃', en: 'Active' },
  inactive: { 'zh-CN': '不活跃', en: 'Inactive' },
  invalid: { 'zh-CN': '无效', en: 'Invalid' },
};
const GENDERS: Record<NonNullable<ContactDto['gender']>, Record<Locale, string>> = {
  male: { 'zh-CN': '男', en: 'Male' },
  female: { 'zh-CN': '女', en: 'Female' },
};

/** The web list's columns, by the same keys (headers as the list names them), and the rest of a contact's card. */
function standardColumns(locale: Locale, { label }: DictionaryLabels): ExportColumn<ContactDto>[] {
  return [
    column('name', '姓名', 'Name', (k) => k.name),
    column('code', '联系人编号', 'Contact no.', (k) => k.code),
    column('customer', '所属客户', 'Customer', (k) => k.customerName),
    column('title', '职务', 'Job title', (k) => k.title),
    column('role', '角色', 'Role', (k) => label('contact_role', k.roleCode)),
    column('primary', '主要联系人', 'Primary contact', (k) => yesNo(locale, k.isPrimary)),
    column('mobile', '手机号', 'Mobile', (k) => k.mobile),
    column('phone', '电话', 'Phone', (k) => k.phone),
    column('email', '邮箱', 'Email', (k) => k.email),
    column('wechat', '微信', 'WeChat', (k) => k.wechat),
    column('gender', '性别', 'Gender', (k) => (k.gender ? GENDERS[k.gender][locale] : null)),
    column('birthday', '生日', 'Birthday', (k) => k.birthday),
    column('lifecycle', '状态', 'Status', (k) => LIFECYCLES[k.lifecycle][locale]),
    column('tags', '标签', 'Tags', (k) => listCell(locale, k.tags)),
    column('createdAt', '创建时间', 'Created', (k) => localTime(k.createdAt)),
    column('updatedAt', '更新时间', 'Updated', (k) => localTime(k.updatedAt)),
  ];
}

export const contactExport: ListExport<ContactDto, ContactExportQuery> = {
  entity: ENTITY,
  title: { 'zh-CN': '联系人', en: 'Contacts' },
  offered: async (actor, locale) => withCustomColumns(actor, ENTITY, standardColumns(locale, await dictionaryLabels(actor))),
  // byCursor: a customer's contacts page on like the others (its tab shows them in one page)
  readPage: async (q, actor, page) => contactPage(q, actor, await resolveScope(q, actor, SCOPE), { ...page, byCursor: true }),
};
