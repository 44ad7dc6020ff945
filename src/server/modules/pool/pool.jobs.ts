import type { JobDef } from '../../platform/jobs/jobs.js';
import { runPoolRules } from './pool.service.js';

export const POOL_JOBS: JobDef[] = [
  // nightly, when nobody is working on customers
  { name: 'pool-rules', cron: '30 2 * * *', run: (db) => runPoolRules(db) },
];
