import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import type { Actor } from '../../common/context.ts';
import { departmentRates } from '../cases/case-rates.ts';
import { bucketFloor } from './dashboard.service.ts';
import * as repo from './dashboard.repository.ts';
import { period } from './period.ts';

const COMMUNITIES = ['440114001001', '440114001002', '440114002001', '440114002002'];
const GRIDS = ['440114001001001', '440114002002002'];
const SCOPES = ['440114', '440114001', '440114002', '440114001001', '440114002002'];
const BASE_DAY = Date.parse('2025-03-01T00:00:00Z');
const CST = 8 * 3_600_000;
const day = (i: number) => new Date(BASE_DAY + i * 86_400_000).toISOString().slice(0, 10);
/** A China-time moment: day index, then minutes into that day. */
const at = (dayIndex: number, minute: number) => new Date(BASE_DAY + dayIndex * 86_400_000 + minute * 60_000 - CST);

const genCase = fc.record({
  region: fc.constantFrom(...COMMUNITIES, ...GRIDS),
  category: fc.nat(30),
  day: fc.integer({ min: 0, max: 75 }),
  minute: fc.integer({ min: 0, max: 1439 }),
  dispatchAfter: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
  closeAfter: fc.option(fc.integer({ min: 1, max: 30000 }), { nil: null }),
  early: fc.nat(3),
  onTime: fc.boolean(),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  rework: fc.nat(2),
  extension: fc.nat(1),
  reporter: fc.nat(2),
  lat: fc.double({ min: 23.35, max: 23.42, noNaN: true }),
  lng: fc.double({ min: 113.2, max: 113.25, noNaN: true }),
});
type GenCase = typeof genCase extends fc.Arbitrary<infer T> ? T : never;

const genTransfer = fc.record({
  region: fc.constantFrom(...COMMUNITIES),
  kind: fc.constantFrom('earn' as const, 'post' as const, 'deduct' as const),
  rule: fc.nat(20),
  amount: fc.integer({ min: 1, max: 50 }),
  day: fc.integer({ min: 0, max: 75 }),
  minute: fc.integer({ min: 0, max: 1439 }),
});

