import { load, median, printTable, ROUNDS, type LoadResult } from './lib/load.ts';
import { startBare, startOnPGlite, startOnPostgres, type Server } from './lib/servers.ts';
import { meScenario } from './me.ts';

/**
 * `npm run bench`: each scenario against our server on PostgreSQL and on PGlite, beside a bare
 * Fastify route measured in the same run. The three are measured in turn, round after round, and
 * the medians are printed, so a noisy neighbour hits ceiling and scenario alike.
 * Not a test: nothing fails on speed. BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS tune it.
 */
async function main() {
  const servers: Server[] = [];
  try {
    const bare = await startBare();
    servers.push(bare);
    const postgres = await startOnPostgres();
    servers.push(postgres);
    const pglite = await startOnPGlite();
    servers.push(pglite);

    const ceiling: LoadResult[] = [];
    const onPostgres: LoadResult[] = [];
    const onPGlite: LoadResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      ceiling.push(await load('bare Fastify route (ceiling)', `${bare.baseUrl}/bare`, { serverPid: bare.pid }));
      onPostgres.push(await meScenario(postgres));
      onPGlite.push(await meScenario(pglite));
      console.log(`round ${round}/${ROUNDS}: bare ${ceiling.at(-1)!.rps}, PostgreSQL ${onPostgres.at(-1)!.rps}, PGlite ${onPGlite.at(-1)!.rps} req/s`);
    }
    printTable('Identity: GET /api/v1/me', [median(onPostgres), median(onPGlite)], median(ceiling));
  } finally {
    await Promise.allSettled(servers.map((s) => s.stop()));
  }
}

await main();
