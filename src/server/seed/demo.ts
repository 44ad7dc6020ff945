import { closureAdd } from '../db/closure.js';
import type { Database } from '../db/database.js';
import { pinyinKeys } from '../platform/search/text-match.js';
import { sql } from '../db/sql.js';
import { insertDepartment } from '../modules/org/departments.repo.js';
import { insertUser, setRoles } from '../modules/org/users.repo.js';
import { createTenant, tenantCount } from '../modules/tenants/tenants.service.js';
import { hashPassword } from '../platform/auth/password.js';
import { seedDemoCustomerData } from './demo-customers.js';
import { seedDemoProductData } from './demo-products.js';
import { seedDemoContracts } from './demo-contracts.js';
import { seedDemoQuotes } from './demo-quotes.js';
import { seedDemoTargets } from './demo-targets.js';
import { seedDemoOpportunities } from './demo-opportunities.js';
import { seededRandom } from './random.js';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_TENANT = { code: 'demo', name: '云帆科技（演示）' };

/** The demo sign-ins, as printed at start-up and listed in the README. */
export const DEMO_USERS = [
  { key: 'admin', name: '管理员', email: 'admin@demo.local', mobile: '13800000001', dept: 'root', role: 'admin', superior: null, title: '系统管理员' },
  { key: 'director', name: '王建国', email: 'director@demo.local', mobile: '13800000002', dept: 'sales', role: 'sales_director', superior: null, title: '销售总监' },
  { key: 'manager1', name: '李明', email: 'manager1@demo.local', mobile: '13800000003', dept: 'sales1', role: 'sales_manager', superior: 'director', title: '销售一部经理' },
  { key: 'manager2', name: '赵丽', email: 'manager2@demo.local', mobile: '13800000004', dept: 'sales2', role: 'sales_manager', superior: 'director', title: '销售二部经理' },
  { key: 'rep1', name: '张伟', email: 'rep1@demo.local', mobile: '13800000005', dept: 'sales1', role: 'sales_rep', superior: 'manager1', title: '销售代表' },
  { key: 'rep2', name: '刘洋', email: 'rep2@demo.local', mobile: '13800000006', dept: 'sales1', role: 'sales_rep', superior: 'manager1', title: '销售代表' },
  { key: 'rep3', name: '陈静', email: 'rep3@demo.local', mobile: '13800000007', dept: 'sales2', role: 'sales_rep', superior: 'manager2', title: '销售代表' },
  { key: 'rep4', name: '杨磊', email: 'rep4@demo.local', mobile: '13800000008', dept: 'sales2', role: 'sales_rep', superior: 'manager2', title: '销售代表' },
  { key: 'rep5', name: '黄芳', email: 'rep5@demo.local', mobile: '13800000009', dept: 'sales2', role: 'sales_rep', superior: 'manager2', title: '销售代表' },
  { key: 'service', name: '周敏', email: 'service@demo.local', mobile: '13800000010', dept: 'service', role: 'service_agent', superior: null, title: '客服专员' },
  { key: 'marketing', name: '吴刚', email: 'marketing@demo.local', mobile: '13800000011', dept: 'marketing', role: 'marketing', superior: null, title: '市场专员' },
  { key: 'finance', name: '郑爽', email: 'finance@demo.local', mobile: '13800000012', dept: 'finance', role: 'finance', superior: null, title: '财务' },
] as const;

const DEPARTMENTS = [
  { key: 'sales', name: '销售中心', parent: 'root' },
  { key: 'sales1', name: '销售一部', parent: 'sales' },
  { key: 'sales2', name: '销售二部', parent: 'sales' },
  { key: 'service', name: '客服部', parent: 'root' },
  { key: 'marketing', name: '市场部', parent: 'root' },
  { key: 'finance', name: '财务部', parent: 'root' },
] as const;

const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '西安', '苏州', '天津', '重庆', '长沙', '青岛', '厦门', '合肥'];
const WORDS = ['云帆', '华信', '恒达', '鼎盛', '启明', '新元', '博远', '嘉禾', '瑞丰', '中科', '金石', '天成', '宏图', '海纳', '星辰', '同创', '汇通', '锦程', '正泰', '联创'];
const TRADES = ['科技', '软件', '贸易', '电子', '机械', '医药', '物流', '建材', '食品', '教育', '咨询', '传媒', '环保', '新能源', '信息技术'];
const FORMS = ['有限公司', '股份有限公司', '集团有限公司', '有限责任公司'];

