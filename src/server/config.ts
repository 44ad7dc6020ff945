import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded database. */
  dataDir: string;
  /** Folder of uploaded files (default: files/ in the data folder). */
  filesDir: string;
  /** PostgreSQL instead of the embedded database. */
  databaseUrl?: string;
  dbPoolMax: number;
  logLevel: string;
  /** Trust X-Forwarded-* from a reverse proxy (client IP, https). */
  trustProxy: boolean;
  secureCookies: boolean;
  /** Demo company on first start: default on for the embedded database, off with DATABASE_URL. */
  seedDemo: boolean;
  /** Run the job workers and schedules in this process. */
  jobs: boolean;
  /**
   * Cron overrides by job name, from CRM_JOB_CRON_<NAME> (the name upper-cased,
   * `-` as `_`: CRM_JOB_CRON_SESSION_CLEANUP='* * * * *'); `off` unschedules it.
   * The schedule is kept in the database, so every server should have the same.
   */
  jobCron: Record<string, string>;
  /** Seconds between a job worker's polls of its queue (CRM_JOB_POLL_SECONDS). */
  jobPollSeconds?: number;
  /** Rows an import writes per transaction (CRM_IMPORT_BATCH_ROWS). */
  importBatchRows?: number;
  /** Seconds without a heartbeat after which an import counts as orphaned and another server resumes it (CRM_IMPORT_STALE_SECONDS). */
  importStaleSeconds?: number;
  /** Seconds between pg-boss's checks of the schedules, 1–45 (CRM_CRON_CHECK_SECONDS; pg-boss's default 30). */
  cronCheckSeconds?: number;
}

const flag = (v: string | undefined, dflt: boolean) => (v === undefined || v === '' ? dflt : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.CRM_DATA_DIR ?? './data'),
    filesDir: resolve(env.CRM_FILES_DIR ?? join(env.CRM_DATA_DIR ?? './data', 'files')),
    databaseUrl,
    dbPoolMax: Number(env.DB_POOL_MAX ?? 10),
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: flag(env.TRUST_PROXY, false),
    secureCookies: flag(env.COOKIE_SECURE, false),
    seedDemo: flag(env.CRM_DEMO, !databaseUrl),
    jobs: flag(env.CRM_JOBS, true),
    jobCron: Object.fromEntries(
      Object.entries(env)
        .filter(([k, v]) => k.startsWith(JOB_CRON_PREFIX) && k.length > JOB_CRON_PREFIX.length && v)
        .map(([k, v]) => [k.slice(JOB_CRON_PREFIX.length).toLowerCase().replaceAll('_', '-'), v!.trim()]),
    ),
    jobPollSeconds: positive(env.CRM_JOB_POLL_SECONDS),
    cronCheckSeconds: positive(env.CRM_CRON_CHECK_SECONDS),
    importBatchRows: positive(env.CRM_IMPORT_BATCH_ROWS),
    importStaleSeconds: positive(env.CRM_IMPORT_STALE_SECONDS),
  };
}

const JOB_CRON_PREFIX = 'CRM_JOB_CRON_';
const positive = (v: string | undefined) => (v && Number(v) > 0 ? Number(v) : undefined);
