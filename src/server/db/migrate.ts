import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';
import { sql } from './sql.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: string;
  text: string;
  checksum: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return { version: f.replace(/\.sql$/, ''), text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/**
 * Applies pending migrations, each in its own transaction. An advisory lock
 * makes app servers that start together take turns; a migration edited after it
 * was applied stops the start-up rather than drifting silently.
 */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<string[]> {
  const applied: string[] = [];
  // under the lock too: two servers starting on an empty database would both create the table
  await db.system(async (q) => {
    await q.query(sql`SELECT pg_advisory_xact_lock(7212001)`);
    await q.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  for (const m of migrations) {
    await db.system(async (q) => {
      await q.query(sql`SELECT pg_advisory_xact_lock(7212001)`);
      const done = await q.one<{ checksum: string }>(sql`SELECT checksum FROM schema_migrations WHERE version = ${m.version}`);
      if (done) {
        if (done.checksum !== m.checksum) throw new Error(`migration ${m.version} was changed after it was applied`);
        return;
      }
      await q.exec(m.text);
      await q.query(sql`INSERT INTO schema_migrations (version, checksum) VALUES (${m.version}, ${m.checksum})`);
      applied.push(m.version);
    });
  }
  return applied;
}
