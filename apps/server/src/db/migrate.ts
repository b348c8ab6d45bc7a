import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same in every process of this application.
const MIGRATION_LOCK = 7_242_001;

/**
 * Applies the pending forward-only migrations, each in its own transaction. An advisory lock lets
 * several server processes start at once against one PostgreSQL: one migrates, the others wait.
 */
export async function migrate(database: Database): Promise<string[]> {
  const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const file of files) {
    const done = await database.script(async (run) => {
      await run.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await run.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
      const rows = await run.query('select 1 from schema_migrations where name = $1', [file]);
      if (rows.length > 0) return false;
      await run.exec(fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'));
      await run.query('insert into schema_migrations (name) values ($1)', [file]);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}
