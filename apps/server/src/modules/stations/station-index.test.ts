import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMENITIES, SERVICES, nearbyResponse } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { compileSerializer, JsonText } from '../../common/serializer.ts';
import { withTransaction } from '../../db/client.ts';
import { codeFor, stepAt } from './checkin-code.ts';
import { StationIndexSync } from './station-index-sync.ts';
import { StationsService } from './stations.service.ts';
import { nearestStation } from '../cases/cases.repository.ts';
import { bulkWorkers } from './visits.fixtures.ts';
import { VisitsService } from './visits.service.ts';

const REGION = '440114001001';
const writeNearby = compileSerializer({ schema: nearbyResponse });
// 'accepted' needs a passing inspection (a trigger of migration 0008); 'built' is in service as well.
const STATUSES = ['planned', 'built', 'built', 'suspended', 'closed'] as const;

/** A small deterministic generator, so a failing layout can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function randomStations(n: number, seed: number) {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs.filter(() => rand() < 0.4);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return Array.from({ length: n }, (_, i) => {
    // Most in one city, some anywhere on earth (poles and the date line included).
    const local = rand() < 0.85;
    const start = Math.floor(rand() * 20) * 60;
    // Now and then hours as nobody should type them: the index must still read them as the SQL does.
    const odd = rand() < 0.08 ? ['8:00-22:00', '07:30-09:75', '24:00-23:00'][Math.floor(rand() * 3)]! : null;
    const hours = Array.from({ length: 7 }, () => (rand() < 0.2 ? [] : [odd ?? `${hhmm(start)}-${hhmm(start + 60 + Math.floor(rand() * 8) * 30)}`]));
    return {
      region_id: REGION,
      name: `索引测试驿站${seed}-${i}`,
      type: 'nuanxin',
      status: STATUSES[Math.floor(rand() * STATUSES.length)]!,
      address: `测试地址${i}`,
      lat: local ? 23.4 + (rand() - 0.5) * 0.2 : (rand() - 0.5) * 179.9,
      lng: local ? 113.22 + (rand() - 0.5) * 0.2 : (rand() - 0.5) * 359.9,
      amenities: pick(AMENITIES),
      services: pick(SERVICES),
      open_hours: hours[1]![0] ?? '',
      weekly_hours: JSON.stringify(hours),
      always_open: rand() < 0.15,
    };
  });
}

async function insertStations(t: TestApp, n: number, seed: number): Promise<string[]> {
  const rows = await t.database.db.insertInto('stations').values(randomStations(n, seed)).returning('id').execute();
  const rand = prng(seed + 1);
  const rated = rows.filter(() => rand() < 0.3).map((r) => ({ station_id: r.id, stars_sum: 1 + Math.floor(rand() * 40), ratings: 1 + Math.floor(rand() * 8) }));
  if (rated.length) await t.database.db.insertInto('station_rating_totals').values(rated).onConflict((oc) => oc.column('station_id').doNothing()).execute();
  return rows.map((r) => r.id);
}

// GPS precision (the SQL path's ll_to_earth fails on subnormal numbers such as 5e-324; the index does not).
const coordinate = (max: number) => fc.double({ min: -max, max, noNaN: true }).map((v) => Math.round(v * 1e6) / 1e6);
/** A point among the test stations (within about 13 km of their centre), or anywhere on earth. */
const point = fc
  .record({ local: fc.boolean(), lat: coordinate(89.9), lng: coordinate(179.9), dLat: coordinate(0.12), dLng: coordinate(0.12) })
  .map((p) => (p.local ? { lat: 23.4 + p.dLat, lng: 113.22 + p.dLng } : { lat: p.lat, lng: p.lng }));

