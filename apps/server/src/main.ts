import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo, shouldSeed } from './db/seeds/demo.ts';
import { markPGliteInUse } from './cli/pglite-guard.ts';

/** How long a stopping server keeps reading requests already on their way. */
const SHUTDOWN_GRACE_MS = 1000;

/** `npm start`: open the database, migrate, seed a fresh demo, serve, and shut down gracefully. */
async function main() {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE });
  const release = database.kind === 'pglite' ? markPGliteInUse(config.DATA_DIR) : () => {};
  const applied = await migrate(database);
  const app = await buildApp({ config, database });
  if (applied.length) app.log.info({ applied }, 'migrations applied');
  if (await shouldSeed(database, config)) {
    const counts = await seedDemo(database);
    app.log.info({ counts }, 'demo data loaded');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Requests already sent may still sit unread in a socket that looks idle, and closing the
    // server closes idle sockets: give the event loop a moment to read them, then stop accepting
    // and let every running request finish (at most 10 s more).
    await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS));
    const hard = setTimeout(() => app.server.closeAllConnections(), 10_000);
    await app.close();
    clearTimeout(hard);
    // Then the database.
    await database.close();
    release();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: config.HOST, port: config.PORT });
  app.log.info(`暖新 Nuanxin ready (${database.kind}): H5 http://localhost:${config.PORT}/  console http://localhost:${config.PORT}/admin/  API docs http://localhost:${config.PORT}/docs`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
