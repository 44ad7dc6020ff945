/**
 * The demo company's customer data beyond names and owners: classification,
 * regions, contacts, follow-ups (some due soon), a public pool with rules and
 * customers in it, and leads — so every page has something to show. Set-based
 * SQL with a fixed seed: every demo start looks the same.
 */
import type { Queryable } from '../db/database.js';
import { sql } from '../db/sql.js';
import { pinyinKeys } from '../platform/search/text-match.js';
import { seededRandom } from './random.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '志强', '晓燕'];
const TITLES = ['总经理', '采购经理', '技术总监', '财务经理', '行政主管', '项目经理', '副总裁', '销售总监'];
const ROLES = ['decision_maker', 'influencer', 'user', 'finance', 'purchasing'];
/** Province, city and district codes of a few big cities. */
const REGIONS: [string, string, string][] = [
  ['110000', '110100', '110108'],
  ['310000', '310100', '310115'],
  ['440000', '440100', '440106'],
  ['440000', '440300', '440305'],
  ['330000', '330100', '330106'],
  ['320000', '320100', '320105'],
  ['510000', '510100', '510107'],
  ['420000', '420100', '420106'],
];
const FOLLOWUP_TEXTS = [
  '电话沟通了采购计划，客户下月启动招标',
  '上门拜访，演示了产品，对方技术负责人比较认可',
  '发送了报价单和产品资料',
  '微信沟通交付周期，客户希望提前两周',
  '客户反馈预算有所压缩，需要调整方案',
  '约了下周三再次拜访，带上实施顾问',
];

