/** The customer list as a file (CUS-16): its columns, walked by the list's own page function. */
import type { Locale } from '../../../common/schemas/common.js';
import type { CustomerDto, CustomerExportQuery } from '../../../common/schemas/customers.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { ExportColumn } from '../../platform/exchange/export.js';
import { exportColumn as column, type ListExport, listCell, localTime, yesNo } from '../../platform/exchange/list-export.js';
import { withCustomColumns } from '../custom-fields/custom-export.js';
import { type DictionaryLabels, dictionaryLabels } from '../dictionaries/dictionary-labels.js';
import { customerPage } from './customers.service.js';

const ENTITY = 'customer';

const KINDS: Record<CustomerDto['kind'], Record<Locale, string>> = {
  enterprise: { 'zh-CN': '企业客户', en: 'Company' },
  personal: { 'zh-CN': '个人客户', en: 'Individual' },
  dealer: { 'zh-CN': '经销商', en: 'Dealer' },
  supplier: { 'zh-CN': '供应商', en: 'Supplier' },
};

/** The web list's columns, by the same keys (headers as the list names them), and the lock. */
function standardColumns(locale: Locale, { label, industry }: DictionaryLabels): ExportColumn<CustomerDto>[] {
  return [
    column('name', '客户名称', 'Customer name', (c) => c.name),
    column('code', '客户编号', 'Customer no.', (c) => c.code),
    column('status', '客户状态', 'Status', (c) => label('customer_status', c.statusCode)),
    column('level', '客户级别', 'Level', (c) => label('customer_level', c.levelCode)),
    column('industry', '所属行业', 'Industry', (c) => industry(c.industryCode)),
    column('source', '客户来源', 'Source', (c) => label('customer_source', c.sourceCode)),
    column('kind', '客户类型', 'Customer type', (c) => KINDS[c.kind][locale]),
    column('region', '所在地区', 'Region', (c) => c.regionName),
    column('phone', '电话', 'Phone', (c) => c.phone),
    column('owner', '负责人', 'Owner', (c) => c.ownerName),
    column('department', '所属部门', 'Department', (c) => c.departmentName),
    column('lastFollowup', '最近跟进', 'Last follow-up', (c) => localTime(c.lastFollowupAt)),
    column('nextFollowup', '下次跟进', 'Next follow-up', (c) => localTime(c.nextFollowupAt)),
    column('tags', '标签', 'Tags', (c) => listCell(locale, c.tags)),
    column('locked', '已锁定', 'Locked', (c) => yesNo(locale, c.locked)),
    column('createdAt', '创建时间', 'Created', (c) => localTime(c.createdAt)),
    column('updatedAt', '更新时间', 'Updated', (c) => localTime(c.updatedAt)),
  ];
}

export const customerExport: ListExport<CustomerDto, CustomerExportQuery> = {
  entity: ENTITY,
  title: { 'zh-CN': '客户', en: 'Customers' },
  offered: async (actor, locale) => withCustomColumns(actor, ENTITY, standardColumns(locale, await dictionaryLabels(actor))),
  readPage: async (q, actor, page) => customerPage(q, actor, await resolveScope(q, actor, ENTITY), page),
};
