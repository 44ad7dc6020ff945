import { cents, lineAmount, totals } from '../../common/money.js';
import type { Queryable } from '../db/database.js';
import { sql } from '../db/sql.js';
import * as opportunities from '../modules/opportunities/opportunities.repo.js';
import * as pipelines from '../modules/opportunities/pipelines.repo.js';
import { nextNumber } from '../platform/numbering/numbering.js';
import { seededRandom } from './random.js';

const TOPICS = ['年度采购', '系统升级', '二期扩容', '设备更新', '框架协议', '试点项目', '服务续约', '新厂区配套'];

/**
 * About forty opportunities over the demo customers, owned by their owners,
 * spread over the default pipeline's stages (some won, some lost), with
 * product lines from the catalogue when it has products on the shelf.
 */
export async function seedDemoOpportunities(q: Queryable, tenantId: number, count = 40): Promise<void> {
  const rand = seededRandom(4_242_001);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const pipeline = (await pipelines.defaultPipeline(q, tenantId))!;
  const stages = await pipelines.listStages(q, tenantId, [pipeline.id]);
  const open = stages.filter((s) => s.kind === 'open');
  const won = stages.find((s) => s.kind === 'won')!;
  const lost = stages.find((s) => s.kind === 'lost')!;
  const reasons = await pipelines.listLostReasons(q, tenantId);
  const customers = await q.query<{ id: number; name: string; owner_id: number }>(sql`SELECT id, name, owner_id FROM customers
    WHERE tenant_id = ${tenantId} AND owner_id IS NOT NULL AND deleted_at IS NULL ORDER BY id LIMIT ${count}`);
  const products = await q.query<{ id: number; name: string; unit: string; price: string }>(sql`SELECT id, name, unit, price::text AS price FROM products
    WHERE tenant_id = ${tenantId} AND on_shelf AND deleted_at IS NULL ORDER BY id LIMIT 20`);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  for (const [i, c] of customers.entries()) {
    const lines = products.length
      ? Array.from({ length: 1 + Math.floor(rand() * 2) }, () => {
          const p = pick(products);
          const line = { price: p.price, quantity: String(1 + Math.floor(rand() * 10)), discount: pick(['0', '0', '5', '10']) };
          return { productId: p.id, productName: p.name, unit: p.unit, ...line, price: cents(line.price), discount: cents(line.discount), amount: lineAmount(line) };
        })
      : [];
    const amount = lines.length ? totals(lines).subtotal : cents(10_000 + Math.floor(rand() * 90) * 5_000);
    // a quarter closed (won more often than lost), the rest open along the stages
    const outcome = i % 8 === 0 ? lost : i % 4 === 0 ? won : null;
    const target = outcome ?? open[i % open.length]!;
    const id = await opportunities.insertOpportunity(q, tenantId, {
      code: await nextNumber(q, tenantId, 'opportunity'),
      name: `${c.name.replace(/(有限公司|股份有限公司|集团)$/, '')}${pick(TOPICS)}`,
      customerId: c.id,
      amount,
      currency: 'CNY',
      amountCompany: amount,
      amountOverridden: false,
      expectedCloseDate: day(outcome ? -Math.floor(rand() * 60) : 10 + Math.floor(rand() * 170)),
      sourceCode: null,
      description: null,
      pipelineId: pipeline.id,
      stageId: open[0]!.id,
      ownerId: c.owner_id,
      createdBy: c.owner_id,
    });
    await opportunities.replaceLines(q, tenantId, id, lines);
    await opportunities.insertStageHistory(q, tenantId, { opportunityId: id, from: null, to: open[0]!, note: null, by: c.owner_id });
    let from = open[0]!;
    for (const s of [...open.slice(1, outcome ? 1 + Math.floor(rand() * open.length) : open.indexOf(target) + 1), ...(outcome ? [outcome] : [])]) {
      await opportunities.insertStageHistory(q, tenantId, { opportunityId: id, from, to: s, note: s === lost ? '客户选择了其他供应商' : null, by: c.owner_id });
      from = s;
    }
    if (target !== open[0]) {
      const lostReasonId = outcome === lost ? pick(reasons).id : null;
      await opportunities.setStage(q, tenantId, id, { stageId: target.id, status: target.kind, lostReasonId, lostNote: lostReasonId ? '客户选择了其他供应商' : null });
    }
  }
}
