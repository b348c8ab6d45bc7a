import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../apps/server/src/db/client.ts';
import { codeFor, stepAt } from '../apps/server/src/modules/stations/checkin-code.ts';
import { nearbyJson, prewrite } from '../apps/server/src/modules/stations/nearby-json.ts';
import { StationIndexSync } from '../apps/server/src/modules/stations/station-index-sync.ts';
import { load, printTable } from './lib/load.ts';
import { startBare, startOnPostgres } from './lib/servers.ts';
import { makeWorkers } from './lib/workers.ts';

/**
 * Nearby stations at national scale (18.61万 union stations at the end of 2024): 200,000 stations
 * spread over a 60 km square, nearest-20 with an amenity filter from a random point per request,
 * beside a bare Fastify route (and the same route sending one of nearby's own answers) and the
 * same KNN SQL timed straight through `pg`.
 * Then check-ins (扫码签到): workers scan the current code of stations with a check-in secret, each
 * scan a new visit (worker × station pairs hardly repeat), written with its daily rollup.
 * Run: `npm run bench:stations` (BENCH_SECONDS, BENCH_CONNECTIONS; BENCH_STATIONS to change the count).
 */
const COUNT = Number(process.env.BENCH_STATIONS ?? 200_000);
/** Check-ins spread over this many workers and stations: 5 million pairs, so few scans repeat a visit. */
const CHECKIN_WORKERS = 5_000;
const CHECKIN_STATIONS = 1_000;
const CENTRE = { lat: 23.4, lng: 113.22 };
const SPAN = 0.3; // ±0.3° ≈ ±33 km

async function loadStations(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // the database is dropped under it at the end
  await client.connect();
  const started = Date.now();
  await client.query(
    `insert into stations (region_id, name, type, status, address, lat, lng, amenities, services, open_hours, weekly_hours, always_open)
     select '440114001001001', '压测驿站' || g, 'nuanxin', 'built', '压测地址' || g,
            $1 + (random() * 2 - 1) * $3, $2 + (random() * 2 - 1) * $3,
            case g % 3 when 0 then array['water','toilet','charging'] when 1 then array['water','aircon'] else array['toilet','wifi','microwave'] end,
            case g % 3 when 0 then array['clinic'] when 1 then array[]::text[] else array['legal'] end,
            '08:00-22:00', '[["08:00-22:00"],["08:00-22:00"],["08:00-22:00"],["08:00-22:00"],["08:00-22:00"],["08:00-22:00"],["08:00-22:00"]]', g % 10 = 0
     from generate_series(1, $4) g`,
    [CENTRE.lat, CENTRE.lng, SPAN, COUNT],
  );
  await client.query('analyze stations');
  console.log(`loaded ${COUNT} stations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return client;
}

/** Gives `count` of the loaded stations a check-in secret, as the counter screen's first code does. */
async function withSecrets(client: pg.Client, count: number): Promise<Array<{ id: string; secret: string }>> {
  const { rows } = await client.query<{ id: string; region_id: string }>(`select id, region_id from stations where name like '压测驿站%' order by id limit $1`, [count]);
  const stations = rows.map((r) => ({ id: r.id, secret: randomBytes(32).toString('hex'), regionId: r.region_id }));
  await client.query(`insert into station_checkin_secrets (station_id, region_id, secret) select * from unnest($1::uuid[], $2::text[], $3::text[])`, [
    stations.map((s) => s.id),
    stations.map((s) => s.regionId),
    stations.map((s) => s.secret),
  ]);
  return stations;
}

/** Visits written and visits counted by the rollup: a lost or double count shows as a difference. */
async function countVisits(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ visits: string; counted: string }>(
    `select (select count(*) from station_visits) as visits, (select coalesce(sum(visits), 0) from station_visit_daily) as counted`,
  );
  await client.end();
  return { visits: Number(rows[0]!.visits), counted: Number(rows[0]!.counted) };
}

/**
 * The server keeps the in-service stations in memory, told of changes by NOTIFY: wait until it
 * has taken the loaded ones in (and a moment for the secrets' announcements) before measuring.
 */
async function untilServerSees(baseUrl: string) {
  const started = Date.now();
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/stations/nearby?lat=${CENTRE.lat}&lng=${CENTRE.lng}&limit=1`);
    const items = ((await res.json()) as { items: Array<{ name: string }> }).items;
    if (items[0]?.name.startsWith('压测驿站')) break;
    if (Date.now() - started > 120_000) throw new Error('the server never showed the loaded stations');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`server index ready ${((Date.now() - started) / 1000).toFixed(1)} s after the load`);
}

const randomPoint = () => ({ lat: CENTRE.lat + (Math.random() * 2 - 1) * SPAN * 0.9, lng: CENTRE.lng + (Math.random() * 2 - 1) * SPAN * 0.9 });

/** The service's query, timed in-process over `pg` from random points: the database's own ceiling. */
async function rawQueryTimes(client: pg.Client, runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const p = randomPoint();
    const t0 = performance.now();
    await client.query(
      `select *, earth_distance(ll_to_earth(lat, lng), ll_to_earth($1, $2)) as distance from stations
       where status in ('built', 'accepted') and amenities @> array['toilet']
       order by ll_to_earth(lat, lng) <-> ll_to_earth($1, $2) limit 20`,
      [p.lat, p.lng],
    );
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(runs * 0.5)]!, p99: times[Math.floor(runs * 0.99)]! };
}

