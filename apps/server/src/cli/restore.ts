import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { restoreDatabase } from '../db/backup.ts';
import { reconcile } from '../modules/points/reconcile.ts';
import { refuseWhilePGliteServes } from './pglite-guard.ts';

/**
 * `npm run restore -- <backup folder>`: into a new, empty database (an empty DATA_DIR, or a new
 * PostgreSQL database in DATABASE_URL). Checks row counts and that the points ledger reconciles.
 */
const source = process.argv[2];
if (!source) {
  console.error('usage: npm run restore -- <backup folder>');
  process.exit(2);
}
const config = loadConfig();
if (!config.DATABASE_URL) refuseWhilePGliteServes(config.DATA_DIR);
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  await migrate(database);
  const manifest = await restoreDatabase(database, path.resolve(source), config.MEDIA_DIR ?? path.join(config.DATA_DIR, 'media'));
  const ledger = await reconcile(database.db);
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(`restored ${rows} rows in ${Object.keys(manifest.tables).length} tables and ${manifest.mediaFiles} photo files from ${manifest.createdAt}`);
  if (ledger.problems.length) {
    for (const problem of ledger.problems) console.log(`PROBLEM ${problem}`);
    process.exitCode = 1;
  } else console.log(`ledger reconciles: ${ledger.transfers} transfers, sum ${ledger.ledgerSum}`);
} catch (err) {
  console.error(`restore failed, nothing was written: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
