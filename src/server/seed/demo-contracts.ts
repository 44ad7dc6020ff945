import { split } from '../../common/money.js';
import type { Queryable } from '../db/database.js';
import { sql } from '../db/sql.js';
import * as contracts from '../modules/contracts/contracts.repo.js';
import * as receivables from '../modules/contracts/receivables.repo.js';
import { nextNumber } from '../platform/numbering/numbering.js';

/**
 * A contract for each won demo opportunity, in effect, with its lines, a
 * payment plan of three monthly instalments from two months ago, and the
 * first one or two received: the demo shows paid, outstanding and overdue money.
 */
export async function seedDemoContracts(q: Queryable, tenantId: number): Promise<void> {
  const won = await q.query<{ id: number; name: string; customer_id: number; owner_id: number; department_id: number | null; amount: string; currency: string; amount_company: string }>(sql`
    SELECT o.id, o.name, o.customer_id, o.owner_id, o.department_id, o.amount::text, o.currency::text, o.amount_company::text
    FROM opportunities o WHERE o.tenant_id = ${tenantId} AND o.status = 'won' AND o.deleted_at IS NULL ORDER BY o.id`);
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  for (const [i, o] of won.entries()) {
    const code = await nextNumber(q, tenantId, 'contract');
    const id = await contracts.insertContract(q, tenantId, code, {
      name: `${o.name}合同`, customerId: o.customer_id, opportunityId: o.id, ownerId: o.owner_id, departmentId: o.department_id, currency: o.currency,
      amount: o.amount, amountCompany: o.amount_company, signedOn: day(-70), startsOn: day(-60), endsOn: day(300 - i * 20), discount: '0', taxRate: '0',
    }, o.owner_id);
    const lines = await q.query<{ product_id: number; product_name: string; unit: string; quantity: string; price: string; discount: string; amount: string }>(sql`
      SELECT product_id, product_name, unit, quantity::text, price::text, discount::text, amount::text FROM opportunity_lines
      WHERE tenant_id = ${tenantId} AND opportunity_id = ${o.id} ORDER BY sort, id`);
    await contracts.replaceLines(q, tenantId, id, lines.map((l) => ({ productId: l.product_id, productName: l.product_name, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount, amount: l.amount })));
    await contracts.setStatus(q, tenantId, id, 'active', 'executing');
    const parts = split(o.amount, 3);
    await receivables.insertPlans(q, tenantId, id, parts.map((amount, k) => ({ dueOn: day(-60 + k * 30), amount, method: 'bank_transfer', remindDays: 3, note: null })), o.owner_id);
    const plans = await receivables.listPlans(q, tenantId, id);
    // every contract got its first instalment; every other one its second too
    for (const p of plans.slice(0, i % 2 === 0 ? 2 : 1)) {
      const rid = await receivables.insertReceivable(q, tenantId, {
        code: await nextNumber(q, tenantId, 'receivable'), contractId: id, customerId: o.customer_id, ownerId: o.owner_id, createdBy: o.owner_id,
        planId: p.id, amount: p.amount, amountCompany: p.amount, receivedOn: p.due_on, method: 'bank_transfer',
      });
      await receivables.setReceivableStatus(q, tenantId, rid, 'approved');
    }
  }
}
