import { add } from '../../common/money.js';
import type { Queryable } from '../db/database.js';
import { sql } from '../db/sql.js';
import { today } from '../modules/currencies/currencies.service.js';
import { replaceGrid, type Subject } from '../modules/targets/targets.repo.js';

/** Monthly targets of a demo sales rep or manager (company currency). */
const PER_PERSON = { contract_amount: '80000', receivable_amount: '60000' } as const;

/**
 * This year's monthly targets for the demo's sales reps and managers, and for
 * their departments up to the company (the sum of the people below), so the
 * demo dashboard shows KPIs at every level. Quarters and the year follow from
 * the months.
 */
export async function seedDemoTargets(q: Queryable, tenantId: number): Promise<void> {
  const year = Number(today().slice(0, 4));
  const people = await q.query<{ id: number; department_id: number }>(sql`SELECT DISTINCT u.id, u.department_id FROM users u
    JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
    JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
    WHERE u.tenant_id = ${tenantId} AND r.code IN ('sales_rep', 'sales_manager') ORDER BY u.id`);
  // every department above a person (itself included) gets the sum of its people's targets
  const above = await q.query<{ ancestor_id: number; people: number }>(sql`SELECT dc.ancestor_id, count(*)::int AS people FROM department_closure dc
    JOIN unnest(${people.map((p) => p.department_id)}::bigint[]) AS d(id) ON dc.descendant_id = d.id
    WHERE dc.tenant_id = ${tenantId} GROUP BY dc.ancestor_id`);
  const subjects: [Subject, number][] = [
    ...people.map((p): [Subject, number] => [{ type: 'user', id: p.id }, 1]),
    ...above.map((d): [Subject, number] => [{ type: 'department', id: d.ancestor_id }, d.people]),
  ];
  for (const [subject, n] of subjects) {
    for (const metric of ['contract_amount', 'receivable_amount'] as const) {
      const amount = add(...Array.from({ length: n }, () => PER_PERSON[metric]));
      const cells = Array.from({ length: 12 }, (_, i) => ({ kind: 'month' as const, period: i + 1, amount }));
      await replaceGrid(q, tenantId, { subject, metric, year, cells, by: people[0]!.id });
    }
  }
}
