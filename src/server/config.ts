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
  };
}