describe.each(DB_KINDS)('dashboard on %s', (kind) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let categories: { id: string; department_id: string | null }[];
  let rules: { id: string; region_id: string }[];
  let reporterId: string;
  /** Reporters of the generated cases: the first is `reporterId`. */
  const reporters: string[] = [];
  let accounts: { worker: string; issuer: string };
  let counter = 0;

  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const name of ['district', 'xinhua', 'xinya', 'sanhua', 'grid01', 'chengguan']) tokens[name] = await t.loginStaff(name);
    const worker = await t.newWorker('440114001001');
    tokens.worker = worker.token;
    reporterId = worker.userId;
    reporters.push(reporterId, (await t.newWorker('440114001002')).userId, (await t.newWorker('440114002001')).userId);
    categories = await t.database.db.selectFrom('case_categories').select(['id', 'department_id']).where('parent_id', 'is not', null).orderBy('code').execute();
    rules = await t.database.db.selectFrom('points_rules').select(['id', 'region_id']).where('kind', '=', 'earn').orderBy('name').execute();
    const account = async (k: string, owner: string) => (await sql<{ id: string }>`select points_account_id(${k}, ${owner}, '440114') as id`.execute(t.database.db)).rows[0]!.id;
    accounts = { worker: await account('worker', reporterId), issuer: await account('issuer', '440114') };
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (token: string, url: string) => t.request('GET', url, { token });

  /** Cases in one insert: the rollup trigger reads the whole statement's rows at once, as for a batch of filings. */
  async function insertCases(list: GenCase[]) {
    const rows = await t.database.db.insertInto('cases').values(list.map(caseRow) as never).returning('id').execute();
    return rows.map((r) => r.id);
  }

  const insertCase = async (c: GenCase) => (await insertCases([c]))[0]!;

  function caseRow(c: GenCase) {
    const category = categories[c.category % categories.length]!;
    const created = at(c.day, c.minute);
    const dispatched = c.dispatchAfter === null ? null : new Date(created.getTime() + c.dispatchAfter * 60_000);
    const closed = dispatched && c.closeAfter !== null ? new Date(dispatched.getTime() + c.closeAfter * 60_000) : null;
    const status = !dispatched ? (['submitted', 'accepted', 'rejected', 'accepted'] as const)[c.early]! : closed ? (c.rating ? 'rated' : 'closed') : (['dispatched', 'handling', 'extended', 'verifying'] as const)[c.early]!;
    const handleDue = dispatched ? new Date(dispatched.getTime() + 240 * 60_000) : null;
    const handled = closed ? new Date(handleDue!.getTime() + (c.onTime ? -60_000 : 60_000)) : null;
    return {
      region_id: c.region,
      reporter_id: reporters[c.reporter]!,
      category_id: category.id,
      lat: c.lat,
      lng: c.lng,
      status,
      department_id: dispatched ? category.department_id : null,
      first_dispatched_at: dispatched,
      handle_due_at: handleDue,
      handled_at: handled,
      closed_at: closed,
      rating: status === 'rated' ? c.rating : null,
      rework_count: dispatched ? c.rework : 0,
      extension_count: dispatched ? c.extension : 0,
      created_at: created,
      client_key: `dash-${kind}-${++counter}`,
    };
  }

  /** The figures straight from the base tables, as a reader without rollups would count them. */
  async function direct(scope: string, from: string, to: string) {
    const cst = (col: string) => sql.raw(`((${col} at time zone 'UTC') + interval '8 hours')::date`);
    const { rows } = await sql<{ received: number; accepted: number; registered: number; issued: number; redeemed: number; fulfilled: number }>`
      select
        (select count(*)::int from cases where region_id like ${scope + '%'} and ${cst('created_at')} between ${from}::date and ${to}::date) as received,
        (select count(*)::int from cases where region_id like ${scope + '%'} and ${cst('created_at')} between ${from}::date and ${to}::date and status not in ('submitted', 'rejected')) as accepted,
        (select count(*)::int from users where role = 'worker' and region_id like ${scope + '%'} and ${cst('created_at')} between ${from}::date and ${to}::date) as registered,
        (select coalesce(sum(amount), 0)::float8 from points_transfers where kind = 'earn' and region_id like ${scope + '%'} and ${cst('created_at')} between ${from}::date and ${to}::date) as issued,
        (select coalesce(sum(amount), 0)::float8 from points_transfers where kind = 'post' and region_id like ${scope + '%'} and ${cst('created_at')} between ${from}::date and ${to}::date) as redeemed,
        (select count(*)::int from points_transfers where kind = 'post' and region_id like ${scope + '%'} and ${cst('created_at')} between ${from}::date and ${to}::date) as fulfilled`.execute(t.database.db);
    const medians = await sql<{ measure: string; bucket: number | null }>`
      select m.measure, dash_bucket(percentile_disc(0.5) within group (order by m.minutes))::int as bucket from (
        select 'dispatch' as measure, extract(epoch from first_dispatched_at - created_at) / 60 as minutes from cases
         where region_id like ${scope + '%'} and first_dispatched_at is not null and ${cst('first_dispatched_at')} between ${from}::date and ${to}::date
        union all
        select 'close', extract(epoch from closed_at - created_at) / 60 from cases
         where region_id like ${scope + '%'} and first_dispatched_at is not null and closed_at is not null and status in ('closed', 'rated', 'archived')
           and ${cst('first_dispatched_at')} between ${from}::date and ${to}::date
      ) m group by 1`.execute(t.database.db);
    const median = (m: string) => {
      const b = medians.rows.find((r) => r.measure === m)?.bucket;
      return b === undefined || b === null ? null : bucketFloor(b);
    };
    return { ...rows[0]!, medianDispatch: median('dispatch'), medianClose: median('close') };
  }

  const actorFor = (scope: string): Actor => ({ userId: reporterId, sessionId: reporterId, role: 'district_admin', regionId: scope, scopeId: scope, departmentId: null, partnerId: null, stationId: null });

  it('shows the demo ledger: outstanding points equal the worker balances', async () => {
    const res = await get(tokens.district!, '/api/v1/dashboard/summary');
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await sql<{ v: number }>`select coalesce(sum(balance), 0)::float8 as v from points_accounts where kind = 'worker' and region_id like '440114%'`.execute(t.database.db);
    expect(res.json().points.outstanding).toBe(rows[0]!.v);
  });

  it('counts community life — wishes, activities, partners, branches, grid members — inside the scope and period', async () => {
    const db = t.database.db;
    const to = new Date(Date.now() + CST).toISOString().slice(0, 10);
    const from = new Date(Date.now() + CST - 364 * 86_400_000).toISOString().slice(0, 10);
    const start = new Date(`${from}T00:00:00+08:00`).getTime();
    const inPeriod = (d: Date | null) => d !== null && d.getTime() >= start;
    const [wishes, attendance, partners, organizations, grid] = await Promise.all([
      db.selectFrom('wishes').select(['region_id', 'fulfilled_at']).execute(),
      db.selectFrom('activity_attendance').select(['region_id', 'worker_id', 'checked_in_at', 'minutes']).execute(),
      db.selectFrom('partners').select(['region_id', 'status', 'certified_at']).execute(),
      db.selectFrom('organizations').select(['region_id', 'kind', 'status']).execute(),
      db.selectFrom('grid_members').select(['region_id', 'status']).execute(),
    ]);
    for (const scope of ['440114', '440114001', '440114002', '440114001001']) {
      const within = (r: { region_id: string }) => r.region_id.startsWith(scope);
      const came = attendance.filter((a) => within(a) && inPeriod(a.checked_in_at));
      const res = await get(tokens.district!, `/api/v1/dashboard/summary?regionId=${scope}&from=${from}&to=${to}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().community, scope).toMatchObject({
        wishesFulfilled: { value: wishes.filter((w) => within(w) && inPeriod(w.fulfilled_at)).length },
        peopleCovered: { value: new Set(came.map((a) => a.worker_id)).size },
        volunteerHours: { value: Math.round(came.reduce((sum, a) => sum + (a.minutes ?? 0), 0) / 6) / 10 },
        partnersJoined: { value: partners.filter((p) => within(p) && inPeriod(p.certified_at)).length },
        partnersCertified: partners.filter((p) => within(p) && p.status === 'certified').length,
        partyBranches: organizations.filter((o) => within(o) && o.kind === 'party_branch' && o.status === 'active').length,
        gridMembers: grid.filter((g) => within(g) && g.status === 'appointed').length,
      });
    }
    // The demo district has something in each, so the cards are not all zero.
    const district = (await get(tokens.district!, `/api/v1/dashboard/summary?from=${from}&to=${to}`)).json().community;
    for (const figure of ['wishesFulfilled', 'peopleCovered', 'partnersJoined']) expect(district[figure].value, figure).toBeGreaterThan(0);
    for (const figure of ['partnersCertified', 'partyBranches', 'gridMembers']) expect(district[figure], figure).toBeGreaterThan(0);
  });

  it('equals counts computed from the base tables, for any data, scope and period, and a rebuild changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(genCase, { minLength: 1, maxLength: 12 }),
        fc.array(genTransfer, { maxLength: 6 }),
        fc.array(fc.record({ pick: fc.nat(), to: fc.constantFrom('handling', 'closed', 'rated', 'archived', 'rejected') }), { maxLength: 3 }),
        fc.constantFrom(...SCOPES),
        fc.integer({ min: 0, max: 75 }),
        fc.integer({ min: 0, max: 80 }),
        fc.boolean(),
        fc.boolean(),
        async (cases, transfers, updates, scope, start, length, compact, together) => {
          const ids = together ? await insertCases(cases) : [];
          if (!together) for (const c of cases) ids.push(await insertCase(c));
          // Later steps move cases between states: the trigger takes away the old row's share.
          for (const u of updates) {
            const id = ids[u.pick % ids.length]!;
            await t.database.db
              .updateTable('cases')
              .set({ status: u.to, ...(u.to === 'rated' ? { rating: 4 } : {}), ...(u.to === 'handling' ? { rework_count: 1, closed_at: null } : {}) } as never)
              .where('id', '=', id)
              .execute();
          }
          for (const x of transfers) {
            const rule = rules[x.rule % rules.length]!;
            const [from, to] = x.kind === 'deduct' ? [accounts.worker, accounts.issuer] : [accounts.issuer, accounts.worker];
            await sql`insert into points_transfers (region_id, key, request_hash, kind, from_account, to_account, amount, reason, rule_id, created_at)
              values (${x.region}, ${`dash-${kind}-${++counter}`}, 'x', ${x.kind}, ${from}, ${to}, ${x.amount}, 'test', ${x.kind === 'post' ? null : rule.id}, ${at(x.day, x.minute)})`.execute(t.database.db);
          }
          // Street and district figures are exact whether or not the log was moved into their rows.
          if (compact) await sql`select dash_compact_levels()`.execute(t.database.db);
          const from = day(start);
          const to = day(start + length);
          const q = `regionId=${scope}&from=${from}&to=${to}`;
          const [summary, byDepartment, byCommunity, heat, trend] = await Promise.all([
            get(tokens.district!, `/api/v1/dashboard/summary?${q}`),
            get(tokens.district!, `/api/v1/dashboard/breakdown?${q}&dimension=department`),
            get(tokens.district!, `/api/v1/dashboard/breakdown?${q}&dimension=community`),
            get(tokens.district!, `/api/v1/dashboard/heat?${q}`),
            get(tokens.district!, `/api/v1/dashboard/trend?${q}&metric=cases.received&bucket=week`),
          ]);
          expect(summary.statusCode, summary.body).toBe(200);
          const s = summary.json();
          const d = await direct(scope, from, to);
          expect(s.cases.received.value).toBe(d.received);
          expect(s.cases.accepted.value).toBe(d.accepted);
          expect(s.workers.registered.value).toBe(d.registered);
          expect(s.points.issued.value).toBe(d.issued);
          expect(s.points.redeemed.value).toBe(d.redeemed);
          expect(s.rewards.fulfilled.value).toBe(d.fulfilled);
          expect(s.cases.medianDispatchMinutes.value).toBe(d.medianDispatch);
          expect(s.cases.medianCloseMinutes.value).toBe(d.medianClose);
          // Active in 30 days, from the counts per last day (0024), equals the workers' own rows.
          const active = await sql<{ n: number }>`select count(*)::int as n from dash_worker_activity
            where last_day > ${to}::date - 30 and last_day <= ${to}::date and region_id like ${scope + '%'}`.execute(t.database.db);
          expect(s.workers.active30).toBe(active.rows[0]!.n);

          // The department league table is case-rates.ts over the same cohort.
          const rates = await departmentRates(t.database.db, actorFor(scope), { from, to });
          expect(byDepartment.statusCode, byDepartment.body).toBe(200);
          const league = byDepartment.json().items.filter((i: { dispatched: number }) => i.dispatched > 0);
          expect(league.map((i: Record<string, unknown>) => [i.key, i.dispatched, i.closed, i.closedOnTime, i.reworked, i.extended, i.rated, i.satisfied, i.closeRate, i.onTimeRate, i.satisfactionRate]).sort()).toEqual(
            rates.items.map((r) => [r.departmentId, r.dispatched, r.closed, r.closedOnTime, r.reworked, r.extended, r.rated, r.satisfied, r.closeRate, r.onTimeRate, r.satisfactionRate]).sort(),
          );
          const sum = (items: { received: number }[]) => items.reduce((n, i) => n + i.received, 0);
          expect(sum(byCommunity.json().items)).toBe(d.received);
          expect(heat.json().cells.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(d.received);
          expect(trend.json().points.reduce((n: number, p: { value: number }) => n + p.value, 0)).toBe(d.received);
        },
      ),
      { numRuns: kind === 'pglite' ? 20 : 30 },
    );

    // What the triggers kept equals a recomputation from the base tables.
    const snapshot = async () => {
      const { rows } = await sql<{ t: string }>`
        select string_agg(x, '|' order by x) as t from (
          select concat_ws(',', 'c', grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time, reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes) as x
            from dash_cases where (received, accepted, dispatched) <> (0, 0, 0)
          union all select concat_ws(',', 'h', grain, region_id, day, measure, bucket, n) from dash_case_minutes where n <> 0
          union all select concat_ws(',', 'x', grain, region_id, day, cy, cx, n) from dash_case_cells where n <> 0
          union all select concat_ws(',', 'p', grain, region_id, day, kind, category, n, amount, worker_net) from dash_points where n <> 0
          union all select concat_ws(',', 'w', grain, region_id, day, registered) from dash_workers where registered <> 0
          union all select concat_ws(',', 'a', user_id, last_day) from dash_worker_activity
          union all select concat_ws(',', 'ad', day, sum(n)) from dash_worker_days group by day having sum(n) <> 0
          union all select concat_ws(',', 'cl', grain, region_id, day, category_id, department_id, received, accepted, dispatched, closed, closed_on_time, reworked, extended, rated, satisfied, rating_sum, dispatch_minutes, close_minutes)
            from dash_cases_lv where (received, accepted, dispatched) <> (0, 0, 0)
          union all select concat_ws(',', 'hl', grain, region_id, day, measure, bucket, n) from dash_case_minutes_lv where n <> 0
          union all select concat_ws(',', 'pl', grain, region_id, day, kind, category, n, amount, worker_net) from dash_points_lv where n <> 0
        ) s`.execute(t.database.db);
      return rows[0]!.t;
    };
    await sql`select dash_compact_levels()`.execute(t.database.db);
    const kept = await snapshot();
    await sql`select dashboard_rebuild()`.execute(t.database.db);
    expect(await snapshot()).toBe(kept);
  }, 300_000);

  it('gives street and district figures equal to the sum of their communities, before and after the logs are compacted', async () => {
    const db = t.database.db;
    await sql`select dash_compact_levels()`.execute(db);
    // Changes of every kind left in the log: new cases, moves between states, a case moved to another street, a deletion.
    const ids = [];
    for (let i = 0; i < 24; i++) {
      ids.push(
        await insertCase({
          region: [...COMMUNITIES, ...GRIDS][i % 6]!, category: i, day: (i * 7) % 70, minute: (i * 97) % 1440, dispatchAfter: i % 3 ? i * 11 : null,
          closeAfter: i % 2 ? i * 300 : null, early: i % 4, onTime: i % 5 > 1, rating: i % 4 ? (i % 5) + 1 : null, rework: i % 3, extension: i % 2, reporter: i % 3, lat: 23.36 + i / 1000, lng: 113.21 + i / 1000,
        }),
      );
    }
    await db.updateTable('cases').set({ status: 'closed', closed_at: new Date(BASE_DAY + 60 * 86_400_000) } as never).where('id', '=', ids[3]!).execute();
    await db.updateTable('cases').set({ region_id: '440114002001' } as never).where('id', '=', ids[4]!).execute();
    await db.deleteFrom('cases').where('id', '=', ids[5]!).execute();
    for (let i = 0; i < 8; i++) {
      const rule = rules[i % rules.length]!;
      const [from, to] = i % 3 === 2 ? [accounts.worker, accounts.issuer] : [accounts.issuer, accounts.worker];
      await sql`insert into points_transfers (region_id, key, request_hash, kind, from_account, to_account, amount, reason, rule_id, created_at)
        values (${COMMUNITIES[i % 4]}, ${`lv-${kind}-${++counter}`}, 'x', ${['earn', 'post', 'deduct'][i % 3]}, ${from}, ${to}, ${i + 1}, 'test', ${i % 3 === 1 ? null : rule.id}, ${at(i * 9, i * 60)})`.execute(db);
    }
    expect((await sql<{ n: number }>`select count(*)::int as n from dash_case_log`.execute(db)).rows[0]!.n).toBeGreaterThan(24);
    expect((await sql<{ n: number }>`select count(*)::int as n from dash_points_log`.execute(db)).rows[0]!.n).toBe(8);

    const periods = [period(day(0), day(75)), period(day(3), day(40)), period(day(10), day(12))];
    const figures = async (scope: string, levels: boolean) =>
      JSON.stringify(
        await Promise.all(
          periods.flatMap((p) => [
            repo.caseTotals(db, scope, p, levels),
            repo.caseBreakdown(db, scope, p, 'category', levels).then((r) => r.sort((a, b) => String(a.key).localeCompare(String(b.key)))),
            repo.caseBreakdown(db, scope, p, 'department', levels).then((r) => r.sort((a, b) => String(a.key).localeCompare(String(b.key)))),
            repo.caseBreakdown(db, scope, p, 'community', levels).then((r) => r.sort((a, b) => String(a.key).localeCompare(String(b.key)))),
            repo.minuteHistogram(db, scope, p, levels),
            repo.heatCells(db, scope, p, 100_000, levels),
            repo.trend(db, scope, { ...p, monthFrom: day(76), monthTo: day(76) }, 'day', { table: 'dash_cases', column: 'dispatched' }, levels),
            repo.trend(db, scope, p, 'month', { table: 'dash_cases', column: 'closed' }, levels),
            repo.trend(db, scope, p, 'week', { table: 'dash_points', kind: 'earn', column: 'amount' }, levels),
            repo.pointTotals(db, scope, p, levels).then((r) => r.sort((a, b) => `${a.kind}${a.category}`.localeCompare(`${b.kind}${b.category}`))),
            repo.outstandingPoints(db, scope, p, levels),
          ]),
        ),
      );
    const check = async () => {
      for (const scope of ['440114', '440114001', '440114002']) expect(await figures(scope, true), scope).toBe(await figures(scope, false));
    };
    await check();
    // Two compactors at once: one moves the log, the other steps aside; nothing is counted twice.
    const [a, b] = await Promise.all([sql<{ n: number }>`select dash_compact_levels() as n`.execute(db), sql<{ n: number }>`select dash_compact_levels() as n`.execute(db)]);
    expect(a.rows[0]!.n + b.rows[0]!.n).toBeGreaterThan(24);
    while ((await sql<{ n: number }>`select dash_compact_levels() as n`.execute(db)).rows[0]!.n > 0);
    expect((await sql<{ n: number }>`select (select count(*) from dash_case_log) + (select count(*) from dash_points_log) as n`.execute(db)).rows[0]!.n).toBe(0);
    await check();
  });

  it('limits every figure to the caller’s subtree', async () => {
    const street = await get(tokens.xinhua!, '/api/v1/dashboard/summary?from=2025-03-01&to=2025-05-31');
    expect(street.statusCode).toBe(200);
    expect(street.json().regionId).toBe('440114001');
    const direct = (await sql<{ n: number }>`select count(*)::int as n from cases where region_id like '440114001%' and ((created_at at time zone 'UTC') + interval '8 hours')::date between '2025-03-01' and '2025-05-31'`.execute(t.database.db)).rows[0]!.n;
    expect(street.json().cases.received.value).toBe(direct);
    const communities = await get(tokens.xinhua!, '/api/v1/dashboard/breakdown?dimension=community&from=2025-03-01&to=2025-05-31');
    for (const item of communities.json().items) expect(item.regionId.startsWith('440114001')).toBe(true);

    for (const [who, url] of [
      ['xinhua', '/api/v1/dashboard/summary?regionId=440114002'],
      ['xinhua', '/api/v1/dashboard/summary?regionId=440114'],
      ['sanhua', '/api/v1/dashboard/heat?regionId=440114001002'],
      ['grid01', '/api/v1/dashboard/breakdown?dimension=community&regionId=440114001'],
      ['xinya', '/api/v1/dashboard/report.xlsx?regionId=440114001'],
      ['xinya', '/api/v1/dashboard/export.csv?table=cards&regionId=440114001'],
    ] as const) {
      const res = await get(tokens[who]!, url);
      expect(res.statusCode, `${who} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('OUT_OF_SCOPE');
    }
    // Grid staff read their own community.
    const grid = await get(tokens.grid01!, '/api/v1/dashboard/summary');
    expect(grid.statusCode).toBe(200);
    expect(grid.json().regionId).toBe('440114001001');
    for (const who of ['worker', 'chengguan']) {
      const res = await get(tokens[who]!, '/api/v1/dashboard/summary');
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    expect((await t.request('GET', '/api/v1/dashboard/report.xlsx')).statusCode).toBe(401);
  });

  it('refuses bad dates, reversed and huge periods with a 4xx in the user’s language', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/dashboard/summary?from=2025-02-30', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/summary?from=yesterday', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/summary?from=2025-05-01&to=2025-04-01', 400, 'DASHBOARD_RANGE_INVALID'],
      ['/api/v1/dashboard/summary?from=1990-01-01&to=2025-04-01', 400, 'DASHBOARD_RANGE_TOO_LONG'],
      ['/api/v1/dashboard/trend?metric=cases.received&bucket=day&from=2023-01-01&to=2025-01-01', 400, 'DASHBOARD_RANGE_TOO_LONG'],
      ['/api/v1/dashboard/trend?metric=cases.nothing', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/breakdown?dimension=phone', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/summary?regionId=1', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/summary?regionId=440114009', 404, 'REGION_NOT_FOUND'],
      ['/api/v1/dashboard/summary?extra=1', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/report.xlsx?month=2025-13', 400, 'VALIDATION_FAILED'],
      ['/api/v1/dashboard/export.csv?table=users', 400, 'VALIDATION_FAILED'],
    ];
    for (const [url, status, code] of cases) {
      const res = await t.request('GET', url, { token: tokens.district!, headers: { 'accept-language': 'en' } });
      expect(res.statusCode, url).toBe(status);
      expect(res.json().error.code, url).toBe(code);
    }
    const zh = await get(tokens.district!, '/api/v1/dashboard/summary?from=2025-05-01&to=2025-04-01');
    expect(zh.json().error.message).toBe('开始日期不能晚于结束日期');
  });

  it('exports the monthly workbook, one sheet per domain, and any table as CSV', async () => {
    const res = await get(tokens.district!, '/api/v1/dashboard/report.xlsx?month=2025-03');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as never);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['概览', '案件-类别', '案件-部门', '社区', '案件-每日', '积分', '驿站', '人员']);
    const direct = (await sql<{ n: number }>`select count(*)::int as n from cases where region_id like '440114%' and ((created_at at time zone 'UTC') + interval '8 hours')::date between '2025-03-01' and '2025-03-31'`.execute(t.database.db)).rows[0]!.n;
    const overview = workbook.getWorksheet('概览')!;
    let received: unknown;
    overview.eachRow((row) => {
      if (row.getCell(1).value === '案件·受理') received = row.getCell(2).value;
    });
    expect(received).toBe(direct);

    for (const table of ['cards', 'category', 'department', 'community', 'trend', 'stations']) {
      const csv = await get(tokens.sanhua!, `/api/v1/dashboard/export.csv?table=${table}&from=2025-03-01&to=2025-04-30`);
      expect(csv.statusCode, table).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body.startsWith('\uFEFF')).toBe(true);
    }
  });
});
