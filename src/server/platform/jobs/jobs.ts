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
  /** Cron in the server's time zone; omitted for on-demand jobs. */
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
  opts: { onError?: (err: Error) => void; pollingIntervalSeconds?: number } = {},
): Promise<Jobs> {
  const boss = new PgBoss({ db: db.jobSql, schema: 'pgboss', supervise: true, schedule: true });
  boss.on('error', (err) => opts.onError?.(err));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name);
    await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2 }, async ([j]) => job.run(db, j.data));
    if (job.cron) await boss.schedule(job.name, job.cron);
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
