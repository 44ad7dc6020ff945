/**
 * Data scopes against a reference model: generated department trees, superior
 * chains, roles with scopes and permissions, customers with owners, team members
 * and shares. For every user, list, count, detail, update and delete through the
 * HTTP API must allow exactly what the model allows; and the contacts of those
 * customers, their attachments, quick search, and leads (same owners, same
 * scope) likewise. Each customer also has an opportunity, owned by the next
 * customer's owner, with the same team and share entries: its list, count,
 * detail, board, forecast and funnel must show exactly what the model shows.
 * Contracts, receivables and quotes follow their owners' scopes; every figure of
 * the dashboard (brief, funnel, trend), for the viewer and narrowed to one
 * user, counts exactly the records of the owners the viewer's scopes reach.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATA_SCOPE_KEYS, type DataScope, type Permission } from '../src/common/permissions.js';
import type { ApiClient } from './helpers/api.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buildOrg, type OrgSpec, signedInAs } from './helpers/fixtures.js';
import { ScopeModel } from './helpers/scope-model.js';
import { sql } from '../src/server/db/sql.js';
import { today } from '../src/server/modules/currencies/currencies.service.js';

const RUNS = Number(process.env.CRM_PROPERTY_RUNS ?? 200);
/** The company's calendar day (contracts and receivables are dated so this year's dashboard counts them). */
const TODAY = today();

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const CUSTOMER_PERMISSIONS: Permission[] = ['customer.view', 'customer.edit', 'customer.delete', 'contact.view', 'lead.view', 'opportunity.view', 'contract.view', 'receivable.view', 'quote.view'];

