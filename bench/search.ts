/**
 * Benchmark "search": the quick search (GET /api/v1/search?q=…, customers and
 * contacts) and the lists filtered by the same term (GET /api/v1/customers?q=…,
 * or /api/v1/contacts?q=… for a mobile number), for typical terms — a common
 * and a rare Chinese word, pinyin initials short and long, the start of a
 * mobile number — as users of different data scopes, against the real server;
 * beside each, the statements the repositories build, timed directly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ContactListQuery } from '../src/common/schemas/contacts.js';
import { CustomerListQuery } from '../src/common/schemas/customers.js';
import type { Database } from '../src/server/db/database.js';
import { type Sql, sql } from '../src/server/db/sql.js';
import * as contactsRepo from '../src/server/modules/contacts/contacts.repo.js';
import * as customersRepo from '../src/server/modules/customers/customers.repo.js';
import { type RecordScope, resolveScope, visibleSql } from '../src/server/platform/access/scope.js';
import { actorForUser } from '../src/server/platform/auth/actor-loader.js';
import { type Backend, backendFacts, prepareDataset, type ResultHead, resultHead } from './lib/datasets.js';
import { apiToken, captured, drain, explain, measureSlots, type PersonaKey, pickPersona, type Slot, timeSqlGroups } from './lib/harness.js';
import type { LoadResult } from './lib/load.js';
import { RESULTS_DIR } from './list.js';
import { startServer } from './lib/server.js';
import { fmt, type LatencyStats, latencyStats, table } from './lib/stats.js';

export type TermKey = 'common' | 'rare' | 'initials' | 'initials4' | 'mobile';
export const TERMS: TermKey[] = ['common', 'rare', 'initials', 'initials4', 'mobile'];
/** What each term stands for; `mobile` is found per persona (a visible contact's number). */
const TERM_OF: Record<Exclude<TermKey, 'mobile'>, { q: string; what: string }> = {
  // a first-tier city: ~6 % of the generated names start with it
  common: { q: '北京', what: 'common Chinese (city)' },
  // one of the rarely drawn words: ~0.3 % of names
  rare: { q: '翔宇', what: 'rare Chinese (word)' },
  // pinyin initials of 北京…
  initials: { q: 'bj', what: 'pinyin initials' },
  // … and of 北京云帆…
  initials4: { q: 'bjyf', what: 'pinyin initials, longer' },
};
/** Digits of a mobile number typed: a segment and 4 more digits match ~10 of 3M contacts. */
const MOBILE_PREFIX = 7;
export const SEARCH_PERSONAS: PersonaKey[] = ['admin', 'manager', 'rep'];

type Endpoint = 'search' | 'list' | 'contacts';

export interface SearchOptions {
  size: number;
  concurrency: number;
  durationS: number;
  serialS: number;
  rounds: number;
  sqlBudgetMs: number;
  /** Cases whose SQL alone takes longer (p50, ms) get one request instead of the load (default 250: 10 such requests at once would not even answer within a slice). */
  loadLimitMs?: number;
  personas: PersonaKey[];
  terms: TermKey[];
  fresh: boolean;
  /** false: only the direct SQL timings and plans. */
  http: boolean;
  log: (m: string) => void;
}

export interface SearchPersona {
  key: PersonaKey;
  userId: number;
  name: string;
  email: string;
  scope: string;
  owners: number | null;
  shared: number;
}

export interface SearchCase {
  persona: PersonaKey;
  term: TermKey;
  q: string;
  endpoint: Endpoint;
  /** Visible matches: customers, contacts (null: the count did not finish in time). */
  matches: { customers: number | null; contacts: number | null };
  http: LoadResult | null;
  serial: LatencyStats | null;
  /** The statements of one request, one after another on one connection: the sum, and each (search: customers, contacts). */
  sql: LatencyStats;
  sqlParts: LatencyStats[];
  /** The statement did not finish (the tenant transaction's 30 s statement timeout on PostgreSQL). */
  sqlFailed?: string;
  /** Why there was no load on this case (its SQL alone takes too long); http is then one request. */
  noLoad?: string;
  cpu: { serverMs: number; postgresMs: number; clientMs: number; otherPct: number } | null;
}

