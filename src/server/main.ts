import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { ALL_JOBS } from './jobs.js';
import { failAbandonedExports } from './modules/exports/exports.service.js';
import { LocalFileStorage } from './platform/files/storage.js';
import { startJobs } from './platform/jobs/jobs.js';
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS, seedDemoIfEmpty } from './seed/demo.js';
import { sql } from './db/sql.js';

const config = loadConfig();
const db = await openDatabase(config);
if (config.seedDemo) await seedDemoIfEmpty(db);
const app = await buildApp({
  db,
  config,
  files: new LocalFileStorage(config.filesDir),
  imports: { ...(config.importBatchRows ? { batchSize: config.importBatchRows } : {}), ...(config.importStaleSeconds ? { staleSeconds: config.importStaleSeconds } : {}) },
});
const jobs = config.jobs
  ? await startJobs(db, ALL_JOBS, {
      onError: (err) => app.log.error({ err }, 'job error'),
      cron: config.jobCron,
      pollingIntervalSeconds: config.jobPollSeconds,
      cronCheckSeconds: config.cronCheckSeconds,
    })
  : null;
await app.listen({ port: config.port, host: config.host });
// imports left behind by a server that stopped or died are resumed here (the first server to look takes each)
// (and exports whose server died are marked failed, for the user to ask again)
const resumeImports = () =>
  Promise.all([app.imports.resumeUnattended(), failAbandonedExports(db)]).catch((err: unknown) => app.log.error({ err }, 'import resume'));
void resumeImports();
const importSweep = setInterval(resumeImports, ((config.importStaleSeconds ?? 60) * 1000) / 2);
const port = (app.server.address() as AddressInfo).port; // PORT=0 takes a free one

const hasDemo = await db.system((q) => q.one(sql`SELECT 1 FROM tenants WHERE code = ${DEMO_TENANT.code}`));
const url = `http://localhost:${port}`;
const lines = [
  '',
  `  CRM is running: ${url}`,
  `  Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`,
  `  API docs: ${url}/api/docs`,
];
if (hasDemo) {
  lines.push('', `  Demo sign-ins (password ${DEMO_PASSWORD}):`);
  for (const u of DEMO_USERS) lines.push(`    ${u.email.padEnd(24)} ${u.title}`);
}
console.log(lines.join('\n') + '\n');

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info(`${signal}: shutting down`);
  clearInterval(importSweep);
  await app.close();
  await jobs?.stop();
  await db.close(); // PGlite flushes its files here
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
