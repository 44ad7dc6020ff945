import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { type Database, openPglite, openPostgres } from './database.js';
import { migrate } from './migrate.js';

/** Opens the configured backend and brings its schema up to date. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>): Promise<Database> {
  let db: Database;
  if (config.databaseUrl) {
    db = openPostgres(config.databaseUrl, { max: config.dbPoolMax });
  } else {
    const dir = join(config.dataDir, 'pgdata');
    mkdirSync(dir, { recursive: true });
    db = await openPglite(dir);
  }
  await migrate(db);
  return db;
}