export interface SearchResult extends ResultHead {
  benchmark: 'search';
  options: { concurrency: number; durationS: number; serialS: number; rounds: number };
  personas: SearchPersona[];
  cases: SearchCase[];
  serverPeakRssMb: number | null;
  plans: Record<string, string>;
  targets: SearchTargets;
}

export interface SearchTargets {
  /** Worst p95 under load (ms); goal ≤ 50 on PostgreSQL at 1M customers / 3M contacts. */
  worstP95: number | null;
  /** The cases above 50 ms p95. */
  missed: string[];
}

interface PreparedCase {
  term: TermKey;
  q: string;
  endpoint: Endpoint;
  path: string;
  statements: Sql[];
  matches: { customers: number | null; contacts: number | null };
  /** What the API must answer: customer ids, contact ids (from the first timed run of the statements). */
  expected?: { customers: number[]; contacts: number[] };
}

const pathFor = (endpoint: Endpoint, q: string) =>
  endpoint === 'search'
    ? `/api/v1/search?q=${encodeURIComponent(q)}`
    : endpoint === 'list'
      ? `/api/v1/customers?limit=50&q=${encodeURIComponent(q)}`
      : `/api/v1/contacts?limit=50&q=${encodeURIComponent(q)}`;

/** A count that may take long (a term no index serves): null after 30 s. */
async function countOrNull(fn: () => Promise<number>): Promise<number | null> {
  try {
    return await fn();
  } catch (err) {
    if (/statement timeout|canceling statement/i.test((err as Error).message)) return null;
    throw err;
  }
}

async function prepare(db: Database, tenantId: number, key: PersonaKey, o: SearchOptions) {
  const p = await pickPersona(db, tenantId, key);
  const actor = await actorForUser(db, tenantId, p.id);
  const scope: RecordScope = await actor.tx((q) => resolveScope(q, actor, 'customer'));
  // the mobile term: the start of the number of a contact of the 11th customer in the user's list
  const mobile = await actor.tx((q) =>
    q.one<{ p: string }>(sql`
      SELECT left(k.mobile, ${MOBILE_PREFIX}) AS p FROM (
        SELECT c.id FROM customers c WHERE c.tenant_id = ${tenantId} AND c.deleted_at IS NULL AND ${visibleSql(scope, 'c')}
        ORDER BY c.updated_at DESC, c.id DESC LIMIT 50) c
      JOIN contacts k ON k.tenant_id = ${tenantId} AND k.customer_id = c.id AND k.deleted_at IS NULL AND k.mobile IS NOT NULL
      ORDER BY c.id DESC, k.id OFFSET 10 LIMIT 1`),
  );
  const cases: PreparedCase[] = [];
  for (const term of o.terms) {
    const q = term === 'mobile' ? mobile?.p : TERM_OF[term].q;
    if (!q) {
      o.log(`  ${key}: no visible contact with a mobile number; no mobile case`);
      continue;
    }
    const customerQuery = (limit: number) => CustomerListQuery.parse({ q, limit });
    const contactQuery = (limit: number) => ContactListQuery.parse({ q, limit });
    // each in its own transaction: a count cut off by the statement timeout aborts it
    const matches = {
      customers: await countOrNull(() => actor.tx((tx) => customersRepo.countCustomers(tx, scope, actor.userId, customerQuery(50)))),
      contacts: await countOrNull(() => actor.tx((tx) => contactsRepo.countContacts(tx, scope, contactQuery(50)))),
    };
    // one real read first: a common term is then remembered (term-lookup.ts) and the statements captured
    // below are those the server sends from its second request on
    await actor.tx((tx) => customersRepo.listCustomers(tx, scope, actor.userId, customerQuery(10)));
    await actor.tx((tx) => contactsRepo.listContacts(tx, scope, contactQuery(10)));
    // the quick search: the customers and the contacts the service asks for (limit 10 each)
    const endpoints: Endpoint[] = term === 'mobile' ? ['search', 'contacts'] : ['search', 'list'];
    for (const endpoint of endpoints) {
      const statements =
        endpoint === 'search'
          ? [
              await captured((tx) => customersRepo.listCustomers(tx, scope, actor.userId, customerQuery(10))),
              await captured((tx) => contactsRepo.listContacts(tx, scope, contactQuery(10))),
            ]
          : endpoint === 'list'
            ? [await captured((tx) => customersRepo.listCustomers(tx, scope, actor.userId, customerQuery(50)))]
            : [await captured((tx) => contactsRepo.listContacts(tx, scope, contactQuery(50)))];
      cases.push({ term, q, endpoint, path: pathFor(endpoint, q), statements, matches });
    }
    o.log(`  ${key}: '${q}' matches ${fmt(matches.customers)} customers, ${fmt(matches.contacts)} contacts`);
  }
  const persona: SearchPersona = {
    key,
    userId: p.id,
    name: p.name,
    email: p.email,
    scope: actor.isSuperAdmin ? 'all' : (actor.dataScopes.customer ?? ['self']).join('+'),
    owners: scope.ownerIds === null ? null : scope.ownerIds.length,
    shared: scope.readIds.length,
  };
  o.log(`  ${key}: ${p.name} (${p.position ?? p.role}, user ${p.id}) scope ${persona.scope}: ${persona.owners ?? 'all'} owners${persona.shared ? ` + ${persona.shared} shared` : ''}`);
  return { persona, cases };
}

