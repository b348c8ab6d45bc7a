import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Database, ScriptRunner } from './client.ts';

/** What a backup holds, written last: a folder without it is an unfinished backup. */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  source: 'pglite' | 'postgres';
  migrations: string[];
  /** Rows per table, checked again after a restore. */
  tables: Record<string, number>;
  /** Photo files copied beside the tables. */
  mediaFiles: number;
}

const MANIFEST = 'manifest.json';
const BATCH = 2000;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tableNames(run: ScriptRunner): Promise<string[]> {
  const rows = await run.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> 'schema_migrations' order by c.relname`,
  );
  return rows.map((r) => r.name);
}

async function migrationsOf(run: ScriptRunner): Promise<string[]> {
  return (await run.query<{ name: string }>('select name from schema_migrations order by name')).map((r) => r.name);
}

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

/**
 * Writes every table as JSON lines from one snapshot (a repeatable-read transaction: a backup
 * taken while riders report is still one consistent moment, and the ledger in it adds up), then
 * the photo files, then the manifest. Works the same on PGlite and PostgreSQL.
 */
export async function backupDatabase(database: Database, target: string, mediaDir: string | null): Promise<BackupManifest> {
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new Error(`${target} is not empty; choose a new folder for the backup`);
  fs.mkdirSync(path.join(target, 'tables'), { recursive: true });
  const { tables, migrations } = await database.script(async (run) => {
    await run.exec('set transaction isolation level repeatable read, read only');
    const counts: Record<string, number> = {};
    for (const table of await tableNames(run)) {
      const out = fs.openSync(path.join(target, 'tables', `${table}.ndjson`), 'w');
      await run.exec(`declare dump no scroll cursor for select to_jsonb(t)::text as row from ${quote(table)} t`);
      let rows = 0;
      for (;;) {
        const batch = await run.query<{ row: string }>(`fetch ${BATCH} from dump`);
        if (batch.length === 0) break;
        fs.writeSync(out, batch.map((r) => r.row).join('\n') + '\n');
        rows += batch.length;
      }
      await run.exec('close dump');
      fs.fsyncSync(out);
      fs.closeSync(out);
      counts[table] = rows;
    }
    return { tables: counts, migrations: await migrationsOf(run) };
  });
  let mediaFiles = 0;
  if (mediaDir && fs.existsSync(mediaDir)) {
    fs.cpSync(mediaDir, path.join(target, 'media'), { recursive: true });
    mediaFiles = countFiles(path.join(target, 'media'));
  }
  const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), source: database.kind, migrations, tables, mediaFiles };
  fs.writeFileSync(path.join(target, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

async function* batches(file: string): AsyncGenerator<string[]> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let batch: string[] = [];
  for await (const line of lines) {
    if (!line) continue;
    batch.push(line);
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/**
 * Loads a backup into a freshly migrated, empty database at the same migration, in one
 * transaction: it all arrives or nothing does. Foreign keys and triggers are paused while the
 * rows go in (tables refer to each other and to themselves), then sequences move past the
 * restored ids, and the row counts are compared with the manifest before committing.
 */
export async function restoreDatabase(database: Database, source: string, mediaDir: string | null): Promise<BackupManifest> {
  const manifestPath = path.join(source, MANIFEST);
  if (!fs.existsSync(manifestPath)) throw new Error(`${source} has no ${MANIFEST}: not a backup, or an unfinished one`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as BackupManifest;
  await database.script(async (run) => {
    const migrations = await migrationsOf(run);
    if (migrations.join() !== manifest.migrations.join()) {
      throw new Error(`the backup was taken at migration ${manifest.migrations.at(-1)}, this database is at ${migrations.at(-1)}: restore with the same version of the server`);
    }
    const tables = await tableNames(run);
    for (const table of tables) {
      const [{ n }] = (await run.query<{ n: number }>(`select count(*)::int as n from ${quote(table)}`)) as [{ n: number }];
      if (n > 0) throw new Error(`table ${table} is not empty: restore needs a new, empty database`);
    }
    await run.exec('set local session_replication_role = replica');
    for (const table of tables) {
      const file = path.join(source, 'tables', `${table}.ndjson`);
      if (!fs.existsSync(file)) continue;
      const columns = (
        await run.query<{ name: string }>(
          `select column_name as name from information_schema.columns where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
          [table],
        )
      ).map((c) => quote(c.name));
      const list = columns.join(', ');
      for await (const batch of batches(file)) {
        await run.query(`insert into ${quote(table)} (${list}) overriding system value select ${list} from jsonb_populate_recordset(null::${quote(table)}, $1::jsonb)`, [`[${batch.join(',')}]`]);
      }
    }
    const sequences = await run.query<{ tbl: string; col: string; seq: string }>(
      `select table_name as tbl, column_name as col, pg_get_serial_sequence(quote_ident(table_name), column_name) as seq
         from information_schema.columns where table_schema = 'public' and pg_get_serial_sequence(quote_ident(table_name), column_name) is not null`,
    );
    for (const { tbl, col, seq } of sequences) {
      await run.query(`select setval($1, coalesce((select max(${quote(col)}) from ${quote(tbl)}), 0) + 1, false)`, [seq]);
    }
    for (const [table, expected] of Object.entries(manifest.tables)) {
      const [{ n }] = (await run.query<{ n: number }>(`select count(*)::int as n from ${quote(table)}`)) as [{ n: number }];
      if (n !== expected) throw new Error(`table ${table}: ${n} rows restored, the backup has ${expected}`);
    }
  });
  if (mediaDir && fs.existsSync(path.join(source, 'media'))) fs.cpSync(path.join(source, 'media'), mediaDir, { recursive: true });
  return manifest;
}