describe.each(DB_KINDS)('the in-memory station index on %s', (kind) => {
  let t: TestApp;
  let sync: StationIndexSync;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await insertStations(t, 400, 7);
    // Another process's index: its own listening connection on PostgreSQL.
    sync = new StationIndexSync(t.database, { probeMs: 200 });
    await sync.start();
    // Some arrive after the first load: they sit outside the tree, in the short list.
    const later = await insertStations(t, 40, 9);
    await sync.refresh(later);
  });
  afterAll(async () => {
    await sync?.stop();
    await t?.close();
  });

  it('property: answers every nearby query exactly as the SQL does (order, distances, fields, filters, open now)', async () => {
    const service = new StationsService(t.database, sync.index);
    const query = fc.record({
      where: point,
      limit: fc.integer({ min: 1, max: 50 }),
      amenity: fc.subarray([...AMENITIES], { maxLength: 2 }),
      service: fc.subarray([...SERVICES], { maxLength: 1 }),
      openNow: fc.constantFrom(undefined, 'true' as const, 'false' as const),
      at: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
    });
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const input = { ...q.where, limit: q.limit, amenity: q.amenity, service: q.service, ...(q.openNow ? { openNow: q.openNow } : {}) };
        const now = new Date(q.at);
        const answer = await service.nearby(input, now);
        expect(answer).toEqual(await service.nearbyBySql(input, now));
        // The route's pre-written JSON says exactly what the route's schema would write of the answer.
        const written = await service.nearbyAnswer(input, now);
        expect(written).toBeInstanceOf(JsonText);
        expect(JSON.parse(String((written as JsonText<unknown>).body))).toEqual(JSON.parse(writeNearby(answer)));
      }),
      { numRuns: kind === 'pglite' ? 120 : 200 },
    );
  });

  it('property: finds the nearest station within a region exactly as the SQL that places a case does', async () => {
    const query = fc.record({
      where: point,
      // The test stations' community, its street and district, the demo's other street, a district with none.
      region: fc.constantFrom(REGION, '440114001', '440114', '440114002', '4401', '110101'),
    });
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const fromSql = await nearestStation(t.database.db, q.region, q.where.lat, q.where.lng);
        const fromIndex = sync.index.nearestIn(q.region, q.where.lat, q.where.lng);
        expect(fromIndex?.regionId).toBe(fromSql?.regionId);
        if (fromSql) expect(fromIndex!.distance).toBeCloseTo(fromSql.distance, 6);
      }),
      { numRuns: kind === 'pglite' ? 100 : 200 },
    );
  });

  it('a station created, edited, suspended shows up, changes and disappears, in this index and the server’s', async () => {
    const db = t.database.db;
    const here = 'lat=-33.9&lng=151.2&limit=1'; // far from every other station
    const serverFirst = async () => (await t.request('GET', `/api/v1/stations/nearby?${here}`)).json().items[0] as { id: string; amenities: string[] } | undefined;
    const { id } = await db
      .insertInto('stations')
      .values({ region_id: REGION, name: '悉尼测试驿站', type: 'nuanxin', status: 'built', address: 'x', lat: -33.9, lng: 151.2, amenities: ['water'], services: [], open_hours: '', weekly_hours: '[[],[],[],[],[],[],[]]', always_open: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect.poll(() => sync.index.get(id)?.amenities).toEqual(['water']);
    await expect.poll(async () => (await serverFirst())?.id).toBe(id);

    await db.updateTable('stations').set({ amenities: ['water', 'toilet'] }).where('id', '=', id).execute();
    await expect.poll(() => sync.index.get(id)?.amenities).toEqual(['water', 'toilet']);
    await expect.poll(async () => (await serverFirst())?.amenities).toEqual(['water', 'toilet']);

    // Moved a long way: found at the new place, not the old one.
    await db.updateTable('stations').set({ lat: 51.5, lng: -0.12 }).where('id', '=', id).execute();
    await expect.poll(() => sync.index.nearby({ lat: 51.5, lng: -0.12, limit: 1, amenities: ['toilet'], services: [] })[0]?.record.id).toBe(id);
    expect(sync.index.nearby({ lat: -33.9, lng: 151.2, limit: 1, amenities: ['toilet'], services: [] })[0]?.record.id).not.toBe(id);

    await db.updateTable('stations').set({ status: 'suspended' }).where('id', '=', id).execute();
    await expect.poll(() => sync.index.get(id)).toBeUndefined();
    await expect.poll(async () => (await serverFirst())?.id).not.toBe(id);
  });

  it('many stations in one statement (announced 100 at a time), a reload-everything, ratings and check-in secrets all follow', async () => {
    const ids = await insertStations(t, 250, 11);
    const inService = await t.database.db.selectFrom('stations').select('id').where('id', 'in', ids).where('status', 'in', ['built', 'accepted']).execute();
    await expect.poll(() => inService.every((r) => sync.index.get(r.id))).toBe(true);

    // '*' (what a statement over 5000 stations announces) reloads everything, even a change announced by nobody.
    await withTransaction(t.database.db, async (tx) => {
      await sql`alter table stations disable trigger stations_announce_update`.execute(tx);
      await tx.updateTable('stations').set({ name: '悄悄改名驿站' }).where('id', '=', inService[1]!.id).execute();
      await sql`alter table stations enable trigger stations_announce_update`.execute(tx);
      await sql`select pg_notify('nx_station', '*')`.execute(tx);
    });
    await expect.poll(() => sync.index.get(inService[1]!.id)?.name).toBe('悄悄改名驿站');

    const one = inService[0]!.id;
    await t.database.db.insertInto('station_rating_totals').values({ station_id: one, stars_sum: 9, ratings: 2 }).onConflict((oc) => oc.column('station_id').doUpdateSet({ stars_sum: 9, ratings: 2 })).execute();
    await expect.poll(() => sync.index.get(one)?.ratings).toBe(2);
    const secret = randomBytes(32).toString('hex');
    await t.database.db.insertInto('station_checkin_secrets').values({ station_id: one, region_id: REGION, secret }).execute();
    await expect.poll(() => sync.index.get(one)?.secret).toBe(secret);
  });

  it('a check-in on a station the index still thinks open is refused once the database says suspended, and writes nothing', async () => {
    const db = t.database.db;
    const { id } = await db
      .insertInto('stations')
      .values({ region_id: REGION, name: '停用测试驿站', type: 'nuanxin', status: 'built', address: 'x', lat: 10, lng: 10, amenities: [], services: [], open_hours: '', weekly_hours: '[[],[],[],[],[],[],[]]', always_open: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const secret = randomBytes(32).toString('hex');
    await db.insertInto('station_checkin_secrets').values({ station_id: id, region_id: REGION, secret }).execute();
    const frozen = new StationIndexSync(t.database);
    await frozen.start();
    await frozen.stop(); // hears nothing more: stale on purpose
    await db.updateTable('stations').set({ status: 'suspended' }).where('id', '=', id).execute();
    const [worker] = await bulkWorkers(db, 1);
    const visits = new VisitsService(t.database, t.app.services.points, { stations: frozen });
    const code = codeFor(secret, id, stepAt(new Date()));
    await expect(visits.checkIn(worker!, randomUUID(), { stationId: id, code })).rejects.toMatchObject({ code: 'STATION_NOT_OPEN' });
    expect(await db.selectFrom('station_visits').select('id').where('station_id', '=', id).execute()).toEqual([]);

    // Open again: the one-statement path writes the visit and its rollup together; a rescan is the same visit.
    await db.updateTable('stations').set({ status: 'built' }).where('id', '=', id).execute();
    const key = randomUUID();
    const first = await visits.checkIn(worker!, key, { stationId: id, code });
    expect(first).toMatchObject({ alreadyCheckedIn: false, points: 0, visit: { stationId: id, stationName: '停用测试驿站' } });
    expect(await visits.checkIn(worker!, key, { stationId: id, code })).toEqual(first);
    expect(await visits.checkIn(worker!, randomUUID(), { stationId: id, code })).toMatchObject({ alreadyCheckedIn: true, visit: { id: first.visit.id } });
    const daily = await db.selectFrom('station_visit_daily').select(sql<number>`sum(visits)`.as('n')).where('station_id', '=', id).executeTakeFirstOrThrow();
    expect(Number(daily.n)).toBe(1);
  });

  it.runIf(kind === 'postgres')('a listening connection that dies is made again: the index listens again and reloads', async () => {
    const db = t.database.db;
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query = ${`listen "nx_station"`} and pid <> pg_backend_pid()`.execute(db);
    const { id } = await db
      .insertInto('stations')
      .values({ region_id: REGION, name: '断线测试驿站', type: 'nuanxin', status: 'built', address: 'x', lat: -10, lng: -10, amenities: [], services: [], open_hours: '', weekly_hours: '[[],[],[],[],[],[],[]]', always_open: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect.poll(() => sync.index.get(id)?.name, { timeout: 5_000 }).toBe('断线测试驿站');
  });
});