/** The API must answer what the timed SQL answers. */
async function checkApi(url: string, token: string, key: PersonaKey, c: PreparedCase): Promise<void> {
  const res = await fetch(url + c.path, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`GET ${c.path}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { items?: { id: number }[]; customers?: { id: number }[]; contacts?: { id: number }[] };
  const got =
    c.endpoint === 'search'
      ? { customers: body.customers!.map((x) => x.id), contacts: body.contacts!.map((x) => x.id) }
      : c.endpoint === 'list'
        ? { customers: body.items!.map((x) => x.id), contacts: [] }
        : { customers: [], contacts: body.items!.map((x) => x.id) };
  if (c.expected && JSON.stringify(got) !== JSON.stringify(c.expected)) throw new Error(`${key} ${c.path}: the API answers other records than the SQL`);
}

export function searchTargets(cases: SearchCase[]): SearchTargets {
  const timed = cases.filter((c) => c.http);
  const worstP95 = timed.length ? Math.max(...timed.map((c) => c.http!.p95)) : null;
  return { worstP95, missed: timed.filter((c) => c.http!.p95 > 50).map((c) => `${c.persona}/${c.term}/${c.endpoint}`) };
}

export async function runSearchBenchmark(backend: Backend, o: SearchOptions): Promise<SearchResult> {
  o.log(`\n== search · ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'} · ${o.size.toLocaleString('en')} customers`);
  const ds = await prepareDataset(backend, o.size, { fresh: o.fresh, log: o.log });
  const { tenantId } = ds.info;
  const database = await backendFacts(ds.db);
  const prepared: { persona: SearchPersona; cases: PreparedCase[] }[] = [];
  for (const key of o.personas) prepared.push(await prepare(ds.db, tenantId, key, o));

  o.log('  timing the SQL directly');
  const sqlStats = new Map<string, { total: LatencyStats; parts: LatencyStats[]; failed?: string }>();
  const plans: Record<string, string> = {};
  for (const p of prepared) {
    for (const c of p.cases) {
      const id = `${p.persona.key}/${c.term}/${c.endpoint}`;
      const s = await timeSqlGroups(ds.db, tenantId, p.persona.userId, [c.statements], o.sqlBudgetMs, (rows) => {
        const limit = c.endpoint === 'search' ? 10 : 50;
        const ids = (rows as { id: number }[][]).map((r) => r.slice(0, limit).map((x) => x.id));
        c.expected =
          c.endpoint === 'search' ? { customers: ids[0]!, contacts: ids[1]! } : c.endpoint === 'list' ? { customers: ids[0]!, contacts: [] } : { customers: [], contacts: ids[0]! };
      });
      sqlStats.set(id, s);
      const texts: string[] = [];
      // a statement of a second or more is not run again for its plan: EXPLAIN without ANALYZE
      const slow = s.failed || s.parts.some((x) => x.max > 1000);
      for (const st of c.statements) {
        texts.push(slow ? `(EXPLAIN only: the statements take seconds)\n${await explain(ds.db, tenantId, p.persona.userId, st, false)}` : await explain(ds.db, tenantId, p.persona.userId, st));
      }
      plans[id] = texts.join('\n\n-- next statement --\n\n');
      o.log(
        `  ${id.padEnd(26)} '${c.q}' SQL p50 ${fmt(s.total.p50)} p95 ${fmt(s.total.p95)} ms (n=${s.total.n})` +
          `${s.parts.length > 1 ? ` = customers ${fmt(s.parts[0]!.p50)} + contacts ${fmt(s.parts[1]!.p50)}` : ''}${s.failed ? ` — FAILED: ${s.failed}` : ''}`,
      );
    }
  }
  await ds.db.close();

  const cases: SearchCase[] = [];
  const caseOf = (p: (typeof prepared)[number], c: PreparedCase, m: Pick<SearchCase, 'http' | 'serial' | 'cpu'>): SearchCase => {
    const s = sqlStats.get(`${p.persona.key}/${c.term}/${c.endpoint}`)!;
    return {
      persona: p.persona.key, term: c.term, q: c.q, endpoint: c.endpoint, matches: c.matches, sql: s.total, sqlParts: s.parts,
      ...(s.failed ? { sqlFailed: s.failed } : {}), ...m,
    };
  };
  let peak: number | null = null;
  if (o.http) {
    o.log('  starting the server');
    const server = await startServer(ds.serverEnv);
    const pgClient = ds.serverEnv.DATABASE_URL ? new pg.Client({ connectionString: ds.serverEnv.DATABASE_URL }) : null;
    await pgClient?.connect();
    try {
      const slots: { p: (typeof prepared)[number]; c: PreparedCase; slot: Slot; noLoad?: string }[] = [];
      const limit = o.loadLimitMs ?? 250;
      for (const p of prepared) {
        const token = await apiToken(server.url, p.persona.email);
        const headers = { authorization: `Bearer ${token}` };
        for (const c of p.cases) {
          const key = `${p.persona.key}/${c.term}/${c.endpoint}`;
          const st = sqlStats.get(key)!;
          const noLoad = st.failed ? 'the SQL fails (statement timeout)' : st.total.p50 > limit ? `the SQL alone takes ${fmt(st.total.p50 / 1000)} s` : undefined;
          if (!noLoad) await checkApi(server.url, token, p.persona.key, c);
          slots.push({ p, c, slot: { key, path: () => c.path, headers }, noLoad });
        }
      }
      const loaded = slots.filter((s) => !s.noLoad);
      const measured = await measureSlots(server, pgClient, loaded.map((s) => s.slot), { ...o, postgresIsOurs: backend === 'pg' });
      for (const s of slots) {
        let r: SearchCase;
        if (s.noLoad) {
          // one request alone: what a user would wait (or the error)
          const t0 = performance.now();
          const res = await fetch(server.url + s.c.path, { headers: s.slot.headers });
          await res.arrayBuffer();
          const ms = Math.round((performance.now() - t0) * 100) / 100;
          const one = latencyStats([ms]);
          r = caseOf(s.p, s.c, {
            http: { ...one, requests: 1, rps: 0, errors: 0, non2xx: res.status === 200 ? 0 : 1, timeouts: 0 },
            serial: one,
            cpu: null,
          });
          r.noLoad = `${s.noLoad}: one request, ${res.status === 200 ? 'answered' : `HTTP ${res.status}`} in ${fmt(ms / 1000)} s`;
          await drain(server.pid, pgClient);
          o.log(`  ${s.slot.key.padEnd(26)} no load (${r.noLoad})`);
        } else {
          r = caseOf(s.p, s.c, measured[loaded.indexOf(s)]!);
          o.log(
            `  ${s.slot.key.padEnd(26)} c=${o.concurrency}: p50 ${fmt(r.http!.p50)} p95 ${fmt(r.http!.p95)} p99 ${fmt(r.http!.p99)} ms, ${fmt(r.http!.rps)} req/s` +
              ` · c=1 p50 ${fmt(r.serial!.p50)} · SQL p50 ${fmt(r.sql.p50)} · other load ${r.cpu!.otherPct}%`,
          );
        }
        cases.push(r);
      }
    } finally {
      peak = server.peakRssMb();
      await pgClient?.end();
      await server.stop();
    }
  } else {
    for (const p of prepared) for (const c of p.cases) cases.push(caseOf(p, c, { http: null, serial: null, cpu: null }));
  }
  const result: SearchResult = {
    benchmark: 'search',
    ...resultHead(backend, o.size, database, ds),
    options: { concurrency: o.concurrency, durationS: o.durationS, serialS: o.serialS, rounds: o.rounds },
    personas: prepared.map((p) => p.persona),
    cases,
    serverPeakRssMb: peak,
    plans,
    targets: searchTargets(cases),
  };
  writeFileSync(join(RESULTS_DIR, o.http ? `search-${backend}-${o.size}.json` : `sql-search-${backend}-${o.size}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

// ------------------------------------------------------------------ printing

export function searchTable(r: SearchResult): string {
  const who = new Map(r.personas.map((p) => [p.key, p]));
  let lastPersona = '';
  let lastTerm = '';
  const rows = r.cases.map((c) => {
    const p = who.get(c.persona)!;
    const newPersona = c.persona !== lastPersona;
    const newTerm = newPersona || c.term !== lastTerm;
    lastPersona = c.persona;
    lastTerm = c.term;
    const matches = c.endpoint === 'search' ? `${fmt(c.matches.customers)} / ${fmt(c.matches.contacts)}` : fmt(c.endpoint === 'contacts' ? c.matches.contacts : c.matches.customers);
    const h = c.http;
    const one = !!c.noLoad;
    const failed = c.sqlFailed ? '> 30 s' : null;
    return [
      newPersona ? c.persona : '',
      newPersona ? (p.owners === null ? p.scope : `${p.scope} (${p.owners})`) : '',
      newTerm ? c.q : '',
      one ? `${c.endpoint} *` : c.endpoint,
      matches,
      h ? h.p50 : '-',
      h && !one ? h.p95 : '-',
      h && !one ? h.p99 : '-',
      h && !one ? h.rps : '-',
      c.serial && !one ? c.serial.p50 : '-',
      failed ?? c.sql.p50,
      failed ?? c.sql.p95,
      c.cpu ? (r.backend === 'pg' ? `${fmt(c.cpu.serverMs)} + ${fmt(c.cpu.postgresMs)}` : fmt(c.cpu.serverMs)) : '-',
      c.cpu ? `${c.cpu.otherPct}%` : '-',
    ];
  });
  const name = r.backend === 'pg' ? `PostgreSQL ${r.database.server_version ?? ''}`.trim() : `PGlite (PostgreSQL ${r.database.server_version ?? '?'} in WASM)`;
  const gen = r.dataset.reused ? `data reused (generated in ${fmt(r.dataset.generationMs / 1000)} s)` : `data generated in ${fmt(r.dataset.generationMs / 1000)} s`;
  const t = r.targets;
  const full = r.backend === 'pg' && r.size >= 1_000_000;
  return [
    `search · ${name} · ${r.size.toLocaleString('en')} customers, ${r.dataset.contacts.toLocaleString('en')} contacts · ${gen}`,
    `search = GET /api/v1/search?q= (10 customers + 10 contacts, SQL = both statements), list = GET /api/v1/customers?q=&limit=50, contacts = GET /api/v1/contacts?q=&limit=50.`,
    `matches: visible customers / contacts. HTTP: ${r.options.concurrency} keep-alive connections, ${r.options.durationS} s per case${r.options.rounds > 1 ? ` in ${r.options.rounds} interleaved slices` : ''}` +
      ` (c=1: one connection, ${r.options.serialS} s). Times in ms; CPU/req ${r.backend === 'pg' ? 'node + pg' : '(database included)'}, other: the machine's other load.`,
    '',
    table(['persona', 'scope (owners)', 'q', 'endpoint', 'matches', 'p50', 'p95', 'p99', 'req/s', 'c=1 p50', 'SQL p50', 'SQL p95', 'CPU/req', 'other'], rows),
    ...(r.cases.some((c) => c.noLoad) ? ['* no load (p50 = one request alone):', ...r.cases.filter((c) => c.noLoad).map((c) => `  ${c.persona} '${c.q}' ${c.endpoint}: ${c.noLoad}`)] : []),
    '',
    t.worstP95 === null
      ? 'SQL only (no HTTP load)'
      : `search p95 under load: worst ${fmt(t.worstP95)} ms ${t.missed.length ? `> 50 in ${t.missed.length} of ${r.cases.length} cases (${t.missed.join(', ')})` : '≤ 50 in every case'}` +
        (full ? '' : ' (the target is for PostgreSQL at 1,000,000)') +
        (r.serverPeakRssMb ? ` · server peak RSS ${r.serverPeakRssMb} MiB` : ''),
  ].join('\n');
}
