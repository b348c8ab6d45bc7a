import pg from 'pg';
import { startOnPostgres } from './lib/servers.ts';
import { timeSequential, type Timing } from './lib/timing.ts';

/**
 * Dashboard on PostgreSQL at city scale: BENCH_CASES cases (default 10,000,000) and BENCH_WORKERS
 * workers (default 1,000,000) in one district of 10 streets × 10 communities over three years,
 * loaded set-based (generate_series, no COPY), rollups built by `dashboard_rebuild()` (community rows,
 * then the street and district rows of 0022_dashboard_levels.sql that a district's requests read), then every
 * dashboard request for the district and the last year timed (p50/p99 over BENCH_REPEAT sequential
 * requests) beside a full scan of the base tables answering the same question.
 * Run: `npm run bench:dashboard` (BENCH_CASES=1000000 for a quicker run; BENCH_KEEP_DATABASE=name keeps
 * the loaded database, and a later run with the same name measures it again without loading).
 */
const CASES = Number(process.env.BENCH_CASES ?? 10_000_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1_000_000);
const TRANSFERS = Number(process.env.BENCH_TRANSFERS ?? 1_000_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 100);
const BATCH = 1_000_000;
const DISTRICT = '440114';
const STREETS = 10;
const COMMUNITIES_PER_STREET = 10;

const streetId = (s: number) => `${DISTRICT}${String(100 + s)}`;
const communityId = (s: number, c: number) => `${streetId(s)}${String(c).padStart(3, '0')}`;

async function step<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

