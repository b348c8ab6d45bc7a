import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { load, printTable, type LoadResult } from './lib/load.ts';
import { startOnPostgres, statementsOf } from './lib/servers.ts';
import { makeWorkers } from './lib/workers.ts';

/**
 * Points on PostgreSQL: staff awards (earning transfers) and redemptions (hold + stock + voucher)
 * through the HTTP API, spread over many workers, beside pgbench TPC-B on the same server and
 * machine — the ceiling for "a small write transaction".
 * Run: `node --import tsx bench/points.ts` (BENCH_SECONDS, BENCH_CONNECTIONS as for `npm run bench`).
 */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 500);
// Redemptions measure the write path, not refusals: each worker gets as many points as the
// per-person limit lets it spend at a price of 1 (the race test covers workers with barely enough).
const PER_PERSON_LIMIT = 100;
const REDEEM_PRICE = 1;
/** A street's catalogue: redemptions spread over this many rewards, as riders choose different ones. */
const CATALOGUE = 20;

async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Nuanxin@2026' }) });
  return ((await res.json()) as { token: string }).token;
}

/** Gives every worker `points` more through the batch API (setup, not measured). */
async function fund(baseUrl: string, staff: string, ruleId: string, workers: Array<{ id: string }>, points: number) {
  const perAward = 5 * 5; // the rule's 5 points at the highest multiplier
  for (let round = 0; round < Math.ceil(points / perAward); round++) {
    for (let start = 0; start < workers.length; start += 100) {
      const res = await fetch(`${baseUrl}/api/v1/points/awards/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ ruleId, note: '压测充值', multiplier: 5, workerIds: workers.slice(start, start + 100).map((w) => w.id) }),
      });
      if (!res.ok) throw new Error(`funding failed: ${res.status} ${await res.text()}`);
    }
  }
}

async function vouchersOf(databaseUrl: string, rewardId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('select count(*) as n from vouchers where reward_id = $1', [rewardId]);
  await client.end();
  return Number(rows[0]!.n);
}

function pgbenchTps(databaseUrl: string, seconds: number): number {
  const env = { ...process.env, PGHOST: '127.0.0.1', PGUSER: 'postgres' };
  const db = new URL(databaseUrl).pathname.slice(1);
  // Scale 10: ten branches, so ten clients are not all queued on one row (scale 1 measures that queue).
  execFileSync('pgbench', ['-i', '-s', '10', '-q', db], { env, stdio: 'ignore' });
  const out = execFileSync('pgbench', ['-c', '10', '-j', '2', '-T', String(seconds), db], { env }).toString();
  return Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0));
}

async function main() {
  // Statements counted, to print the round trips a redemption costs.
  const server = await startOnPostgres({ captureStatements: true });
  try {
    const base = server.baseUrl;
    const staff = await login(base, 'district');
    const partner = await login(base, 'barber');
    const workers = await makeWorkers(server.databaseUrl!, WORKERS, ['440114001001']);
    const rules = (await (await fetch(`${base}/api/v1/points/rules?regionId=440114001`, { headers: { authorization: `Bearer ${staff}` } })).json()) as Array<{ id: string; name: string }>;
    const rule = rules.find((r) => r.name === '政策宣传')!;
    const pick = () => workers[Math.floor(Math.random() * workers.length)]!;

    const earning = await load('earning transfer (POST /points/awards)', `${base}/api/v1/points/awards`, {
      method: 'POST',
      serverPid: server.pid,
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${staff}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ workerId: pick().id, ruleId: rule.id, note: '压测' }),
      }),
    });

    // Earnings that come in groups (an activity's attendees): 100 workers per request, one transaction.
    const BATCH = 100;
    const batch = await load(`batch earning, ${BATCH} per request (transfers/s)`, `${base}/api/v1/points/awards/batch`, {
      method: 'POST',
      serverPid: server.pid,
      connections: 4,
      setupRequest: (req) => {
        const start = Math.floor(Math.random() * (workers.length - BATCH));
        return {
          ...req,
          headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${staff}`, 'idempotency-key': randomUUID() },
          body: JSON.stringify({ ruleId: rule.id, note: '压测', workerIds: workers.slice(start, start + BATCH).map((w) => w.id) }),
        };
      },
    });
    const batchTransfers = { ...batch, rps: batch.rps * BATCH, label: batch.label };

    const created = (await (await fetch(`${base}/api/v1/rewards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${partner}` },
      body: JSON.stringify({ name: '压测兑换', kind: 'service', pointsPrice: REDEEM_PRICE, stock: 1_000_000, perPersonLimit: PER_PERSON_LIMIT }),
    })).json()) as { id: string };
    // Enough for the single-reward run and the catalogue run.
    await fund(base, staff, rule.id, workers, 2 * PER_PERSON_LIMIT * REDEEM_PRICE);
    await fetch(`${base}/api/v1/rewards/${created.id}/review`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` }, body: JSON.stringify({ decision: 'publish' }) });
    await statementsOf(server);
    const redeeming = await load('redemption (POST /rewards/:id/redeem)', `${base}/api/v1/rewards/${created.id}/redeem`, {
      method: 'POST',
      serverPid: server.pid,
      setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${pick().token}`, 'idempotency-key': randomUUID() } }),
    });

    const perRedemption = (await statementsOf(server)).count / Math.max(1, redeeming.requests);
    const issued = await vouchersOf(server.databaseUrl!, created.id);

    // The same, spread over a catalogue: no single reward row that every redeemer queues on.
    const catalogue: string[] = [];
    for (let i = 0; i < CATALOGUE; i++) {
      const reward = (await (await fetch(`${base}/api/v1/rewards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${partner}` },
        body: JSON.stringify({ name: `压测兑换目录${i}`, kind: 'service', pointsPrice: REDEEM_PRICE, stock: 1_000_000, perPersonLimit: PER_PERSON_LIMIT }),
      })).json()) as { id: string };
      await fetch(`${base}/api/v1/rewards/${reward.id}/review`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${staff}` }, body: JSON.stringify({ decision: 'publish' }) });
      catalogue.push(reward.id);
    }
    const spread = await load(`redemption over ${CATALOGUE} rewards`, `${base}/api/v1/rewards/${catalogue[0]}/redeem`, {
      method: 'POST',
      serverPid: server.pid,
      setupRequest: (req) => ({
        ...req,
        path: `/api/v1/rewards/${catalogue[Math.floor(Math.random() * CATALOGUE)]}/redeem`,
        headers: { ...req.headers, authorization: `Bearer ${pick().token}`, 'idempotency-key': randomUUID() },
      }),
    });
    const recon = execFileSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/reconcile.ts'], { env: { ...process.env, DATABASE_URL: server.databaseUrl } }).toString().trim();
    const tps = pgbenchTps(server.databaseUrl!, Number(process.env.BENCH_SECONDS ?? 10));
    const ceiling: LoadResult = { label: 'pgbench TPC-B -s 10, 10 clients (tps)', requests: 0, succeeded: 0, rps: tps, p50: 0, p99: 0, non2xx: 0, errors: 0 };
    printTable(`Points on PostgreSQL (${WORKERS} workers)`, [earning, batchTransfers, redeeming, spread], ceiling, 1);
    console.log(`batch requests: ${batch.rps} req/s, p50 ${batch.p50} ms, p99 ${batch.p99} ms`);
    console.log(`earning: ${earning.succeeded} awarded, ${earning.non2xx} refused, ${earning.errors} errors`);
    console.log(
      `redemption: ${redeeming.succeeded} succeeded (${issued} vouchers in the database), ${redeeming.non2xx} refused, ${redeeming.errors} errors; ` +
        `each worker funded with ${PER_PERSON_LIMIT * REDEEM_PRICE} points (price ${REDEEM_PRICE}, limit ${PER_PERSON_LIMIT} per person), all redeeming one reward row`,
    );
    console.log(`redemption: ${perRedemption.toFixed(2)} statements per request (sessions cached after each worker's first request)`);
    console.log(`redemption over the catalogue: ${spread.succeeded} succeeded, ${spread.non2xx} refused, ${spread.errors} errors`);
    console.log(`after the run: ${recon.replaceAll('\n', '; ')}`);
  } finally {
    await server.stop();
  }
}

await main();