export async function seedDemoCustomerData(q: Queryable, tenantId: number, users: Record<string, number>): Promise<void> {
  const rand = seededRandom(7_654_321);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const customers = await q.query<{ id: number; owner_id: number }>(sql`SELECT id, owner_id FROM customers WHERE tenant_id = ${tenantId} ORDER BY id`);

  // classification, region, phone and tags
  const ids = customers.map((c) => c.id);
  const region = customers.map(() => pick(REGIONS));
  await q.query(sql`UPDATE customers c SET
      industry_code = d.industry, source_code = d.source, level_code = d.level, status_code = d.status,
      province_code = d.province, city_code = d.city, district_code = d.district, phone = d.phone, tags = d.tags::text[]
    FROM unnest(${ids}::bigint[], ${customers.map(() => pick(['software', 'internet', 'machinery', 'electronics', 'trade', 'finance', 'education', 'healthcare']))}::text[],
                ${customers.map(() => pick(['referral', 'website', 'exhibition', 'cold_call', 'advertising', 'partner']))}::text[],
                ${customers.map(() => pick(['a', 'b', 'b', 'c', 'c', 'd']))}::text[],
                ${customers.map(() => pick(['new', 'following', 'following', 'won', 'paused']))}::text[],
                ${region.map((r) => r[0])}::text[], ${region.map((r) => r[1])}::text[], ${region.map((r) => r[2])}::text[],
                ${customers.map((_, i) => `0${pick(['10', '21', '20', '755', '571', '25', '28', '27'])}-${String(60_000_000 + i * 7919).slice(0, 8)}`)}::text[],
                ${customers.map(() => `{${rand() < 0.3 ? '重点客户' : rand() < 0.5 ? '老客户' : ''}}`)}::text[])
      AS d(id, industry, source, level, status, province, city, district, phone, tags)
    WHERE c.tenant_id = ${tenantId} AND c.id = d.id`);

  // one or two contacts per customer, the first primary
  const contacts: { customer: number; name: string; title: string; role: string; mobile: string; primary: boolean }[] = [];
  customers.forEach((c, i) => {
    const n = rand() < 0.4 ? 2 : 1;
    for (let k = 0; k < n; k++) {
      contacts.push({ customer: c.id, name: pick(SURNAMES) + pick(GIVEN), title: pick(TITLES), role: pick(ROLES), mobile: `139${String(10_000_000 + i * 10 + k).padStart(8, '0')}`, primary: k === 0 });
    }
  });
  const keys = contacts.map((k) => pinyinKeys(k.name));
  await q.query(sql`INSERT INTO contacts (tenant_id, code, customer_id, name, title, role_code, mobile, is_primary, lifecycle, pinyin_full, pinyin_initials)
    SELECT ${tenantId}, 'LXR' || lpad(k.ord::text, 6, '0'), k.customer_id, k.name, k.title, k.role, k.mobile, k.is_primary, 'active', k.py_full, k.py_initials
    FROM unnest(${contacts.map((k) => k.customer)}::bigint[], ${contacts.map((k) => k.name)}::text[], ${contacts.map((k) => k.title)}::text[],
                ${contacts.map((k) => k.role)}::text[], ${contacts.map((k) => k.mobile)}::text[], ${contacts.map((k) => k.primary)}::boolean[],
                ${keys.map((k) => k.full)}::text[], ${keys.map((k) => k.initials)}::text[])
      WITH ORDINALITY AS k(customer_id, name, title, role, mobile, is_primary, py_full, py_initials, ord)`);
  await q.query(sql`INSERT INTO contact_links (tenant_id, contact_id, customer_id, title, started_at)
    SELECT tenant_id, id, customer_id, title, created_at FROM contacts WHERE tenant_id = ${tenantId}`);

  // follow-ups over the last two months by the owners; a few with a next contact in the coming days
  const followups: { customer: number; by: number; daysAgo: number; type: string; text: string; nextInDays: number | null }[] = [];
  for (const c of customers) {
    const n = Math.floor(rand() * 4);
    for (let k = 0; k < n; k++) {
      followups.push({
        customer: c.id, by: c.owner_id, daysAgo: Math.floor(rand() * 60) + 1, type: pick(['phone', 'visit', 'email', 'wechat']), text: pick(FOLLOWUP_TEXTS),
        nextInDays: k === n - 1 && rand() < 0.35 ? Math.floor(rand() * 9) - 2 : null,
      });
    }
  }
  await q.query(sql`INSERT INTO followups (tenant_id, entity_type, entity_id, customer_id, contact_id, type_code, content, next_contact_at, created_by, created_at)
    SELECT ${tenantId}, 'customer', f.customer_id, f.customer_id,
           (SELECT id FROM contacts k WHERE k.tenant_id = ${tenantId} AND k.customer_id = f.customer_id AND k.is_primary),
           f.type, f.content, CASE WHEN f.next_days IS NOT NULL THEN date_trunc('hour', now()) + make_interval(days => f.next_days, hours => 10) END,
           f.by, now() - make_interval(days => f.days_ago, hours => f.days_ago % 8)
    FROM unnest(${followups.map((f) => f.customer)}::bigint[], ${followups.map((f) => f.by)}::bigint[], ${followups.map((f) => f.daysAgo)}::int[],
                ${followups.map((f) => f.type)}::text[], ${followups.map((f) => f.text)}::text[], ${followups.map((f) => f.nextInDays)}::int[])
      AS f(customer_id, by, days_ago, type, content, next_days)`);
  await q.query(sql`UPDATE customers c SET
      last_followup_at = (SELECT max(created_at) FROM followups f WHERE f.tenant_id = c.tenant_id AND f.customer_id = c.id),
      next_followup_at = (SELECT min(next_contact_at) FROM followups f WHERE f.tenant_id = c.tenant_id AND f.customer_id = c.id AND f.next_contact_at IS NOT NULL)
    WHERE c.tenant_id = ${tenantId}`);

  // the public pool of the sales centre, with the usual rules, and 20 customers waiting in it
  const pool = (await q.one<{ id: number }>(sql`INSERT INTO pools (tenant_id, name, max_owned, max_claims_per_day, reclaim_delay_days, reminder_days, protection_limit, protection_days)
    VALUES (${tenantId}, '销售公海', 150, 5, 7, 3, 5, 30) RETURNING id`))!.id;
  await q.query(sql`INSERT INTO pool_members (tenant_id, pool_id, member_type, member_id, is_admin)
    SELECT ${tenantId}::bigint, ${pool}::bigint, 'department', id, false FROM departments WHERE tenant_id = ${tenantId} AND name = '销售中心'
    UNION ALL SELECT ${tenantId}::bigint, ${pool}::bigint, 'user', unnest(${[users.director!, users.manager1!, users.manager2!]}::bigint[]), true`);
  await q.query(sql`INSERT INTO pool_rules (tenant_id, pool_id, kind, level_code, days)
    VALUES (${tenantId}, ${pool}, 'no_followup', NULL, 30), (${tenantId}, ${pool}, 'no_followup', 'a', 60), (${tenantId}, ${pool}, 'never_contacted', NULL, 7)`);
  const pooled = customers.filter((_, i) => i % 15 === 7).map((c) => c.id);
  await q.query(sql`UPDATE customer_owners SET ended_at = now() - interval '10 days', ended_by = 'return'
    WHERE tenant_id = ${tenantId} AND customer_id = ANY(${pooled}::bigint[]) AND ended_at IS NULL`);
  await q.query(sql`UPDATE customers SET owner_id = NULL, owner_since = NULL, pool_id = ${pool}, pooled_at = now() - interval '10 days'
    WHERE tenant_id = ${tenantId} AND id = ANY(${pooled}::bigint[])`);
  // the others start their ownership today, so the nightly rules do not empty the demo at once
  await q.query(sql`UPDATE customers SET owner_since = now() WHERE tenant_id = ${tenantId} AND owner_id IS NOT NULL`);

  // leads: most with an owner, some waiting to be assigned
  const reps = ['rep1', 'rep2', 'rep3', 'rep4', 'rep5'].map((k) => users[k]!);
  const leads = Array.from({ length: 40 }, (_, i) => ({
    name: pick(SURNAMES) + pick(['先生', '女士', '经理', '总']),
    company: `${pick(['北京', '上海', '深圳', '成都', '杭州'])}${pick(['星河', '远航', '青松', '长风', '明德'])}${pick(['科技', '贸易', '制造'])}有限公司`,
    mobile: `137${String(20_000_000 + i * 37).padStart(8, '0')}`,
    source: pick(['website', 'exhibition', 'advertising', 'cold_call']),
    status: pick(['new', 'new', 'qualifying', 'invalid']),
    owner: i % 8 === 0 ? null : pick(reps),
  }));
  const leadKeys = leads.map((l) => pinyinKeys(l.name));
  await q.query(sql`INSERT INTO leads (tenant_id, code, name, company, mobile, source_code, status, invalid_reason, owner_id, department_id, score, pinyin_full, pinyin_initials, created_at, updated_at)
    SELECT ${tenantId}, 'XS' || lpad(l.ord::text, 6, '0'), l.name, l.company, l.mobile, l.source, l.status,
           CASE WHEN l.status = 'invalid' THEN '联系不上' END, l.owner, u.department_id, 10 + (l.ord * 7) % 40, l.py_full, l.py_initials,
           now() - make_interval(days => ((l.ord * 3) % 30)::int), now() - make_interval(days => ((l.ord * 2) % 20)::int)
    FROM unnest(${leads.map((l) => l.name)}::text[], ${leads.map((l) => l.company)}::text[], ${leads.map((l) => l.mobile)}::text[],
                ${leads.map((l) => l.source)}::text[], ${leads.map((l) => l.status)}::text[], ${leads.map((l) => l.owner)}::bigint[],
                ${leadKeys.map((k) => k.full)}::text[], ${leadKeys.map((k) => k.initials)}::text[])
      WITH ORDINALITY AS l(name, company, mobile, source, status, owner, py_full, py_initials, ord)
    LEFT JOIN users u ON u.tenant_id = ${tenantId} AND u.id = l.owner`);
}
