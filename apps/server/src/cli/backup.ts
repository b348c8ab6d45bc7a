import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { backupDatabase } from '../db/backup.ts';
import { refuseWhilePGliteServes } from './pglite-guard.ts';

/**
 * `npm run backup -- <folder>`: every table from one consistent snapshot, plus the photos.
 * PostgreSQL can be backed up while the server runs; the embedded PGlite only when it is stopped.
 */
const target = process.argv[2];
if (!target) {
  console.error('usage: npm run backup -- <new folder>');
  process.exit(2);
}
const config = loadConfig();
if (!config.DATABASE_URL) refuseWhilePGliteServes(config.DATA_DIR);
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const manifest = await backupDatabase(database, path.resolve(target), config.MEDIA_DIR ?? path.join(config.DATA_DIR, 'media'));
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(`backup written to ${path.resolve(target)}: ${Object.keys(manifest.tables).length} tables, ${rows} rows, ${manifest.mediaFiles} photo files`);
} catch (err) {
  console.error(`backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
