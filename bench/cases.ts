import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { CONNECTIONS, load, printTable, type LoadResult } from './lib/load.ts';
import { startBare, startOnPostgres, statementsOf, type Captured, type Server } from './lib/servers.ts';
import { makeWorkers } from './lib/workers.ts';

/**
 * Cases on PostgreSQL with a year of a district's cases loaded (1,000,000 and their events, by
 * set-based SQL, not through the API): filing a report, the desk's lists (a department handler's
 * queue; a street's new, overdue and all, page 1 and a deep page), and a rainstorm burst with
 * client retries checked in SQL afterwards. Beside them, in the same run: a bare Fastify route,
 * each list's own SQL replayed over raw `pg` (captured from the server, so it is the same text),
 * its EXPLAIN ANALYZE, and the statements each request sends.
 * Run: `npm run bench:cases` (BENCH_SECONDS, BENCH_CONNECTIONS; BENCH_CASES for the count,
 * BENCH_LIST_CONNECTIONS for the lists, BENCH_BURST for the burst's reports).
 */
const COUNT = Number(process.env.BENCH_CASES ?? 1_000_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2_000);
// A workbench is a few staff at once, not a saturating crowd: lists are timed at this concurrency.
const LIST_CONNECTIONS = Number(process.env.BENCH_LIST_CONNECTIONS ?? 4);
const BURST = Number(process.env.BENCH_BURST ?? 5_000);
const BURST_SECONDS = 60;
const DEEP_PAGE = 50;
const PLAN_FILE = '.tmp/bench-cases-plans.txt';

const COMMUNITIES = ['440114001001', '440114001002', '440114002001', '440114002002'];
// Near each community's stations (WGS-84), so the nearest-station lookup places cases as in life.
const CENTRES = [
  [23.402, 113.216],
  [23.397, 113.222],
  [23.37, 113.23],
  [23.366, 113.238],
] as const;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // the database is dropped under it at the end
  await client.connect();
  return client;
}

/**
 * A year of cases over the district's four communities, its categories and their departments:
 * the last two weeks spread over every open step (a quarter of running clocks overdue), older
 * ones mostly archived, some rejected, deferred or stuck in handling; then every case's events
 * along its path. Triggers are off for the load (the dashboard rollups are rebuilt once after).
 */