export function companyName(rand: () => number, i: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  // the running number keeps names unique without looking machine-made
  return `${pick(CITIES)}${pick(WORDS)}${pick(TRADES)}${pick(FORMS)}${i >= 200 ? `（${pick(['华东', '华南', '华北', '西南'])}${i}）` : ''}`;
}

/**
 * Creates the demo company when the database has no company yet. Returns
 * false when there already was one.
 */
export async function seedDemoIfEmpty(db: Database, customers = 300): Promise<boolean> {
  if ((await tenantCount(db)) > 0) return false;
  const admin = DEMO_USERS[0];
  const created = await createTenant(db, {
    ...DEMO_TENANT,
    admin: { name: admin.name, email: admin.email, mobile: admin.mobile, password: DEMO_PASSWORD },
  });
  const { tenantId } = created;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.tenant({ tenantId }, async (q) => {
    const depts: Record<string, number> = { root: created.rootDepartmentId };
    for (const d of DEPARTMENTS) {
      depts[d.key] = await insertDepartment(q, tenantId, { name: d.name, parentId: depts[d.parent] });
      await closureAdd(q, 'department_closure', tenantId, depts[d.key], depts[d.parent]);
    }
    const users: Record<string, number> = { admin: created.adminId };
    for (const u of DEMO_USERS.slice(1)) {
      const superiorId = u.superior ? users[u.superior] : null;
      // one hash for all demo users: they share the published demo password anyway
      users[u.key] = await insertUser(q, tenantId, {
        name: u.name,
        email: u.email,
        mobile: u.mobile,
        gender: 'unknown',
        departmentId: depts[u.dept],
        position: u.title,
        superiorId,
        isSuperAdmin: false,
        passwordHash,
      });
      await closureAdd(q, 'user_closure', tenantId, users[u.key], superiorId);
      await setRoles(q, tenantId, users[u.key], [created.roleIds[u.role]]);
    }
    const owners = ['rep1', 'rep1', 'rep2', 'rep2', 'rep3', 'rep3', 'rep4', 'rep5', 'rep5', 'manager1', 'manager2'].map((k) => users[k]);
    const rand = seededRandom(20261123);
    const names: string[] = [];
    const ownerIds: number[] = [];
    const ages: number[] = [];
    const seen = new Set<string>();
    for (let i = 0; names.length < customers; i++) {
      const name = companyName(rand, i);
      if (seen.has(name)) continue;
      seen.add(name);
      names.push(name);
      ownerIds.push(owners[Math.floor(rand() * owners.length)]);
      ages.push(Math.floor(rand() * 365 * 24 * 60));
    }
    const keys = names.map(pinyinKeys);
    await q.query(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id, created_by, created_at, updated_at, owner_since, pinyin_full, pinyin_initials)
      SELECT ${tenantId}, 'KH' || lpad(n.ord::text, 6, '0'), n.name, n.owner_id, u.department_id, n.owner_id,
             now() - make_interval(mins => n.age), now() - make_interval(mins => n.age / 2), now() - make_interval(mins => n.age), n.py_full, n.py_initials
      FROM unnest(${names}::text[], ${ownerIds}::bigint[], ${ages}::int[], ${keys.map((k) => k.full)}::text[], ${keys.map((k) => k.initials)}::text[])
        WITH ORDINALITY AS n(name, owner_id, age, py_full, py_initials, ord)
      JOIN users u ON u.tenant_id = ${tenantId} AND u.id = n.owner_id`);
    await q.query(sql`INSERT INTO customer_owners (tenant_id, customer_id, user_id, started_at, acquired_via)
      SELECT tenant_id, id, owner_id, owner_since, 'create' FROM customers WHERE tenant_id = ${tenantId}`);
    await seedDemoCustomerData(q, tenantId, users);
    await seedDemoProductData(q, tenantId);
    await seedDemoOpportunities(q, tenantId);
    await seedDemoContracts(q, tenantId);
    await seedDemoQuotes(q, tenantId);
    await seedDemoTargets(q, tenantId);
  });
  return true;
}