/** Index-based organisations; indexes are folded into range so every generated value is usable. */
const orgArb = fc
  .record({
    departmentParents: fc.array(fc.nat(), { maxLength: 4 }),
    roles: fc.array(
      fc.record({
        permissions: fc.subarray(CUSTOMER_PERMISSIONS),
        scope: fc.option(fc.constantFrom<DataScope>(...DATA_SCOPE_KEYS), { nil: null, freq: 5 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    users: fc.array(
      fc.record({
        department: fc.nat(),
        superior: fc.option(fc.nat(), { nil: null, freq: 3 }),
        superAdmin: fc.nat(9).map((n) => n === 0),
        roles: fc.uniqueArray(fc.nat(2), { maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    customers: fc.array(fc.nat(), { maxLength: 6 }),
    access: fc.array(
      fc.record({ customer: fc.nat(), user: fc.nat(), kind: fc.constantFrom<'team' | 'share'>('team', 'share'), access: fc.constantFrom<'read' | 'write'>('read', 'write') }),
      { maxLength: 4 },
    ),
    deletions: fc.array(fc.record({ user: fc.nat(), customer: fc.nat() }), { maxLength: 5 }),
    explain: fc.record({ user: fc.nat(), customer: fc.nat() }),
  })
  .map((g) => {
    const departmentParents = g.departmentParents.map((p, i) => p % (i + 1));
    const departments = departmentParents.length + 1;
    const roles = g.roles;
    const users = g.users.map((u, i) => ({
      department: u.department % departments,
      // superiors come earlier in the list, so the chain has no cycle
      superior: u.superior === null || i === 0 ? null : u.superior % i,
      superAdmin: u.superAdmin,
      roles: [...new Set(u.roles.map((r) => r % roles.length))],
    }));
    const customers = g.customers.map((o) => o % users.length);
    const seen = new Set<string>();
    const access = customers.length
      ? g.access
          .map((a) => ({ ...a, customer: a.customer % customers.length, user: a.user % users.length }))
          .filter((a) => {
            const key = `${a.customer}/${a.user}/${a.kind}`;
            return !seen.has(key) && seen.add(key);
          })
      : [];
    const spec: OrgSpec = { departmentParents, roles, users, customers, access };
    const deletions = customers.length ? g.deletions.map((d) => ({ user: d.user % users.length, customer: d.customer % customers.length })) : [];
    const explain = customers.length ? { user: g.explain.user % users.length, customer: g.explain.customer % customers.length } : null;
    return { spec, deletions, explain };
  });

let caseNo = 0;

interface Opportunities {
  ids: number[];
  /** owner index of each opportunity: the owner of the next customer. */
  owners: number[];
  amounts: number[];
}

/**
 * One opportunity per customer (an open one of the default pipeline, expected
 * in 2030, worth 100 × (index + 1)), owned by the next customer's owner, with
 * the customers' team and share entries; roles get their customer scope for
 * opportunities too, as the migration gives the default roles.
 */
async function addOpportunities(tenantId: number, userIds: number[], customerIds: number[], spec: OrgSpec): Promise<Opportunities> {
  const owners = spec.customers.map((_, c) => spec.customers[(c + 1) % spec.customers.length]!);
  const amounts = spec.customers.map((_, c) => 100 * (c + 1));
  const ids = await t.db.tenant({ tenantId }, async (q) => {
    await q.query(sql`SELECT crm_seed_opportunity_settings(${tenantId}::bigint)`);
    await q.query(sql`UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('opportunity', data_scopes -> 'customer')
      WHERE tenant_id = ${tenantId} AND data_scopes ? 'customer'`);
    const made: number[] = [];
    for (const [c, customerId] of customerIds.entries()) {
      const row = await q.one<{ id: number }>(sql`INSERT INTO opportunities (tenant_id, code, name, customer_id, amount, currency, amount_company,
          expected_close_date, pipeline_id, stage_id, owner_id, department_id)
        SELECT ${tenantId}, ${`O${c}`}, ${`o${c}`}, ${customerId}, ${amounts[c]}, 'CNY', ${amounts[c]}, '2030-06-15', s.pipeline_id, s.id, u.id, u.department_id
        FROM pipeline_stages s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = ${userIds[owners[c]!]}
        WHERE s.tenant_id = ${tenantId} AND s.kind = 'open' ORDER BY s.sort LIMIT 1 RETURNING id`);
      made.push(row!.id);
    }
    for (const a of spec.access) {
      await q.query(sql`INSERT INTO record_access (tenant_id, entity_type, record_id, user_id, kind, access)
        VALUES (${tenantId}, 'opportunity', ${made[a.customer]}, ${userIds[a.user]}, ${a.kind}, ${a.access}) ON CONFLICT DO NOTHING`);
    }
    return made;
  });
  return { ids, owners, amounts };
}

/** List, count, detail, board, forecast and funnel show the user exactly the opportunities the model makes visible. */
async function checkOpportunities(client: ApiClient, model: ScopeModel, u: number, o: Opportunities, describe: string) {
  const visible = o.ids.map((_, i) => i).filter((i) => model.visible(u, i));
  const expectedIds = visible.map((i) => o.ids[i]).sort((a, b) => a! - b!);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  const list = await client.get('/api/v1/opportunities?limit=200');
  if (!model.canView(u)) {
    expect(list.status, describe).toBe(403);
    for (const path of ['count', 'board', 'forecast', 'funnel']) expect((await client.get(`/api/v1/opportunities/${path}`)).status, `${describe} ${path}`).toBe(403);
    return;
  }
  expect(sorted(list.body.items.map((i: { id: number }) => i.id)), describe).toEqual(expectedIds);
  expect((await client.get('/api/v1/opportunities/count')).body.total, describe).toBe(expectedIds.length);
  for (const [i, id] of o.ids.entries()) expect((await client.get(`/api/v1/opportunities/${id}`)).status, `${describe}, opportunity ${i}`).toBe(model.visible(u, i) ? 200 : 404);
  const board = (await client.get('/api/v1/opportunities/board?limit=100')).body.stages as { count: number; amount: string; cards: { id: number }[] }[];
  expect(sorted(board.flatMap((s) => s.cards.map((c) => c.id))), describe + ' board').toEqual(expectedIds);
  expect(board.reduce((n, s) => n + s.count, 0), describe + ' board').toBe(expectedIds.length);
  const total = visible.reduce((n, i) => n + o.amounts[i]!, 0);
  expect(board.reduce((n, s) => n + Number(s.amount), 0), describe + ' board').toBe(total);
  const forecast = (await client.get('/api/v1/opportunities/forecast?from=2030-01-01&to=2030-12-31')).body.totals;
  expect(forecast, describe + ' forecast').toMatchObject({ openCount: expectedIds.length, openAmount: total.toFixed(2), weighted: (total / 10).toFixed(2) });
  expect((await client.get('/api/v1/opportunities/funnel')).body.total.count, describe + ' funnel').toBe(expectedIds.length);
}

/**
 * One contract per customer, owned by the customer's owner and in effect, with
 * one approved receivable; roles get their customer scope for contracts, as
 * the migration gives the default roles. Contracts have no team or shares.
 */
async function addContracts(tenantId: number, customerIds: number[]): Promise<{ ids: number[]; receivableIds: number[] }> {
  return t.db.tenant({ tenantId }, async (q) => {
    await q.query(sql`UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('contract', data_scopes -> 'customer')
      WHERE tenant_id = ${tenantId} AND data_scopes ? 'customer'`);
    const ids: number[] = [];
    const receivableIds: number[] = [];
    for (const [c, customerId] of customerIds.entries()) {
      const k = await q.one<{ id: number; owner_id: number }>(sql`INSERT INTO contracts (tenant_id, code, name, customer_id, owner_id, department_id, currency, amount, amount_company, status, signed_on)
        SELECT ${tenantId}, ${`H${c}`}, ${`h${c}`}, id, owner_id, department_id, 'CNY', 100, 100, 'active', ${TODAY}::date FROM customers WHERE tenant_id = ${tenantId} AND id = ${customerId}
        RETURNING id, owner_id`);
      const r = await q.one<{ id: number }>(sql`INSERT INTO receivables (tenant_id, code, contract_id, customer_id, owner_id, amount, amount_company, received_on, status)
        VALUES (${tenantId}, ${`R${c}`}, ${k!.id}, ${customerId}, ${k!.owner_id}, 40, 40, ${TODAY}::date, 'approved') RETURNING id`);
      ids.push(k!.id);
      receivableIds.push(r!.id);
    }
    return { ids, receivableIds };
  });
}

/** Contracts (list, count, detail, plans) and their receivables follow the contract scope: owners only. */
async function checkContracts(client: ApiClient, contractModel: ScopeModel, receivableModel: ScopeModel, u: number, k: { ids: number[]; receivableIds: number[] }, describe: string) {
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  const visible = k.ids.map((_, i) => i).filter((i) => contractModel.visible(u, i));
  const list = await client.get('/api/v1/contracts?limit=200');
  if (!contractModel.canView(u)) {
    expect(list.status, describe).toBe(403);
  } else {
    expect(sorted(list.body.items.map((i: { id: number }) => i.id)), describe).toEqual(sorted(visible.map((i) => k.ids[i]!)));
    expect((await client.get('/api/v1/contracts/count')).body.total, describe).toBe(visible.length);
    for (const [i, id] of k.ids.entries()) expect((await client.get(`/api/v1/contracts/${id}`)).status, `${describe}, contract ${i}`).toBe(contractModel.visible(u, i) ? 200 : 404);
    for (const i of visible) expect((await client.get(`/api/v1/contracts/${k.ids[i]}`)).body.paid, `${describe}, contract ${i}`).toBe('40.00');
  }
  const receivables = await client.get('/api/v1/receivables?limit=200');
  if (!receivableModel.canView(u)) {
    expect(receivables.status, describe + ' (receivables)').toBe(403);
    return;
  }
  // seen through the contract's scope: nothing without contract.view
  const seen = contractModel.canView(u) ? visible.map((i) => k.receivableIds[i]!) : [];
  expect(sorted(receivables.body.items.map((i: { id: number }) => i.id)), describe + ' (receivables)').toEqual(sorted(seen));
  for (const [i, id] of k.receivableIds.entries()) {
    expect((await client.get(`/api/v1/receivables/${id}`)).status, `${describe}, receivable ${i}`).toBe(contractModel.canView(u) && contractModel.visible(u, i) ? 200 : 404);
  }
}

/**
 * The dashboard for this year counts by owner what the viewer's owner sets reach
 * (records merely shared count for nobody): new customers, new opportunities,
 * contracts and receivables, the funnel and the trend; narrowed to one user, only
 * that user's records and only when the user is within the viewer's scope.
 */
async function checkDashboard(
  client: ApiClient,
  m: { customer: ScopeModel; opportunity: ScopeModel; contract: ScopeModel; receivable: ScopeModel },
  u: number,
  o: Opportunities,
  describe: string,
  only?: { index: number; id: number },
) {
  const res = await client.get(`/api/v1/dashboard?range=this_year${only ? `&userId=${only.id}` : ''}`);
  expect(res.status, describe).toBe(200);
  const d = res.body;
  // the records each model counts: those whose owner (model.spec.customers) the viewer's owner set reaches, and the filter admits
  const counted = (model: ScopeModel) =>
    model.canView(u) ? model.spec.customers.map((_, i) => i).filter((i) => model.inOwnerScope(u, i) && (!only || model.spec.customers[i] === only.index)) : [];
  const customers = counted(m.customer);
  const opportunities = counted(m.opportunity);
  const contracts = counted(m.contract);
  const money = (n: number) => n.toFixed(2);
  expect(d.brief.newCustomers, describe + ' new customers').toBe(customers.length);
  expect(d.brief.newOpportunities, describe + ' new opportunities').toEqual({ count: opportunities.length, amount: money(opportunities.reduce((n, i) => n + o.amounts[i]!, 0)) });
  expect(d.brief.contracts, describe + ' contracts').toEqual({ count: contracts.length, amount: money(100 * contracts.length) });
  const receivables = m.receivable.canView(u) ? contracts.length : 0;
  expect(d.brief.receivables, describe + ' receivables').toBe(money(40 * receivables));
  const funnel = d.funnel.stages as { count: number }[];
  expect(funnel.reduce((n, s) => n + s.count, 0), describe + ' funnel').toBe(opportunities.length);
  const trend = d.trend as { contractAmount: string; receivableAmount: string }[];
  expect(money(trend.reduce((n, x) => n + Number(x.contractAmount), 0)), describe + ' trend').toBe(money(100 * contracts.length));
  expect(money(trend.reduce((n, x) => n + Number(x.receivableAmount), 0)), describe + ' trend').toBe(money(40 * receivables));
}

/** One quote per customer, owned by the customer's owner; roles get their customer scope for quotes. Quotes have no team or shares here. */
async function addQuotes(tenantId: number, customerIds: number[]): Promise<number[]> {
  return t.db.tenant({ tenantId }, async (q) => {
    await q.query(sql`UPDATE roles SET data_scopes = data_scopes || jsonb_build_object('quote', data_scopes -> 'customer')
      WHERE tenant_id = ${tenantId} AND data_scopes ? 'customer'`);
    const ids: number[] = [];
    for (const [c, customerId] of customerIds.entries()) {
      const b = await q.one<{ id: number }>(sql`INSERT INTO quotes (tenant_id, code, name, customer_id, owner_id, department_id, currency, amount, amount_company)
        SELECT ${tenantId}, ${`B${c}`}, ${`b${c}`}, id, owner_id, department_id, 'CNY', 100, 100 FROM customers WHERE tenant_id = ${tenantId} AND id = ${customerId}
        RETURNING id`);
      ids.push(b!.id);
    }
    return ids;
  });
}

/** Quotes (list, count, detail, history) follow the quote scope: owners only. */
async function checkQuotes(client: ApiClient, model: ScopeModel, u: number, ids: number[], describe: string) {
  const list = await client.get('/api/v1/quotes?limit=200');
  if (!model.canView(u)) {
    expect(list.status, describe).toBe(403);
    return;
  }
  const visible = ids.filter((_, i) => model.visible(u, i)).sort((a, b) => a - b);
  expect(list.body.items.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b), describe).toEqual(visible);
  expect((await client.get('/api/v1/quotes/count')).body.total, describe).toBe(visible.length);
  for (const [i, id] of ids.entries()) {
    const expected = model.visible(u, i) ? 200 : 404;
    expect((await client.get(`/api/v1/quotes/${id}`)).status, `${describe}, quote ${i}`).toBe(expected);
    expect((await client.get(`/api/v1/quotes/${id}/history`)).status, `${describe}, quote ${i} history`).toBe(expected);
  }
}

async function checkCase({ spec, deletions, explain }: { spec: OrgSpec; deletions: { user: number; customer: number }[]; explain: { user: number; customer: number } | null }) {
  const model = new ScopeModel(spec);
  const org = await buildOrg(t.db, `p${++caseNo}-${Date.now() % 100000}`, spec);
  const clients: ApiClient[] = [];
  for (const id of org.userIds) clients.push(await signedInAs(t.db, t.url, org.tenantId, id));
  const describe = (u: number, c?: number) => `case ${caseNo}, user ${u}${c === undefined ? '' : `, customer ${c}`}: ${JSON.stringify(spec)}`;
  const opportunities = await addOpportunities(org.tenantId, org.userIds, org.customerIds, spec);
  // the opportunity model: the same organisation, opportunity owners and grants, and opportunity.view in place of customer.view
  const oppModel = new ScopeModel({
    ...spec,
    customers: opportunities.owners,
    roles: spec.roles.map((r) => ({ ...r, permissions: r.permissions.includes('opportunity.view') ? ['customer.view'] : [] })),
  });
  const contracts = await addContracts(org.tenantId, org.customerIds);
  // contracts: the customers' owners, no grants, contract.view (receivable.view for the receivables list) in place of customer.view
  const viewing = (permission: Permission) => new ScopeModel({
    ...spec,
    access: [],
    roles: spec.roles.map((r) => ({ ...r, permissions: r.permissions.includes(permission) ? ['customer.view'] : [] })),
  });
  const contractModel = viewing('contract.view');
  const quotes = await addQuotes(org.tenantId, org.customerIds);
  const quoteModel = viewing('quote.view');
  const receivableModel = viewing('receivable.view');

  for (const [u, client] of clients.entries()) {
    const expected = spec.customers.map((_, c) => c).filter((c) => model.visible(u, c)).map((c) => org.customerIds[c]).sort((a, b) => a - b);
    const list = await client.get('/api/v1/customers?limit=200');
    const count = await client.get('/api/v1/customers/count');
    if (!model.canView(u)) {
      expect(list.status, describe(u)).toBe(403);
      expect(count.status, describe(u)).toBe(403);
    } else {
      expect(list.status, describe(u)).toBe(200);
      expect(list.body.items.map((i: { id: number }) => i.id).sort((a: number, b: number) => a - b), describe(u)).toEqual(expected);
      expect(count.body.total, describe(u)).toBe(expected.length);
    }
    const visibleCustomers = model.canView(u) ? spec.customers.map((_, c) => c).filter((c) => model.visible(u, c)) : [];
    const names = (items: { name: string }[]) => items.map((i) => i.name).sort();
    const contacts = await client.get('/api/v1/contacts?limit=200');
    if (!model.canViewContacts(u)) expect(contacts.status, describe(u) + ' (contacts)').toBe(403);
    else expect(names(contacts.body.items), describe(u) + ' (contacts)').toEqual(visibleCustomers.map((c) => `k${c}`).sort());
    const search = await client.get('/api/v1/search?q=k&limit=50');
    if (model.canView(u)) {
      expect(names(search.body.contacts), describe(u) + ' (search)').toEqual(model.canViewContacts(u) ? visibleCustomers.map((c) => `k${c}`).sort() : []);
    }
    const leads = await client.get('/api/v1/leads?limit=200');
    if (!model.canViewLeads(u)) expect(leads.status, describe(u) + ' (leads)').toBe(403);
    else expect(names(leads.body.items), describe(u) + ' (leads)').toEqual(spec.customers.map((_, c) => c).filter((c) => model.inOwnerScope(u, c)).map((c) => `l${c}`).sort());

    await checkOpportunities(client, oppModel, u, opportunities, describe(u) + ' (opportunities)');
    await checkContracts(client, contractModel, receivableModel, u, contracts, describe(u) + ' (contracts)');
    await checkQuotes(client, quoteModel, u, quotes, describe(u) + ' (quotes)');
    await checkDashboard(client, { customer: model, opportunity: oppModel, contract: contractModel, receivable: receivableModel }, u, opportunities, describe(u) + ' (dashboard)');
    // narrowed to one user (the next one): that user's figures within the viewer's scope, nothing outside it
    await checkDashboard(client, { customer: model, opportunity: oppModel, contract: contractModel, receivable: receivableModel }, u, opportunities, describe(u) + ' (dashboard, one user)', {
      index: (u + 1) % clients.length, id: org.userIds[(u + 1) % clients.length]!,
    });

    for (const [c, id] of org.customerIds.entries()) {
      const detail = await client.get(`/api/v1/customers/${id}`);
      expect(detail.status, describe(u, c)).toBe(!model.canView(u) ? 403 : model.visible(u, c) ? 200 : 404);
      // attachments (list and download share one check) follow the record
      const files = await client.get(`/api/v1/attachments?entityType=customer&entityId=${id}`);
      expect(files.status, describe(u, c) + ' (attachments)').toBe(model.canView(u) && model.visible(u, c) ? 200 : 404);
      if (detail.status === 200) {
        expect(detail.body.allowed.edit, describe(u, c)).toBe(model.writable(u, c) && model.canEdit(u));
        expect(detail.body.allowed.delete, describe(u, c)).toBe(model.deletable(u, c) && model.canDelete(u));
      }
      const update = await client.patch(`/api/v1/customers/${id}`, { name: `c${c}-by-${u}` });
      const expectedUpdate = !model.canEdit(u) ? 403 : !model.visible(u, c) ? 404 : !model.writable(u, c) ? 403 : 200;
      expect(update.status, describe(u, c)).toBe(expectedUpdate);
    }
  }

  const deleted = new Set<number>();
  for (const d of deletions) {
    const res = await clients[d.user].delete(`/api/v1/customers/${org.customerIds[d.customer]}`);
    const expected = !model.canDelete(d.user) ? 403 : deleted.has(d.customer) || !model.visible(d.user, d.customer) ? 404 : !model.deletable(d.user, d.customer) ? 403 : 204;
    expect(res.status, describe(d.user, d.customer) + ' (delete)').toBe(expected);
    if (res.status === 204) deleted.add(d.customer);
  }

  if (explain && !deleted.has(explain.customer)) {
    const res = await t.admin.get(`/api/v1/access/explain?userId=${org.userIds[explain.user]}&entity=customer&recordId=${org.customerIds[explain.customer]}`);
    // the explaining administrator belongs to another company: the record is not there for them
    expect(res.status).toBe(404);
    const own = await signedInAs(t.db, t.url, org.tenantId, org.userIds[0]);
    if (spec.users[0].superAdmin) {
      const why = await own.get(`/api/v1/access/explain?userId=${org.userIds[explain.user]}&entity=customer&recordId=${org.customerIds[explain.customer]}`);
      expect(why.status).toBe(200);
      expect(why.body.visible, describe(explain.user, explain.customer) + ' (explain)').toBe(model.visible(explain.user, explain.customer));
    }
  }
}

it(`data scopes agree with the reference model (${RUNS} generated organisations)`, { timeout: 900_000 }, async () => {
  await fc.assert(fc.asyncProperty(orgArb, checkCase), { numRuns: RUNS });
});
