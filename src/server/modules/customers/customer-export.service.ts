/**
 * The customer list as a file (CUS-16): the list's own query and scope, walked
 * page by page with its keyset cursor, so an export holds exactly what the
 * list shows and never more than one page in memory.
 */
import type { Locale } from '../../../common/schemas/common.js';
import type { CustomerDto, CustomerExportQuery } from '../../../common/schemas/customers.js';
import type { DictionaryItemDto, DictionaryKind } from '../../../common/schemas/dictionaries.js';
import type { ExportFormat } from '../../../common/schemas/exchange.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import type { Cell } from '../../platform/exchange/cell.js';
import { type ExportColumn, pickColumns, writeExport } from '../../platform/exchange/export.js';
import type { ByteSink } from '../../platform/exchange/zip.js';
import { customExportColumns } from '../custom-fields/custom-export.js';
import { listFields } from '../custom-fields/custom-fields.service.js';
import { listDictionaries } from '../dictionaries/dictionaries.service.js';
import { customerPage } from './customers.service.js';

const ENTITY = 'customer';
/** Rows read per transaction: each page in its own short one, so a slow download holds no connection. */
export const EXPORT_PAGE_SIZE = 1000;
/** Times as the company reads them (the server does not know each user's zone yet). */
const TIME_ZONE = 'Asia/Shanghai';

const TITLE: Record<Locale, string> = { 'zh-CN': '客户', en: 'Customers' };
const KINDS: Record<CustomerDto['kind'], Record<Locale, string>> = {
  enterprise: { 'zh-CN': '企业客户', en: 'Company' },
  personal: { 'zh-CN': '个人客户', en: 'Individual' },
  dealer: { 'zh-CN': '经销商', en: 'Dealer' },
  supplier: { 'zh-CN': '供应商', en: 'Supplier' },
};
const YES_NO: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], en: ['Yes', 'No'] };

const timeFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
/** '2026-12-07 09:30' in the company's zone. */
const localTime = (iso: string | null) => (iso ? timeFormat.format(new Date(iso)) : null);

/** Dictionary codes as their labels; an industry with its parent ('制造业 / 汽车制造'), as the list shows it. */
function dictionaryLabels(dicts: Record<DictionaryKind, DictionaryItemDto[]>) {
  const items = new Map(Object.entries(dicts).flatMap(([kind, list]) => list.map((i) => [`${kind}:${i.code}`, i] as const)));
  const label = (kind: DictionaryKind, code: string | null) => (code === null ? null : (items.get(`${kind}:${code}`)?.label ?? code));
  const industry = (code: string | null) => {
    const parent = code === null ? null : items.get(`industry:${code}`)?.parentCode;
    return parent ? `${label('industry', parent)} / ${label('industry', code)}` : label('industry', code);
  };
  return { label, industry };
}

const column = (key: string, zh: string, en: string, value: (c: CustomerDto) => Cell): ExportColumn<CustomerDto> => ({ key, header: { 'zh-CN': zh, en }, value });

/** The web list's columns, by the same keys (headers as the list names them), and the lock. */
function standardColumns(locale: Locale, dicts: ReturnType<typeof dictionaryLabels>): ExportColumn<CustomerDto>[] {
  const { label, industry } = dicts;
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
    column('tags', '标签', 'Tags', (c) => c.tags.join(locale === 'zh-CN' ? '、' : ', ')),
    column('locked', '已锁定', 'Locked', (c) => YES_NO[locale][c.locked ? 0 : 1]),
    column('createdAt', '创建时间', 'Created', (c) => localTime(c.createdAt)),
    column('updatedAt', '更新时间', 'Updated', (c) => localTime(c.updatedAt)),
  ];
}

/** The list's pages, each read in its own transaction with the scope resolved afresh. */
async function* customerBatches(actor: Actor, filters: Omit<CustomerExportQuery, 'format' | 'columns'>): AsyncGenerator<CustomerDto[]> {
  let cursor: string | undefined;
  do {
    const page = await actor.tx(async (q) => customerPage(q, actor, await resolveScope(q, actor, ENTITY), { ...filters, limit: EXPORT_PAGE_SIZE, cursor }));
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export interface PreparedExport {
  file: { name: string; format: ExportFormat };
  /** Writes the file to `sink`, then the operation log entry. */
  write(sink: ByteSink): Promise<void>;
}

/**
 * Checks the request (columns) and returns the export to stream; everything
 * that can be refused is refused here, before the response starts.
 */
export async function prepareCustomerExport(actor: Actor, query: CustomerExportQuery, locale: Locale): Promise<PreparedExport> {
  const { format, columns: keys, ...filters } = query;
  const dicts = dictionaryLabels(await listDictionaries(actor));
  const offered = [...standardColumns(locale, dicts), ...customExportColumns<CustomerDto>(await listFields(actor, ENTITY))];
  const columns = pickColumns(offered, keys);
  const name = `${TITLE[locale]}_${timeFormat.format(new Date()).slice(0, 10).replace(/-/g, '')}.${format}`;
  return {
    file: { name, format },
    async write(sink) {
      let rows = 0;
      async function* counted() {
        for await (const batch of customerBatches(actor, filters)) {
          rows += batch.length;
          yield batch;
        }
      }
      let failure: unknown;
      await writeExport(sink, { format, locale, title: TITLE[locale], columns, batches: counted() }).catch((err: unknown) => {
        failure = err;
      });
      // logged even when the download broke off: the rows read may have left already
      await actor.tx((q) =>
        recordChange(q, actor, {
          entity: ENTITY,
          recordId: null,
          recordName: name,
          action: 'export',
          changes: [
            { field: 'rows', before: null, after: rows },
            { field: 'format', before: null, after: format },
            { field: 'columns', before: null, after: columns.map((c) => c.key) },
            { field: 'filters', before: null, after: filters },
            ...(failure ? [{ field: 'completed', before: null, after: false }] : []),
          ],
        }),
      );
      if (failure) throw failure;
    },
  };
}