/**
 * The route's own work with no HTTP around it: the server's index and answer writer, loaded here
 * from the same database, searched and assembled in a loop for the bench's points (hot in cache,
 * so a floor under what a request costs the server). Returns µs per call.
 */
async function routeWorkAlone(databaseUrl: string, points: Array<{ lat: number; lng: number }>) {
  const database = await openDatabase({ url: databaseUrl, poolSize: 2 });
  const sync = new StationIndexSync(database);
  try {
    await sync.start();
    const { index } = sync;
    await prewrite(index.inTreeOrder());
    const filters = points.map((p) => ({ ...p, limit: 20, amenities: ['toilet'], services: [] }));
    const now = new Date();
    // After a warm-up, the median of five rounds of 20,000 calls: a collection landing in one round moves it a lot.
    const time = (work: (i: number) => unknown) => {
      for (let i = 0; i < 5_000; i++) work(i);
      const rounds: number[] = [];
      for (let round = 0; round < 5; round++) {
        const t0 = performance.now();
        for (let i = 0; i < 20_000; i++) work(i);
        rounds.push((performance.now() - t0) / 20);
      }
      return rounds.sort((a, b) => a - b)[2]!;
    };
    const search = time((i) => index.nearby(filters[i % filters.length]!, now));
    const hits = filters.map((f) => index.nearby(f, now));
    const assembling = time((i) => nearbyJson(hits[i % hits.length]!));
    return { search, assembling };
  } finally {
    await sync.stop();
    await database.close();
  }
}

async function main() {
  const bare = await startBare();
  const server = await startOnPostgres();
  try {
    const client = await loadStations(server.databaseUrl!);
    const plan = await client.query(
      `explain select id from stations where status in ('built','accepted') and amenities @> array['toilet'] order by ll_to_earth(lat, lng) <-> ll_to_earth(23.4, 113.22) limit 20`,
    );
    console.log(`plan: ${plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'].trim()).slice(0, 3).join(' | ')}`);
    const raw = await rawQueryTimes(client, 2000);
    const checkinStations = await withSecrets(client, CHECKIN_STATIONS);
    await client.end();
    await untilServerSees(server.baseUrl);
    const workers = await makeWorkers(server.databaseUrl!, CHECKIN_WORKERS, ['440114001001', '440114001002']);

    const ceiling = await load('bare Fastify route (ceiling)', `${bare.baseUrl}/bare`, { serverPid: bare.pid });
    // A thousand random points, each request built once by the load generator (as the ceiling's is).
    const nearbyPoints = Array.from({ length: 1_000 }, () => {
      const p = randomPoint();
      return { lat: Number(p.lat.toFixed(5)), lng: Number(p.lng.toFixed(5)) };
    });
    const nearbyPaths = nearbyPoints.map((p) => `/api/v1/stations/nearby?lat=${p.lat}&lng=${p.lng}&limit=20&amenity=toilet`);
    const url = `${server.baseUrl}/api/v1/stations/nearby`;
    // The answer alone costs a share of the ceiling: the bare route sending one of nearby's own answers shows how much.
    const answer = Buffer.from(await (await fetch(`${server.baseUrl}${nearbyPaths[0]}`)).arrayBuffer());
    await fetch(`${bare.baseUrl}/kept`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: answer });
    const sameAnswer = await load(`bare route sending nearby's answer (${answer.length} B)`, `${bare.baseUrl}/kept`, { serverPid: bare.pid });
    const saturated = await load('GET /stations/nearby (20, toilet), saturated', url, { paths: nearbyPaths, serverPid: server.pid });
    const moderate = await load('GET /stations/nearby, 2 connections', url, { paths: nearbyPaths, connections: 2, serverPid: server.pid });
    const scan = (req: { headers: Record<string, string>; path: string }) => {
      const station = checkinStations[Math.floor(Math.random() * checkinStations.length)]!;
      const worker = workers[Math.floor(Math.random() * workers.length)]!;
      const code = codeFor(station.secret, station.id, stepAt(new Date()));
      const headers = { ...req.headers, authorization: `Bearer ${worker.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
      return { ...req, headers, body: JSON.stringify({ stationId: station.id, code }) };
    };
    const checkins = await load('POST /stations/checkins (new visits)', `${server.baseUrl}/api/v1/stations/checkins`, { method: 'POST', setupRequest: scan, serverPid: server.pid });
    printTable(`Stations on PostgreSQL (${COUNT} stations)`, [sameAnswer, saturated, moderate, checkins], ceiling, 1);
    const work = await routeWorkAlone(server.databaseUrl!, nearbyPoints);
    console.log(`nearby's own work in this process, hot, no HTTP: search ${work.search.toFixed(1)} µs + assembling the answer ${work.assembling.toFixed(1)} µs per call`);
    const visits = await countVisits(server.databaseUrl!);
    console.log(`check-ins: ${checkins.succeeded} answered 200, ${visits.visits} visits written, ${visits.counted} counted in the daily rollup (equal: ${visits.visits === visits.counted})`);
    console.log(`raw KNN query over pg, 2000 random points: p50 ${raw.p50.toFixed(2)} ms, p99 ${raw.p99.toFixed(2)} ms`);
  } finally {
    await server.stop();
    await bare.stop();
  }
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
