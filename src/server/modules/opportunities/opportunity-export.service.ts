/** The opportunity list as a file (CUS-16 for 商机): its columns, walked by the list's own page function. */
import type { Locale } from '../../../common/schemas/common.js';
import type { OpportunityDto, OpportunityExportQuery, OpportunityStatus } from '../../../common/schemas/opportunities.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { ExportColumn } from '../../platform/exchange/export.js';
import { exportColumn as column, type ListExport, localTime } from '../../platform/exchange/list-export.js';
import { dictionaryLabels } from '../dictionaries/dictionary-labels.js';
import { opportunityPage } from './opportunities.service.js';

const STATUSES: Record<OpportunityStatus, Record<Locale, string>> = {
  open: { 'zh-CN': '进行中', en: 'Open' },
  won: { 'zh-CN': '赢单', en: 'Won' },
  lost: { 'zh-CN': '输单', en: 'Lost' },
};

/** Amounts as numbers a spreadsheet sums (doubles: past 15 digits they round, as when typed in). */
const amount = (v: string | null) => (v === null ? null : Number(v));

/** The web list's columns, by the same keys, and the rest of an opportunity's card. */
function columns(locale: Locale, label: (kind: 'customer_source', code: string | null) => string | null): ExportColumn<OpportunityDto>[] {
  return [
    column('name', '商机名称', 'Opportunity', (o) => o.name),
    column('code', '商机编号', 'Opportunity no.', (o) => o.code),
    column('customer', '客户名称', 'Customer', (o) => o.customerName),
    column('amount', '商机金额', 'Amount', (o) => amount(o.amount)),
    column('currency', '币种', 'Currency', (o) => o.currency),
    column('amountCompany', '本位币金额', 'Amount (company currency)', (o) => amount(o.amountCompany)),
    column('pipeline', '销售流程', 'Pipeline', (o) => o.pipelineName),
    column('stage', '销售阶段', 'Stage', (o) => o.stageName),
    column('winRate', '赢率（%）', 'Win rate (%)', (o) => o.winRate),
    column('status', '状态', 'Status', (o) => STATUSES[o.status][locale]),
    column('close', '预计成交日期', 'Expected close', (o) => o.expectedCloseDate),
    column('wonAt', '赢单时间', 'Won at', (o) => localTime(o.wonAt)),
    column('lostAt', '输单时间', 'Lost at', (o) => localTime(o.lostAt)),
    column('lostReason', '输单原因', 'Lost reason', (o) => o.lostReasonName),
    column('source', '商机来源', 'Source', (o) => label('customer_source', o.sourceCode)),
    column('owner', '负责人', 'Owner', (o) => o.ownerName),
    column('department', '所属部门', 'Department', (o) => o.departmentName),
    column('createdAt', '创建时间', 'Created', (o) => localTime(o.createdAt)),
    column('updatedAt', '更新时间', 'Updated', (o) => localTime(o.updatedAt)),
  ];
}

export const opportunityExport: ListExport<OpportunityDto, OpportunityExportQuery> = {
  entity: 'opportunity',
  title: { 'zh-CN': '商机', en: 'Opportunities' },
  offered: async (actor, locale) => columns(locale, (await dictionaryLabels(actor)).label),
  readPage: async (q, actor, page) => opportunityPage(q, actor, await resolveScope(q, actor, 'opportunity'), page),
};
