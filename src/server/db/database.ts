import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Sql } from './sql.js';

export type Row = Record<string, unknown>;

/** What repositories get: run a statement inside the current transaction. */
export interface Queryable {
  query<T = Row>(q: Sql): Promise<T[]>;
  one<T = Row>(q: Sql): Promise<T | undefined>;
  /** Several statements without parameters (migrations, set-up). */
  exec(text: string): Promise<void>;
}

/**
 * Runs `fn` inside a savepoint of the caller's transaction: when it throws,
 * only its own writes are rolled back and the transaction goes on (an import
 * writing a failed batch row by row keeps the good rows).
 */
export async function savepoint<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  await q.exec('SAVEPOINT crm_savepoint');
  try {
    const out = await fn();
    await q.exec('RELEASE SAVEPOINT crm_savepoint');
    return out;
  } catch (err) {
    await q.exec('ROLLBACK TO SAVEPOINT crm_savepoint');
    throw err;
  }
}

export interface TenantContext {
  tenantId: number;
  userId?: number;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /**
   * A transaction as the tables' owner: row-level security does not apply.
   * Only for what is not one company's business data or spans companies:
   * sign-in lookups, migrations, tenant creation, infrastructure jobs.
   */
  system<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Like system, for one statement that needs no transaction around it (a
   * statement is atomic on its own): on PostgreSQL one round trip instead of
   * three (BEGIN, statement, COMMIT), for the sign-in lookups every request runs.
   */
  autocommit<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * A transaction as the application role `crm_app`, confined by row-level
   * security to one tenant. Every business query runs here.
   */
  tenant<T>(ctx: TenantContext, fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** The adapter pg-boss runs its SQL through, on either backend. */
  readonly jobSql: { executeSql(text: string, values?: unknown[]): Promise<{ rows: Row[] }> };
  close(): Promise<void>;
}

export const APP_ROLE = 'crm_app';

/**
 * Both backends return the same JS types: bigint as number, numeric as string.
 * PGlite ignores a parser for date (it always gives a Date), so select date
 * columns as ::text to get 'YYYY-MM-DD' on both.
 */
const INT8 = 20;
const INT8_ARRAY = 1016;
const DATE = 1082;
const NUMERIC = 1700;

function tenantPreamble(ctx: TenantContext, extra = ''): string {
  // Inlined rather than bound so that BEGIN, role and settings travel in one round trip;
  // both values are checked to be safe integers first.
  if (!Number.isSafeInteger(ctx.tenantId) || ctx.tenantId <= 0) throw new Error('invalid tenant id');
  const userId = ctx.userId ?? 0;
  if (!Number.isSafeInteger(userId) || userId < 0) throw new Error('invalid user id');
  return (
    // no JIT: its compiling (10–80 ms) outweighs what it saves on the app's short statements, whose cost estimates
    // (a list walked in order and filtered, bounded by its LIMIT) often pass jit_above_cost
    `SET LOCAL ROLE ${APP_ROLE};SET LOCAL jit = off;${extra}` +
    `SELECT set_config('app.tenant_id', '${ctx.tenantId}', true), set_config('app.user_id', '${userId}', true)`
  );
}

// ---------------------------------------------------------------- PostgreSQL

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === INT8_ARRAY) return pg.types.getTypeParser(1007 as never /* int4[] parses to numbers */);
    if (oid === DATE) return (v: string) => v;
    if (oid === NUMERIC) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/**
 * A prepared statement's name on a connection: the given name and a hash of the
 * text, as the text of a lookup varies a little (a user's scopes) and one name
 * must always mean one text.
 */
function statementName(prepareAs: string, text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${prepareAs}_${(h >>> 0).toString(36)}`;
}

function pgQuery(client: pg.PoolClient, q: Sql) {
  const { text, values, prepareAs } = q.toQuery();
  return client.query(prepareAs ? { name: statementName(prepareAs, text), text, values } : { text, values });
}

function pgQueryable(client: pg.PoolClient): Queryable {
  return {
    async query<T>(q: Sql) {
      return (await pgQuery(client, q)).rows as T[];
    },
    async one<T>(q: Sql) {
      return (await pgQuery(client, q)).rows[0] as T | undefined;
    },
    async exec(text: string) {
      await client.query(text);
    },
  };
}

export function openPostgres(url: string, opts: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types: pgTypes as pg.CustomTypesConfig });
  pool.on('error', () => {
    /* an idle client lost its connection; the pool replaces it */
  });

  async function inTransaction<T>(preamble: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(`BEGIN;${preamble}`);
      const result = await fn(pgQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  return {
    kind: 'postgres',
    system: (fn) => inTransaction('', fn),
    async autocommit(fn) {
      const client = await pool.connect();
      try {
        return await fn(pgQueryable(client));
      } finally {
        client.release();
      }
    },
    tenant: (ctx, fn) => inTransaction(tenantPreamble(ctx, "SET LOCAL statement_timeout = '30s';"), fn),
    jobSql: {
      async executeSql(text, values) {
        return pool.query(text, values as unknown[]);
      },
    },
    close: () => pool.end(),
  };
}

// ---------------------------------------------------------------- PGlite

type PGliteTx = Parameters<Parameters<PGlite['transaction']>[0]>[0];

function pgliteQueryable(tx: PGliteTx): Queryable {
  return {
    async query<T>(q: Sql) {
      const { text, values } = q.toQuery();
      return (await tx.query<T>(text, values)).rows;
    },
    async one<T>(q: Sql) {
      const { text, values } = q.toQuery();
      return (await tx.query<T>(text, values)).rows[0];
    },
    async exec(text: string) {
      await tx.exec(text);
    },
  };
}

/** `dataDir` is a folder, or undefined for an in-memory database (tests). */
export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob | File } = {}): Promise<Database> {
  const db = new PGlite(dataDir, {
    loadDataDir: opts.loadDataDir,
    parsers: { [INT8]: (v: string) => Number(v), [DATE]: (v: string) => v, [NUMERIC]: (v: string) => v },
  });
  await db.waitReady;
  // PGlite runs one statement at a time; its transaction() holds the connection for the whole callback.
  return {
    kind: 'pglite',
    system: (fn) => db.transaction((tx) => fn(pgliteQueryable(tx))),
    // in the process, a round trip costs nothing; the transaction keeps it apart from one in progress
    autocommit: (fn) => db.transaction((tx) => fn(pgliteQueryable(tx))),
    tenant: (ctx, fn) =>
      db.transaction(async (tx) => {
        await tx.exec(tenantPreamble(ctx));
        return fn(pgliteQueryable(tx));
      }),
    jobSql: {
      async executeSql(text, values) {
        if (values && values.length) return db.query<Row>(text, values);
        const results = await db.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
    },
    close: () => db.close(),
    // exposed for snapshots in tests
    ...{ pglite: db },
  };
}

export function pgliteOf(database: Database): PGlite | undefined {
  return (database as unknown as { pglite?: PGlite }).pglite;
}
