import { expect, it } from 'vitest';
import { loadConfig } from './config.js';

it('reads job schedules and scheduler intervals from the environment', () => {
  expect(loadConfig({})).toMatchObject({ jobCron: {}, jobPollSeconds: undefined, cronCheckSeconds: undefined });
  const c = loadConfig({ CRM_JOB_CRON_SESSION_CLEANUP: '*/5 * * * *', CRM_JOB_CRON_POOL_RULES: 'off', CRM_JOB_CRON_: 'x', CRM_JOB_POLL_SECONDS: '0.5', CRM_CRON_CHECK_SECONDS: '1' });
  expect(c.jobCron).toEqual({ 'session-cleanup': '*/5 * * * *', 'pool-rules': 'off' });
  expect(c).toMatchObject({ jobPollSeconds: 0.5, cronCheckSeconds: 1 });
});