export async function loadCases(client: pg.Client, count: number) {
  const { rows: ids } = await client.query<{ staff: string; handler: string; department: string }>(
    `select (select id from users where username = 'xinhua') as staff, u.id as handler, u.department_id as department from users u where u.username = 'chengguan'`,
  );
  const { staff, handler, department } = ids[0]!;
  // Bulk-load practice: the secondary indexes are dropped and built again after (a sorted build
  // instead of a million random inserts into each); the ones behind constraints stay.
  const { rows: indexes } = await client.query<{ name: string; definition: string }>(
    `select i.indexname as name, i.indexdef as definition from pg_indexes i
     where i.schemaname = 'public' and i.tablename in ('cases', 'case_events')
       and not exists (select 1 from pg_constraint k where k.conindid = format('%I', i.indexname)::regclass)`,
  );
  const started = Date.now();
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  await client.query('set session_replication_role = replica');
  await client.query(
    `insert into cases (region_id, reporter_id, category_id, description, lat, lng, urgent, status, department_id, grid_id, assignee_id,
       due_at, step_started_at, handle_due_at, escalation_level, overdue_at, result, outcome, rating, first_dispatched_at, handled_at, closed_at,
       created_at, updated_at)
     with k as (
       select array_agg(id order by code) as ids, array_agg(department_id order by code) as deps
       from case_categories where region_id = '440114' and parent_id is not null and status = 'active'
     ), w as (
       select array_agg(id order by phone) as ids from users where role = 'worker' and phone like '166%'
     ), base as (
       select g, 1 + g % 4 as ci, 1 + floor(random() * array_length(k.ids, 1))::int as ki,
              now() - random() * interval '365 days' as created, random() as rs, random() as rr, random() as rd
       from generate_series(1, $1) g, k
     ), s1 as (
       select b.*, case when b.created > now() - interval '14 days' then
           case when rs < 0.10 then 'submitted' when rs < 0.15 then 'accepted' when rs < 0.30 then 'dispatched' when rs < 0.40 then 'acknowledged'
                when rs < 0.60 then 'handling' when rs < 0.63 then 'extended' when rs < 0.73 then 'handled' when rs < 0.80 then 'verifying'
                when rs < 0.90 then 'closed' when rs < 0.93 then 'rated' when rs < 0.97 then 'rejected' else 'deferred' end
         else case when rs < 0.10 then 'rejected' when rs < 0.12 then 'deferred' when rs < 0.13 then 'handling' else 'archived' end
         end as status
       from base b
     ), s as (
       select s1.*,
              case when status not in ('submitted', 'accepted', 'rejected') then created + rd * interval '30 minutes' end as dispatched_at,
              case when status in ('handled', 'verifying', 'closed', 'rated', 'archived') then least(now(), created + interval '2 hours' + rr * interval '2 days') end as handled,
              case when status in ('submitted', 'accepted', 'dispatched', 'acknowledged', 'handling', 'extended', 'handled', 'verifying') then
                case when created > now() - interval '14 days' then now() + (rr * 48 - 12) * interval '1 hour' else created + interval '3 days' end end as due
       from s1
     ), t as (
       select s.*, case when status in ('closed', 'rated', 'archived') then least(now(), handled + rd * interval '6 hours') end as closed from s
     )
     select ($3::text[])[t.ci], w.ids[1 + t.g % array_length(w.ids, 1)], k.ids[t.ki], '压测案件' || t.g,
            ($4::float8[])[t.ci] + (random() - 0.5) * 0.012, ($5::float8[])[t.ci] + (random() - 0.5) * 0.012, t.rd < 0.05, t.status,
            case when t.status not in ('submitted', 'accepted', 'rejected') then k.deps[t.ki] end,
            case when t.status not in ('submitted', 'accepted', 'rejected') and k.deps[t.ki] is null then ($3::text[])[t.ci] || '001' end,
            case when t.status not in ('submitted', 'accepted', 'rejected', 'dispatched') and k.deps[t.ki] = $2 then $6::uuid end,
            t.due, least(now(), coalesce(t.closed, t.handled, t.dispatched_at, t.created)),
            case when t.dispatched_at is not null then t.created + interval '3 days' end,
            -- As the escalation job would have it (case-clock.ts), so it finds nothing to catch up on.
            case when now() >= t.due + greatest(t.due - least(now(), coalesce(t.closed, t.handled, t.dispatched_at, t.created)), interval '30 minutes') then 2
                 when t.due <= now() then 1 else 0 end,
            case when t.due < now() then t.due end,
            case when t.closed is null then null when t.rr < 0.85 then 'resolved' when t.rr < 0.93 then 'partly_resolved' when t.rr < 0.97 then 'referred' else 'unresolved' end,
            case when t.closed is null then null when t.rr < 0.85 then '已处理完毕，现场恢复正常' when t.rr < 0.93 then '已部分处理，剩余部分已列入计划'
                 when t.rr < 0.97 then '已转交相关单位处理' else '因客观条件暂无法处理，已向上报告' end,
            case when t.status = 'rated' or (t.status = 'archived' and t.rd < 0.6) then 3 + floor(t.rr * 3)::int end,
            t.dispatched_at, t.handled, t.closed, t.created, least(now(), coalesce(t.closed, t.handled, t.dispatched_at, t.created))
     from t, k, w`,
    [count, department, COMMUNITIES, CENTRES.map((c) => c[0]), CENTRES.map((c) => c[1]), handler],
  );
  const casesLoaded = Date.now();
  const events = await client.query(
    `insert into case_events (case_id, region_id, action, from_status, to_status, actor_id, note, created_at)
     select c.id, c.region_id,
            case when i = n and c.status = 'rejected' then 'reject' when i = n and c.status = 'extended' then 'request_extension'
                 when i = n and c.status = 'deferred' then 'defer' when i = n and c.status = 'archived' then 'archive' else a[i] end,
            case when i = 1 then null when i = n and c.status = 'rejected' then 'submitted' when i = n and c.status in ('extended', 'deferred') then 'handling'
                 when i = n and c.status = 'archived' then case when c.rating is null then 'closed' else 'rated' end else st[i - 1] end,
            case when i = n then c.status else st[i] end,
            case when i = 1 or a[i] = 'rate' then c.reporter_id when i = n and c.status = 'archived' then null
                 when a[i] in ('acknowledge', 'start', 'handle') and c.department_id = $1 then $2::uuid else $3::uuid end,
            case when i = 1 then c.description when i = n and c.outcome is not null and a[i] = 'close' then c.outcome end,
            c.created_at + (i - 1) * (c.step_started_at - c.created_at) / greatest(n - 1, 1)
     from cases c
     cross join lateral (select case c.status when 'submitted' then 1 when 'accepted' then 2 when 'rejected' then 2 when 'dispatched' then 3
                           when 'acknowledged' then 4 when 'handling' then 5 when 'extended' then 6 when 'deferred' then 6 when 'handled' then 6
                           when 'verifying' then 7 when 'closed' then 8 when 'rated' then 9 else case when c.rating is null then 9 else 10 end end as n,
                         array['report', 'accept', 'dispatch', 'acknowledge', 'start', 'handle', 'verify', 'close', 'rate', 'archive'] as a,
                         array['submitted', 'accepted', 'dispatched', 'acknowledged', 'handling', 'handled', 'verifying', 'closed', 'rated', 'archived'] as st) p
     cross join lateral generate_series(1, p.n) i
     where c.description like '压测案件%'`,
    [department, handler, staff],
  );
  await client.query('set session_replication_role = origin');
  await client.query(`set maintenance_work_mem = '256MB'`);
  const eventsLoaded = Date.now();
  for (const index of indexes) await client.query(index.definition);
  const indexed = Date.now();
  const rebuild = (await client.query(`select to_regproc('dashboard_rebuild') is not null as present`)).rows[0].present as boolean;
  if (rebuild) await client.query('select dashboard_rebuild()');
  const rebuilt = Date.now();
  // Autovacuum is off on this server: without this the planner guesses and index-only scans visit the heap.
  await client.query('vacuum analyze');
  const vacuumed = Date.now();
  console.log(
    `loaded ${count} cases in ${seconds(casesLoaded - started)}, ${events.rowCount} events in ${seconds(eventsLoaded - casesLoaded)}, ` +
      `${indexes.length} indexes built in ${seconds(indexed - eventsLoaded)}${rebuild ? `, dashboard rollups rebuilt in ${seconds(rebuilt - indexed)}` : ''}, ` +
      `vacuum analyze ${seconds(vacuumed - rebuilt)} (${seconds(vacuumed - started)} in all)`,
  );
  const { rows } = await client.query<{ status: string; n: number }>(`select status, count(*)::int as n from cases group by status order by n desc`);
  console.log(`by status: ${rows.map((r) => `${r.status} ${r.n}`).join(', ')}`);
}

