/** The lead list as a file (CUS-16): its columns, walked by the list's own page function. */
import type { Locale } from '../../../common/schemas/common.js';
import type { LeadDto, LeadExportQuery, LeadStatus } from '../../../common/schemas/leads.js';
import type { ExportColumn } from '../../platform/exchange/export.js';
import { exportColumn as column, type ListExport, localTime } from '../../platform/exchange/list-export.js';
import { withCustomColumns } from '../custom-fields/custom-export.js';
import { type DictionaryLabels, dictionaryLabels } from '../dictionaries/dictionary-labels.js';
import { leadPage } from './leads.service.js';

const ENTITY = 'lead';

const STATUSES: Record<LeadStatus, Record<Locale, string>> = {
  new: { 'zh-CN': '新线索', en: 'New' },
  qualifying: { 'zh-CN': '跟进中', en: 'Qualifying' },
  converted: { 'zh-CN': '已转化', en: 'Converted' },
  invalid: { 'zh-CN': '无效', en: 'Invalid' },
};

/** The web list's columns, by the same keys (headers as the list names them), and the rest of a lead's card. */
function standardColumns(locale: Locale, { label, industry }: DictionaryLabels): ExportColumn<LeadDto>[] {
  return [
    column('name', '姓名', 'Name', (l) => l.name),
    column('code', '线索编号', 'Lead no.', (l) => l.code),
    column('company', '公司', 'Company', (l) => l.company),
    column('title', '职务', 'Job title', (l) => l.title),
    column('status', '线索状态', 'Status', (l) => STATUSES[l.status][locale]),
    column('invalidReason', '无效原因', 'Invalid reason', (l) => l.invalidReason),
    column('score', '评分', 'Score', (l) => l.score),
    column('mobile', '手机号', 'Mobile', (l) => l.mobile),
    column('phone', '电话', 'Phone', (l) => l.phone),
    column('email', '邮箱', 'Email', (l) => l.email),
    column('wechat', '微信', 'WeChat', (l) => l.wechat),
    column('source', '线索来源', 'Source', (l) => label('customer_source', l.sourceCode)),
    column('industry', '所属行业', 'Industry', (l) => industry(l.industryCode)),
    column('address', '详细地址', 'Address', (l) => l.address),
    column('owner', '负责人', 'Owner', (l) => l.ownerName),
    column('lastFollowup', '最近跟进', 'Last follow-up', (l) => localTime(l.lastFollowupAt)),
    column('nextFollowup', '下次跟进', 'Next follow-up', (l) => localTime(l.nextFollowupAt)),
    column('createdAt', '创建时间', 'Created', (l) => localTime(l.createdAt)),
    column('updatedAt', '更新时间', 'Updated', (l) => localTime(l.updatedAt)),
  ];
}

export const leadExport: ListExport<LeadDto, LeadExportQuery> = {
  entity: ENTITY,
  title: { 'zh-CN': '线索', en: 'Leads' },
  offered: async (actor, locale) => withCustomColumns(actor, ENTITY, standardColumns(locale, await dictionaryLabels(actor))),
  readPage: leadPage,
};
