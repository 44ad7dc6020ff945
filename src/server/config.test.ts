import { expect, it } from 'vitest';
import { loadConfig } from './config.js';

it('uses the embedded database with demo data by default, and PostgreSQL without demo data when DATABASE_URL is set', () => {
  const embedded = loadConfig({});
  expect(embedded).toMatchObject({ port: 3000, databaseUrl: undefined, seedDemo: true, jobs: true });
  expect(embedded.dataDir).toMatch(/\/data$/);
  expect(loadConfig({ DATABASE_URL: 'postgres://x/y' })).toMatchObject({ databaseUrl: 'postgres://x/y', seedDemo: false });
  expect(loadConfig({ DATABASE_URL: 'postgres://x/y', CRM_DEMO: '1' }).seedDemo).toBe(true);
  expect(loadConfig({ PORT: '8080', CRM_DATA_DIR: '/srv/crm' })).toMatchObject({ port: 8080, dataDir: '/srv/crm' });
});