/** How long one small committed write takes on this server (mostly the WAL flush), sequentially. */
async function commitLatency(client: pg.Client): Promise<number> {
  await client.query('create table bench_commit (n integer)');
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await client.query('insert into bench_commit values ($1)', [i]);
  const ms = (performance.now() - t0) / 200;
  await client.query('drop table bench_commit');
  return ms;
}

async function login(baseUrl: string, username: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'Nuanxin@2026' }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A report body from a random place in the district and a random category. */
function reportMaker(categories: string[]) {
  return () => {
    const [lat, lng] = CENTRES[Math.floor(Math.random() * CENTRES.length)]!;
    return JSON.stringify({
      categoryId: categories[Math.floor(Math.random() * categories.length)],
      description: '压测上报：路面积水，电动车难以通行',
      lat: Number((lat + (Math.random() - 0.5) * 0.01).toFixed(6)),
      lng: Number((lng + (Math.random() - 0.5) * 0.01).toFixed(6)),
      address: null,
    });
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** The statements of one request, replayed over raw `pg` (the rows and the count in parallel, as the server sends them). */
async function rawTimes(pool: pg.Pool, statements: Captured['statements'], runs: number) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await Promise.all(statements.map((s) => pool.query(s.text, s.values)));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** EXPLAIN ANALYZE of each statement into PLAN_FILE; returns the lines that tell which index and how long. */
async function explain(client: pg.Client, label: string, statements: Captured['statements']): Promise<string[]> {
  const summary: string[] = [];
  for (const s of statements) {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${s.text}`, s.values);
    const lines = rows.map((r) => r['QUERY PLAN']);
    fs.appendFileSync(PLAN_FILE, `---- ${label}\n${s.text}\n${JSON.stringify(s.values)}\n${lines.join('\n')}\n\n`);
    const scans = lines.filter((l) => /Scan|Sort Method|Limit/.test(l) && !/on (g|k|kp|d|a|departments|regions|case_categories|users)\b/.test(l)).map((l) => l.trim().replace(/\s+\(cost=[^)]*\)/, ''));
    const time = lines.find((l) => l.startsWith('Execution Time'));
    summary.push(`${/count\(\*\)/.test(s.text) ? 'count' : 'rows '}: ${time} | ${scans.slice(0, 3).join(' | ')}`);
  }
  return summary;
}

interface BurstOutcome {
  key: string;
  ids: Set<string>;
  acked: boolean;
  statuses: number[];
}

/**
 * 5,000 reports spread over one minute from many workers. Each is sent twice with the same key:
 * most as two copies at once (a double tap, a proxy retry), one in ten first with a client
 * timeout of a few milliseconds (it may or may not have been stored) and then again. Anything
 * without an answer or with a 5xx is retried until it gets one.
 */
async function burst(baseUrl: string, tokens: string[], body: () => string): Promise<{ outcomes: BurstOutcome[]; sent: number; aborted: number; latencies: number[] }> {
  let sent = 0;
  let aborted = 0;
  const latencies: number[] = [];
  const send = async (token: string, key: string, payload: string, timeoutMs: number): Promise<{ status: number; id?: string }> => {
    sent++;
    const t0 = performance.now();
    try {
      const res = await fetch(`${baseUrl}/api/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const json = (await res.json()) as { id?: string };
      latencies.push(performance.now() - t0);
      return { status: res.status, ...(res.ok ? { id: json.id! } : {}) };
    } catch {
      aborted++;
      return { status: 0 };
    }
  };
  const report = async (i: number): Promise<BurstOutcome> => {
    const token = tokens[i % tokens.length]!;
    const key = randomUUID();
    const payload = body();
    const outcome: BurstOutcome = { key, ids: new Set(), acked: false, statuses: [] };
    const note = (r: { status: number; id?: string }) => {
      outcome.statuses.push(r.status);
      if (r.id) {
        outcome.acked = true;
        outcome.ids.add(r.id);
      }
    };
    if (i % 10 === 0) {
      note(await send(token, key, payload, 1 + Math.floor(Math.random() * 15)));
      note(await send(token, key, payload, 10_000));
    } else {
      (await Promise.all([send(token, key, payload, 10_000), send(token, key, payload, 10_000)])).forEach(note);
    }
    for (let attempt = 0; attempt < 5 && !outcome.acked && !outcome.statuses.some((s) => s >= 400 && s < 500); attempt++) {
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      note(await send(token, key, payload, 10_000));
    }
    return outcome;
  };
  const start = performance.now();
  const pending: Array<Promise<BurstOutcome>> = [];
  for (let i = 0; i < BURST; i++) {
    const due = start + (i * BURST_SECONDS * 1000) / BURST;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(report(i));
  }
  return { outcomes: await Promise.all(pending), sent, aborted, latencies: latencies.sort((a, b) => a - b) };
}

async function main() {
  fs.mkdirSync('.tmp', { recursive: true });
  fs.writeFileSync(PLAN_FILE, '');
  const bare = await startBare();
  const server: Server = await startOnPostgres({ captureStatements: true });
  const client = await connect(server.databaseUrl!);
  const pool = new pg.Pool({ connectionString: server.databaseUrl!, max: 4 });
  pool.on('error', () => {});
  try {
    const base = server.baseUrl;
    const tokens = (await makeWorkers(server.databaseUrl!, WORKERS, COMMUNITIES)).map((w) => w.token);
    await loadCases(client, COUNT);
    const categories = (await client.query<{ id: string }>(`select id from case_categories where region_id = '440114' and parent_id is not null and status = 'active'`)).rows.map((r) => r.id);
    const body = reportMaker(categories);
    const handler = await login(base, 'chengguan');
    const street = await login(base, 'xinhua');

    // Every worker's session once (the server caches them), then statements per filing, sequentially.
    for (const token of tokens) await fetch(`${base}/api/v1/cases/mine?pageSize=1`, { headers: { authorization: `Bearer ${token}` } });
    await statementsOf(server);
    const FILINGS = 200;
    for (let i = 0; i < FILINGS; i++) {
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}`, 'idempotency-key': randomUUID() },
        body: body(),
      });
      if (res.status !== 200 && res.status !== 201) throw new Error(`filing: ${res.status} ${await res.text()}`);
    }
    const filingStatements = (await statementsOf(server)).count / FILINGS;
    const commitMs = await commitLatency(client);

    const ceiling = await load('bare Fastify route (ceiling)', `${bare.baseUrl}/bare`, { serverPid: bare.pid });
    await statementsOf(server);
    const filing = await load('POST /cases (file, no photo)', `${base}/api/v1/cases`, {
      method: 'POST',
      serverPid: server.pid,
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}`, 'idempotency-key': randomUUID() },
        body: body(),
      }),
    });

    // Under load, filings arriving together share a transaction (case-filing.ts): fewer statements each.
    const loadedStatements = (await statementsOf(server)).count / Math.max(1, filing.requests);
    // Diagnostic: the same filing with the dashboard's rollup triggers off (0011_dashboard.sql keeps
    // one row per community and day that every report in that community waits on until it commits;
    // 0023 writes a whole insert's share at once).
    await client.query('alter table cases disable trigger dash_cases, disable trigger dash_cases_insert');
    const untriggered = await load('  same, dashboard trigger off (diagnostic)', `${base}/api/v1/cases`, {
      method: 'POST',
      serverPid: server.pid,
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, 'content-type': 'application/json', authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}`, 'idempotency-key': randomUUID() },
        body: body(),
      }),
    });
    await client.query('alter table cases enable trigger dash_cases, enable trigger dash_cases_insert');

    const lists: Array<[label: string, token: string, query: string]> = [
      ['queue (chengguan)', handler, 'view=queue'],
      ['new (xinhua)', street, 'view=new'],
      ['overdue (xinhua)', street, 'view=overdue'],
      ['all (xinhua)', street, 'view=all'],
    ];
    const rows: LoadResult[] = [filing, untriggered];
    const extra: string[] = [];
    for (const [label, token, query] of lists) {
      for (const page of [1, DEEP_PAGE]) {
        const path = `/api/v1/cases?${query}&page=${page}&pageSize=20`;
        const headers = { authorization: `Bearer ${token}` };
        await statementsOf(server);
        const probe = await fetch(base + path, { headers });
        if (!probe.ok) throw new Error(`${path}: ${probe.status} ${await probe.text()}`);
        const { total, items } = (await probe.json()) as { total: number; items: unknown[] };
        // The list's own reads (a background job may have run meanwhile).
        const captured = await statementsOf(server);
        captured.statements = captured.statements.filter((st) => /^select/i.test(st.text) && /region_id like/.test(st.text));
        const name = `GET ${label} p${page}`;
        rows.push(await load(name, base + path, { headers, connections: LIST_CONNECTIONS, serverPid: server.pid }));
        const raw = await rawTimes(pool, captured.statements, 300);
        extra.push(`${name.padEnd(32)} total ${String(total).padStart(7)}, ${String(items.length).padStart(2)} items, ${captured.statements.length} statements; raw SQL p50 ${raw.p50.toFixed(2)} ms, p99 ${raw.p99.toFixed(2)} ms`);
        for (const line of await explain(client, name, captured.statements)) extra.push(`    ${line}`);
      }
    }

    const before = Number((await client.query(`select count(*) from cases`)).rows[0].count);
    const b = await burst(base, tokens, body);
    const keys = b.outcomes.map((o) => o.key);
    const { rows: stored } = await client.query<{ client_key: string; n: number; ids: string[]; events: number }>(
      `select c.client_key, count(*)::int as n, array_agg(c.id::text) as ids,
              (select count(*)::int from case_events e where e.case_id = any(array_agg(c.id)) and e.action = 'report') as events
       from cases c where c.client_key = any($1) group by c.client_key`,
      [keys],
    );
    const byKey = new Map(stored.map((r) => [r.client_key, r]));
    const acked = b.outcomes.filter((o) => o.acked);
    const lost = acked.filter((o) => !byKey.has(o.key)).length;
    const duplicated = stored.filter((r) => r.n > 1 || r.events !== 1).length;
    const mismatched = acked.filter((o) => o.ids.size !== 1 || !byKey.get(o.key)?.ids.includes([...o.ids][0]!)).length;
    const after = Number((await client.query(`select count(*) from cases`)).rows[0].count);
    const statuses = new Map<number, number>();
    for (const o of b.outcomes) for (const s of o.statuses) statuses.set(s, (statuses.get(s) ?? 0) + 1);

    printTable(`Cases on PostgreSQL (${COUNT} cases loaded, ${WORKERS} workers; lists at ${LIST_CONNECTIONS} connections, filing at ${CONNECTIONS})`, rows, ceiling, 1);
    console.log(`filing: ${filing.succeeded} filed, ${filing.non2xx} refused, ${filing.errors} errors; ${filingStatements.toFixed(1)} statements per filing one at a time (round trips, BEGIN and COMMIT included), ${loadedStatements.toFixed(2)} under load (batched); one commit alone takes ${commitMs.toFixed(2)} ms here (WAL flush)`);
    for (const line of extra) console.log(line);
    console.log(`plans: ${PLAN_FILE}`);
    console.log(
      `rainstorm: ${BURST} reports in ${BURST_SECONDS} s from ${Math.min(WORKERS, BURST)} workers, ${b.sent} requests (${b.aborted} cut by the client timeout), ` +
        `answers ${[...statuses].sort((x, y) => x[0] - y[0]).map(([s, n]) => `${s || 'none'}×${n}`).join(' ')}; answered p50 ${percentile(b.latencies, 0.5).toFixed(1)} ms, p99 ${percentile(b.latencies, 0.99).toFixed(1)} ms`,
    );
    console.log(
      `rainstorm in SQL: ${acked.length} keys acknowledged, ${stored.length} stored (${after - before} new cases), lost ${lost}, duplicated ${duplicated}, ` +
        `answers naming another case ${mismatched}`,
    );
  } finally {
    await pool.end().catch(() => {});
    await client.end().catch(() => {});
    await server.stop();
    await bare.stop();
  }
}

// Run as a script; imported, it only lends its loader (e.g. to keep a loaded database for EXPLAIN).
if (import.meta.url === `file://${process.argv[1]}`) {
  await main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