async function loadData(db: pg.Client) {
  const started = Date.now();
  const communities: string[] = [];
  for (let s = 1; s <= STREETS; s++) {
    await db.query(`insert into regions (id, parent_id, level, name) values ($1, $2, 'street', $3) on conflict do nothing`, [streetId(s), DISTRICT, `压测街道${s}`]);
    for (let c = 1; c <= COMMUNITIES_PER_STREET; c++) {
      communities.push(communityId(s, c));
      await db.query(`insert into regions (id, parent_id, level, name) values ($1, $2, 'community', $3) on conflict do nothing`, [communityId(s, c), streetId(s), `压测社区${s}-${c}`]);
    }
  }
  const categories = (await db.query<{ id: string; department_id: string | null }>(`select id, department_id from case_categories where parent_id is not null and department_id is not null order by code`)).rows;
  const rules = (await db.query<{ id: string }>(`select id from points_rules where kind = 'earn' order by name`)).rows;
  const account = (await db.query<{ id: string }>(`select points_account_id('issuer', '440114', '440114') as id`)).rows[0]!.id;
  const escrow = (await db.query<{ id: string }>(`select points_account_id('escrow', '440114', '440114') as id`)).rows[0]!.id;
  const communityArray = `array[${communities.map((c) => `'${c}'`).join(',')}]::text[]`;
  const categoryArray = `array[${categories.map((c) => `'${c.id}'`).join(',')}]::uuid[]`;
  const departmentArray = `array[${categories.map((c) => `'${c.department_id}'`).join(',')}]::uuid[]`;
  const ruleArray = `array[${rules.map((r) => `'${r.id}'`).join(',')}]::uuid[]`;

  await db.query(`create or replace function bench_hash(x bigint) returns bigint language sql immutable as $$ select hashint8(x)::bigint & 2147483647 $$`);
  // A bulk load, as an import would do it: triggers (rollups, foreign keys) off, indexes built after.
  await db.query(`set session_replication_role = replica`);
  await db.query(`set maintenance_work_mem = '256MB'`);
  const indexes = (
    await db.query<{ indexname: string; indexdef: string }>(
      `select i.indexname, i.indexdef from pg_indexes i where i.tablename in ('cases', 'users', 'points_transfers')
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    )
  ).rows;
  for (const i of indexes) await db.query(`drop index ${i.indexname}`);

  await step(`${WORKERS.toLocaleString()} workers`, async () => {
    for (let from = 1; from <= WORKERS; from += BATCH) {
      const to = Math.min(WORKERS, from + BATCH - 1);
      await db.query(`
        insert into users (id, region_id, role, phone, name, created_at, updated_at)
        select md5('w' || i)::uuid, (${communityArray})[1 + (bench_hash(i) % ${communities.length})], 'worker',
               '15' || lpad(i::text, 9, '0'), '骑手' || i, now() - random() * interval '1095 days', now()
        from generate_series(${from}, ${to}) i`);
    }
  });
  await step(`${CASES.toLocaleString()} cases`, async () => {
    for (let from = 1; from <= CASES; from += BATCH) {
      const to = Math.min(CASES, from + BATCH - 1);
      // Status mix: 4% submitted, 4% rejected, 12% open after dispatch, 80% closed (half rated).
      await db.query(`
        insert into cases (region_id, reporter_id, category_id, department_id, lat, lng, status, first_dispatched_at, handle_due_at, handled_at,
                           closed_at, rating, rework_count, extension_count, created_at, updated_at, step_started_at, client_key)
        select r.region, r.reporter, (${categoryArray})[r.k], case when r.s >= 8 then (${departmentArray})[r.k] end,
               -- Each community is a patch of ~1 km: heat cells cluster as they do in a real city.
               23.30 + (r.c % 10) * 0.015 + random() * 0.01, 113.15 + (r.c / 10) * 0.015 + random() * 0.01,
               case when r.s < 4 then 'submitted' when r.s < 8 then 'rejected' when r.s < 20 then 'handling' when r.s < 60 then 'closed' else 'rated' end,
               case when r.s >= 8 then r.created + r.dispatch end,
               case when r.s >= 8 then r.created + r.dispatch + interval '4 hours' end,
               case when r.s >= 20 then r.created + r.dispatch + random() * interval '6 hours' end,
               case when r.s >= 20 then r.created + r.dispatch + interval '6 hours' + random() * interval '2 days' end,
               case when r.s >= 60 then 1 + (bench_hash(r.i * 7) % 5) end,
               case when r.s >= 8 and bench_hash(r.i * 3) % 20 = 0 then 1 else 0 end,
               case when r.s >= 8 and bench_hash(r.i * 5) % 25 = 0 then 1 else 0 end,
               r.created, r.created, r.created, 'bench-' || r.i
        from (
          select i, bench_hash(i) % ${communities.length} as c, (${communityArray})[1 + (bench_hash(i) % ${communities.length})] as region, md5('w' || (1 + bench_hash(i * 11) % ${WORKERS}))::uuid as reporter,
                 1 + (bench_hash(i * 13) % ${categories.length}) as k, bench_hash(i * 17) % 100 as s,
                 now() - random() * interval '1095 days' as created, random() * interval '3 hours' as dispatch
          from generate_series(${from}, ${to}) i
        ) r`);
      process.stdout.write(`    … ${to.toLocaleString()}\n`);
    }
  });
  await step(`${TRANSFERS.toLocaleString()} point transfers`, async () => {
    await db.query(`
      insert into points_transfers (region_id, key, request_hash, kind, from_account, to_account, amount, reason, rule_id, created_at)
      select (${communityArray})[1 + (bench_hash(i) % ${communities.length})], 'bench:' || i, 'x', case when i % 10 = 0 then 'post' else 'earn' end,
             '${account}', '${escrow}', 1 + bench_hash(i * 3) % 20, '压测', case when i % 10 = 0 then null else (${ruleArray})[1 + bench_hash(i * 7) % ${rules.length}] end,
             now() - random() * interval '1095 days'
      from generate_series(1, ${TRANSFERS}) i`);
  });
  await step('indexes rebuilt', async () => {
    for (const i of indexes) await db.query(i.indexdef);
  });
  await db.query(`set session_replication_role = origin`);
  await step('rollups rebuilt (dashboard_rebuild)', () => db.query('select dashboard_rebuild()'));
  await step('vacuum analyze', () => db.query('vacuum analyze'));
  const size = (await db.query<{ t: string; n: string }>(`select 'dash_' || relname as t, n_live_tup::text as n from pg_stat_user_tables where relname like 'dash_%' order by 1`)).rows;
  console.log(`  rollup rows: ${size.map((s) => `${s.t.slice(5)} ${Number(s.n).toLocaleString()}`).join(', ')}`);
  console.log(`  load total: ${((Date.now() - started) / 60000).toFixed(1)} min`);
}

/** The same questions asked of the base tables, as a dashboard without rollups would. */
function fullScans(from: string, to: string): Record<string, string> {
  const inYear = (col: string) => `((${col} at time zone 'UTC') + interval '8 hours')::date between '${from}' and '${to}'`;
  const scope = `region_id like '${DISTRICT}%'`;
  return {
    summary: `select count(*) filter (where ${inYear('created_at')}), count(*) filter (where ${inYear('created_at')} and status not in ('submitted', 'rejected')),
        count(*) filter (where ${inYear('first_dispatched_at')}), count(*) filter (where ${inYear('first_dispatched_at')} and status in ('closed', 'rated', 'archived')),
        count(*) filter (where ${inYear('first_dispatched_at')} and handled_at <= handle_due_at), count(*) filter (where ${inYear('first_dispatched_at')} and rating >= 4),
        percentile_disc(0.5) within group (order by first_dispatched_at - created_at) filter (where ${inYear('first_dispatched_at')}),
        percentile_disc(0.5) within group (order by closed_at - created_at) filter (where ${inYear('first_dispatched_at')} and closed_at is not null)
      from cases where ${scope}`,
    'trend (day)': `select ((created_at at time zone 'UTC') + interval '8 hours')::date, count(*) from cases where ${scope} and ${inYear('created_at')} group by 1`,
    'breakdown (department)': `select department_id, count(*), count(*) filter (where status in ('closed', 'rated', 'archived')), count(*) filter (where handled_at <= handle_due_at),
        count(*) filter (where rework_count > 0), count(*) filter (where extension_count > 0), count(*) filter (where rating >= 4)
      from cases where ${scope} and ${inYear('first_dispatched_at')} group by 1`,
    'breakdown (community)': `select left(region_id, 12), count(*) from cases where ${scope} and ${inYear('created_at')} group by 1`,
    heat: `select floor(lat / 0.005), floor(lng / 0.005), count(*) from cases where ${scope} and ${inYear('created_at')} group by 1, 2`,
    'workers (active 30 d)': `select count(distinct reporter_id) from cases where ${scope} and created_at > now() - interval '30 days'`,
  };
}

async function main() {
  console.log(`dashboard bench: ${CASES.toLocaleString()} cases, ${WORKERS.toLocaleString()} workers, ${TRANSFERS.toLocaleString()} transfers`);
  const server = await startOnPostgres({ keepDatabase: process.env.BENCH_KEEP_DATABASE });
  const db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  try {
    if (!server.reused) {
      await loadData(db);
      await db.query('create table bench_loaded ()');
    } else if ((await db.query(`select to_regclass('bench_loaded') as t`)).rows[0].t === null) {
      throw new Error(`${process.env.BENCH_KEEP_DATABASE} holds a load that did not finish: drop it and run again`);
    } else console.log(`  measuring the data already in ${process.env.BENCH_KEEP_DATABASE}`);
    const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'district', password: 'Nuanxin@2026' }) });
    const token = ((await res.json()) as { token: string }).token;
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const from = new Date(Date.parse(today) - 364 * 86_400_000).toISOString().slice(0, 10);
    const month = new Date(Date.parse(today) - 31 * 86_400_000).toISOString().slice(0, 7);
    const q = `regionId=${DISTRICT}&from=${from}&to=${today}`;
    const requests: Record<string, string> = {
      summary: `/api/v1/dashboard/summary?${q}`,
      'trend (day)': `/api/v1/dashboard/trend?${q}&metric=cases.received&bucket=day`,
      'trend (week)': `/api/v1/dashboard/trend?${q}&metric=cases.closed&bucket=week`,
      'trend (month)': `/api/v1/dashboard/trend?${q}&metric=points.issued&bucket=month`,
      'breakdown (category)': `/api/v1/dashboard/breakdown?${q}&dimension=category`,
      'breakdown (department)': `/api/v1/dashboard/breakdown?${q}&dimension=department`,
      'breakdown (community)': `/api/v1/dashboard/breakdown?${q}&dimension=community`,
      heat: `/api/v1/dashboard/heat?${q}`,
      stations: `/api/v1/dashboard/stations?${q}`,
      'export.csv (community)': `/api/v1/dashboard/export.csv?${q}&table=community`,
      'report.xlsx (a month)': `/api/v1/dashboard/report.xlsx?regionId=${DISTRICT}&month=${month}`,
    };
    const scans = fullScans(from, today);
    const rows: Array<Timing & { scan: string }> = [];
    for (const [label, path] of Object.entries(requests)) {
      const timing = await timeSequential(label, REPEAT, async () => {
        const r = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
        if (!r.ok) throw new Error(`${label}: ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
      });
      const scanSql = scans[label];
      let scan = '—';
      if (scanSql) {
        const scanTiming = await timeSequential(`${label} scan`, 2, async () => void (await db.query(scanSql)));
        scan = `${scanTiming.p50.toFixed(0)} ms`;
      }
      rows.push({ ...timing, scan });
    }
    console.log(`\nDistrict ${DISTRICT}, ${from} – ${today}, ${REPEAT} sequential requests each (p99 target < 200 ms):`);
    console.log(`${'request'.padEnd(26)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}   full scan of base tables (p50 of 2)`);
    for (const r of rows) console.log(`${r.label.padEnd(26)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}   ${r.scan}`);
    const worst = Math.max(...rows.map((r) => r.p99));
    console.log(`\nworst p99: ${worst.toFixed(1)} ms — ${worst < 200 ? 'within' : 'OVER'} the 200 ms target`);
  } finally {
    await db.end();
    await server.stop();
  }
}

await main();
