import { CONTRACT_JOBS } from './modules/contracts/contracts.routes.js';
import { CUSTOMER_VALUE_JOBS } from './modules/customer-value/customer-value.routes.js';
import { POOL_JOBS } from './modules/pool/pool.jobs.js';
import { type JobDef, PLATFORM_JOBS } from './platform/jobs/jobs.js';

/** Every background job of the server: the platform's and the modules'. */
export const ALL_JOBS: JobDef[] = [...PLATFORM_JOBS, ...POOL_JOBS, ...CUSTOMER_VALUE_JOBS, ...CONTRACT_JOBS];
