import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject, afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type DbKind, type TestApp } from '../../test/harness.ts';
import { phoneJpeg } from '../../test/images.ts';
import { databaseUrl, withAdminClient, dropDatabase } from '../../test/postgres.ts';
import { openDatabase, type Database } from './client.ts';
import { migrate } from './migrate.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { reconcile } from '../modules/points/reconcile.ts';

/** A new database with the schema and nothing in it: where a restore goes. */
async function emptyDatabase(kind: DbKind): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return { database, drop: () => database.close() };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `${inject('runPrefix')}_restore_${randomBytes(4).toString('hex')}`;
  await withAdminClient(base, async (c) => void (await c.query(`create database ${name}`)));
  const database = await openDatabase({ url: databaseUrl(base, name), poolSize: 2 });
  await migrate(database);
  return {
    database,
    drop: async () => {
      await database.close();
      await dropDatabase(base, name);
    },
  };
}

async function tableCounts(database: Database): Promise<Record<string, number>> {
  return database.script(async (run) => {
    const tables = await run.query<{ name: string }>(`select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and relkind = 'r' order by 1`);
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = (await run.query<{ n: number }>(`select count(*)::int as n from "${name}"`))[0]!.n;
    return counts;
  });
}

describe.each(DB_KINDS)('backup and restore on %s', (kind) => {
  let t: TestApp;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-backup-'));
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('round-trips every row, the ledger and the photos into a new database', async () => {
    const worker = await t.newWorker();
    const photo = (await t.request('POST', '/api/v1/media', { token: worker.token, body: await phoneJpeg(), headers: { 'content-type': 'image/jpeg' } })).json();
    const mediaDir = path.join(scratch, 'media-source');
    // The test app keeps photos in its own folder; copy them where this backup looks.
    const stored = await t.request('GET', photo.url);
    fs.mkdirSync(path.join(mediaDir, photo.id.slice(0, 2)), { recursive: true });
    fs.writeFileSync(path.join(mediaDir, photo.id.slice(0, 2), `${photo.id}.jpg`), stored.rawPayload);

    const target = path.join(scratch, 'backup');
    const manifest = await backupDatabase(t.database, target, mediaDir);
    expect(manifest.tables.users).toBeGreaterThan(10);
    expect(manifest.mediaFiles).toBe(1);
    await expect(backupDatabase(t.database, target, null)).rejects.toThrow(/not empty/);

    const fresh = await emptyDatabase(kind);
    try {
      const restoredMedia = path.join(scratch, 'media-restored');
      await restoreDatabase(fresh.database, target, restoredMedia);
      const [before, after] = [await tableCounts(t.database), await tableCounts(fresh.database)];
      expect(after).toEqual(before);
      const [ledgerBefore, ledgerAfter] = [await reconcile(t.database.db), await reconcile(fresh.database.db)];
      expect(ledgerAfter.problems).toEqual([]);
      expect({ transfers: ledgerAfter.transfers, sum: ledgerAfter.ledgerSum }).toEqual({ transfers: ledgerBefore.transfers, sum: ledgerBefore.ledgerSum });
      expect(fs.readFileSync(path.join(restoredMedia, photo.id.slice(0, 2), `${photo.id}.jpg`)).equals(stored.rawPayload)).toBe(true);
      // Sequences moved past the restored ids: new rows do not collide with old ones.
      await fresh.database.db.insertInto('audit_log').values({ region_id: '440114', action: 'restore.check', entity: 'test', detail: '{}' }).execute();

      // A second restore into the now full database is refused and changes nothing.
      await expect(restoreDatabase(fresh.database, target, null)).rejects.toThrow(/not empty/);
      expect((await tableCounts(fresh.database)).users).toBe(before.users);
    } finally {
      await fresh.drop();
    }
    await expect(restoreDatabase(t.database, scratch, null)).rejects.toThrow(/no manifest.json/);
  });
});
