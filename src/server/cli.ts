/**
 * Administration commands (run with `npm run crm -- <command> [options]`):
 *   tenant:create --code acme --name "某某公司" --admin-email a@b.c --admin-password ... [--admin-name 管理员] [--admin-mobile ...]
 *   admin:create  --email a@b.c --password ... [--name 管理员] [--mobile ...] [--company "公司名"] [--tenant code]
 *   demo:seed     create the demo company if the database has no company yet
 * They use the same configuration as the server (DATABASE_URL or CRM_DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Email, Mobile, Password } from '../common/schemas/common.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { sql } from './db/sql.js';
import { createTenant, tenantCount } from './modules/tenants/tenants.service.js';
import { hashPassword } from './platform/auth/password.js';
import { closureAdd } from './db/closure.js';
import { insertUser, setRoles } from './modules/org/users.repo.js';
import { seedDemoIfEmpty } from './seed/demo.js';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: Object.fromEntries(
    ['code', 'name', 'company', 'tenant', 'email', 'mobile', 'password', 'admin-email', 'admin-mobile', 'admin-name', 'admin-password'].map((k) => [
      k,
      { type: 'string' as const },
    ]),
  ),
});

const Admin = z
  .object({ name: z.string().min(1).default('管理员'), email: Email.optional(), mobile: Mobile.optional(), password: Password })
  .refine((a) => a.email || a.mobile, 'an --email or --mobile is needed');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const db = await openDatabase(loadConfig());
try {
  if (command === 'tenant:create') {
    const code = z.string().regex(/^[a-z0-9][a-z0-9-]{1,49}$/).safeParse(values.code);
    if (!code.success || !values.name) fail('tenant:create needs --code (lowercase letters, digits, -) and --name');
    const admin = Admin.safeParse({ name: values['admin-name'], email: values['admin-email'], mobile: values['admin-mobile'], password: values['admin-password'] });
    if (!admin.success) fail(`admin: ${admin.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const t = await createTenant(db, { code: code.data, name: values.name, admin: admin.data });
    console.log(`created company ${values.name} (code ${code.data}, id ${t.tenantId}); its administrator can sign in now`);
  } else if (command === 'admin:create') {
    const admin = Admin.safeParse({ name: values.name, email: values.email, mobile: values.mobile, password: values.password });
    if (!admin.success) fail(admin.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
    if ((await tenantCount(db)) === 0) {
      const t = await createTenant(db, { code: values.tenant ?? 'default', name: values.company ?? '我的公司', admin: admin.data });
      console.log(`created the company (id ${t.tenantId}) and its first super administrator`);
    } else {
      const tenants = await db.system((q) => q.query<{ id: number; code: string }>(sql`SELECT id, code FROM tenants ORDER BY id`));
      const tenant = values.tenant ? tenants.find((t) => t.code === values.tenant) : tenants.length === 1 ? tenants[0] : undefined;
      if (!tenant) fail(`several companies exist; choose one with --tenant (${tenants.map((t) => t.code).join(', ')})`);
      const hash = await hashPassword(admin.data.password);
      await db.tenant({ tenantId: tenant.id }, async (q) => {
        const root = (await q.one<{ id: number }>(sql`SELECT id FROM departments WHERE tenant_id = ${tenant.id} AND parent_id IS NULL`))!;
        const role = await q.one<{ id: number }>(sql`SELECT id FROM roles WHERE tenant_id = ${tenant.id} AND code = 'admin'`);
        const id = await insertUser(q, tenant.id, {
          name: admin.data.name,
          email: admin.data.email ?? null,
          mobile: admin.data.mobile ?? null,
          gender: 'unknown',
          departmentId: root.id,
          position: null,
          superiorId: null,
          isSuperAdmin: true,
          passwordHash: hash,
        });
        await closureAdd(q, 'user_closure', tenant.id, id, null);
        if (role) await setRoles(q, tenant.id, id, [role.id]);
      });
      console.log(`added a super administrator to company ${tenant.code}`);
    }
  } else if (command === 'demo:seed') {
    console.log((await seedDemoIfEmpty(db)) ? 'demo company created' : 'a company exists already; nothing done');
  } else {
    fail('commands: tenant:create, admin:create, demo:seed (see src/server/cli.ts)');
  }
} finally {
  await db.close();
}
