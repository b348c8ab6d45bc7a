import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/client.ts';
import { reconcile } from '../modules/points/reconcile.ts';

/** `npm run reconcile`: checks the points ledger; exits 1 and lists the problems if it does not add up. */
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
const report = await reconcile(database.db);
await database.close();
console.log(`${report.transfers} transfers, ${report.accounts} accounts, ledger sum ${report.ledgerSum}`);
if (report.problems.length) {
  for (const problem of report.problems) console.log(`PROBLEM ${problem}`);
  process.exit(1);
}
console.log('ledger reconciles');
