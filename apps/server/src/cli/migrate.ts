import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';

/** `npm run migrate`: apply pending migrations to DATABASE_URL (or the embedded database). */
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
const applied = await migrate(database);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
await database.close();
