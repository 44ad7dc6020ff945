import { add, lineAmount, percentBelow, sub, totals } from '../../common/money.js';
import type { QuoteStatus } from '../../common/schemas/quotes.js';
import type { Queryable } from '../db/database.js';
import { sql } from '../db/sql.js';
import * as approvals from '../modules/approvals/approvals.repo.js';
import * as quotes from '../modules/quotes/quotes.repo.js';
import { nextNumber } from '../platform/numbering/numbering.js';

/**
 * The quote approval flow (the submitter's superior, 或签) and quotes for the
 * first open demo opportunities, one per status a rep meets: a draft within
 * the limit, one beyond it (to submit), sent, accepted, and a rejected one
 * with its second version in draft.
 */
export async function seedDemoQuotes(q: Queryable, tenantId: number): Promise<void> {
  const tpl = await approvals.insertTemplate(q, tenantId, { businessType: 'quote', name: '报价折扣审批', enabled: true, priority: 0, condition: null });
  await approvals.replaceSteps(q, tenantId, tpl, [{ name: '直属上级审批', approverKind: 'superior', approverIds: [], levels: 1, mode: 'any', condition: null }]);

  const open = await q.query<{ id: number; name: string; customer_id: number; owner_id: number; department_id: number | null; currency: string }>(sql`
    SELECT o.id, o.name, o.customer_id, o.owner_id, o.department_id, o.currency::text FROM opportunities o
    WHERE o.tenant_id = ${tenantId} AND o.status = 'open' AND o.deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM opportunity_lines l WHERE l.tenant_id = o.tenant_id AND l.opportunity_id = o.id)
    ORDER BY o.id LIMIT 5`);
  const plans: { status: QuoteStatus; lineDiscount: string; discount: string }[] = [
    { status: 'draft', lineDiscount: '5', discount: '0' },
    { status: 'draft', lineDiscount: '15', discount: '3' },
    { status: 'sent', lineDiscount: '8', discount: '0' },
    { status: 'accepted', lineDiscount: '0', discount: '5' },
    { status: 'rejected', lineDiscount: '0', discount: '0' },
  ];
  const validUntil = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  for (const [i, o] of open.entries()) {
    const plan = plans[i]!;
    const rows = await q.query<{ product_id: number; product_name: string; unit: string; quantity: string; price: string }>(sql`
      SELECT product_id, product_name, unit, quantity::text, price::text FROM opportunity_lines
      WHERE tenant_id = ${tenantId} AND opportunity_id = ${o.id} ORDER BY sort, id`);
    const lines: quotes.QuoteLine[] = rows.map((l) => ({
      productId: l.product_id, productName: l.product_name, unit: l.unit, quantity: l.quantity, price: l.price, listPrice: l.price,
      discount: plan.lineDiscount, amount: lineAmount({ price: l.price, quantity: l.quantity, discount: plan.lineDiscount }),
    }));
    const t = totals(lines, { discount: plan.discount, taxRate: '13' });
    const listTotal = add(...lines.map((l) => lineAmount({ price: l.listPrice, quantity: l.quantity })));
    const values: quotes.QuoteValues = {
      name: `${o.name}报价`, customerId: o.customer_id, opportunityId: o.id, ownerId: o.owner_id, departmentId: o.department_id, currency: o.currency,
      discount: plan.discount, taxRate: '13', amount: t.total, amountCompany: t.total, listTotal, effectiveDiscount: percentBelow(listTotal, sub(t.subtotal, t.discountAmount)),
      validUntil, terms: '1. 报价含 13% 增值税。\n2. 合同签订后 7 个工作日内预付 30%。\n3. 本报价有效期 30 天。',
    };
    const code = await nextNumber(q, tenantId, 'quote');
    const id = await quotes.insertQuote(q, tenantId, { code, version: 1, rootId: null, createdBy: o.owner_id }, values);
    await quotes.replaceLines(q, tenantId, id, lines);
    // a sent quote carries its sending time; an answered one was sent first
    if (plan.status !== 'draft') await quotes.setStatus(q, tenantId, id, 'sent');
    if (plan.status === 'accepted' || plan.status === 'rejected') await quotes.setStatus(q, tenantId, id, plan.status);
    if (plan.status === 'rejected') {
      // the customer asked for a better price: version 2, 5 % off the whole quote, still a draft
      const t2 = totals(lines, { discount: '5', taxRate: '13' });
      const v2 = await quotes.insertQuote(q, tenantId, { code, version: 2, rootId: id, createdBy: o.owner_id }, {
        ...values, discount: '5', amount: t2.total, amountCompany: t2.total, effectiveDiscount: percentBelow(listTotal, sub(t2.subtotal, t2.discountAmount)),
      });
      await quotes.replaceLines(q, tenantId, v2, lines);
      await quotes.supersede(q, tenantId, id);
    }
  }
}
