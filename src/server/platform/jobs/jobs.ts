import PgBoss from 'pg-boss';
import type { Database } from '../../db/database.js';
import { deleteExpiredSessions } from '../auth/auth.repo.js';

/**
 * Background jobs on pg-boss, whose queue lives in the same database (on
 * PostgreSQL and on PGlite alike). Several app servers share it: each job is
 * taken by one worker, and a schedule fires once per slot.
 */
export interface JobDef {
  name: string;
  /** Cron, read in UTC (pg-boss's default); omitted for on-demand jobs. */
  cron?: string;
  run(db: Database, data: unknown): Promise<unknown>;
}

/** The platform's own jobs; modules bring theirs (see src/server/jobs.ts). */
export const PLATFORM_JOBS: JobDef[] = [
  {
    name: 'session-cleanup',
    cron: '17 * * * *',
    // infrastructure across tenants, so it runs in the system context
    run: (db) => db.system(async (q) => ({ deleted: await deleteExpiredSessions(q, 1) })),
  },
];

export interface Jobs {
  boss: PgBoss;
  /** Queue a job now; resolves to its id. */
  send(name: string, data?: object): Promise<string>;
  /** Waits until a job has finished and returns its final state and output. */
  waitFor(name: string, id: string, timeoutMs?: number): Promise<{ state: string; output: unknown }>;
  stop(): Promise<void>;
}

export async function startJobs(
  db: Database,
  jobs: JobDef[],
  opts: {
    onError?: (err: Error) => void;
    pollingIntervalSeconds?: number;
    /** Cron by job name, replacing the job's own; `off` unschedules the job. */
    cron?: Record<string, string>;
    /** How often pg-boss checks the schedules (1–45 s; its default is 30). */
    cronCheckSeconds?: number;
  } = {},
): Promise<Jobs> {
  const unknown = Object.keys(opts.cron ?? {}).filter((name) => !jobs.some((j) => j.name === name));
  if (unknown.length) throw new Error(`cron given for unknown jobs: ${unknown.join(', ')}`);
  const check = opts.cronCheckSeconds;
  // a pg-boss whose start failed cannot start again: a fresh one each attempt
  const boss = await retryingConcurrentSetUp(async () => {
    const b = new PgBoss({
      db: db.jobSql, schema: 'pgboss', supervise: true, schedule: true,
      ...(check ? { cronMonitorIntervalSeconds: check, cronWorkerIntervalSeconds: check } : {}),
    });
    b.on('error', (err) => opts.onError?.(err));
    return b.start();
  });
  for (const job of jobs) {
    await retryingConcurrentSetUp(() => boss.createQueue(job.name));
    await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async ([j]) => job.run(db, j.data));
    // the schedule is one row per job in the shared database, not per server
    const cron = opts.cron?.[job.name] ?? job.cron;
    if (cron === 'off') await boss.unschedule(job.name);
    else if (cron) await boss.schedule(job.name, cron);
  }
  return {
    boss,
    async send(name, data = {}) {
      const id = await boss.send(name, data);
      if (!id) throw new Error(`job ${name} was not queued`);
      return id;
    },
    async waitFor(name, id, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await boss.getJobById(name, id);
        if (job && ['completed', 'failed', 'cancelled'].includes(job.state)) return { state: job.state, output: job.output };
        if (Date.now() > deadline) throw new Error(`job ${name}/${id} did not finish in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}

/**
 * Retries pg-boss's set-up when servers start together on a database where it
 * is not installed yet: its advisory lock does not stop the loser's `CREATE
 * SCHEMA IF NOT EXISTS` from failing with a unique violation (23505), and two
 * servers creating queues (partitions of one table) can deadlock (40P01). The
 * other server's work is done by then, so trying again succeeds.
 */
async function retryingConcurrentSetUp<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= 5 || !['23505', '40P01'].includes((err as { code?: string }).code ?? '')) throw err;
      await new Promise((r) => setTimeout(r, 100 * n + Math.random() * 200));
    }
  }
}
