import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';

const NEAR_SANHUA = { lat: 23.4015, lng: 113.2152 };

describe.each(DB_KINDS)('street guide places on %s', (kind) => {
  let t: TestApp;
  let grid01: string;
  let guangtang: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    grid01 = await t.loginStaff('grid01');
    guangtang = await t.loginStaff('guangtang');
  });
  afterAll(async () => t?.close());

  const count = async () => Number((await t.database.db.selectFrom('guide_places').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const contribute = (token: string, body: unknown, key: string | null = randomUUID()) =>
    t.request('POST', '/api/v1/guide/places', { token, body, headers: key ? { 'idempotency-key': key } : {} });
  const nearby = async (query: string) => (await t.request('GET', `/api/v1/guide/places/nearby?${query}`)).json().items as Array<{ id: string; kind: string; distanceM: number; state: string }>;

  it('a rider contributes a parking spot: pending, seen by the author and staff only; verified, it is on everyone’s map and pays once', async () => {
    const worker = await t.newWorker();
    const other = await t.newWorker();
    const key = randomUUID();
    const body = { kind: 'parking', name: '测试停车点', notes: '路边', lat: NEAR_SANHUA.lat + 0.0001, lng: NEAR_SANHUA.lng };
    const res = await contribute(worker.token, body, key);
    expect(res.statusCode, res.body).toBe(200);
    const place = res.json();
    expect(place).toMatchObject({ kind: 'parking', state: 'pending', regionId: '440114001001', mine: true, rejectReason: null });
    // A retry with the same key returns the same entry.
    expect((await contribute(worker.token, body, key)).json().id).toBe(place.id);

    expect((await t.request('GET', `/api/v1/guide/places/${place.id}`, { token: worker.token })).statusCode).toBe(200);
    expect((await t.request('GET', `/api/v1/guide/places/${place.id}`, { token: other.token })).json().error.code).toBe('NOT_FOUND');
    expect((await nearby(`lat=${NEAR_SANHUA.lat}&lng=${NEAR_SANHUA.lng}&limit=100`)).some((p) => p.id === place.id)).toBe(false);
    const mine = (await t.request('GET', '/api/v1/guide/places/mine', { token: worker.token })).json();
    expect(mine.items.map((p: { id: string }) => p.id)).toEqual([place.id]);

    // Staff of another street cannot see or decide it; grid01 finds it in the queue.
    expect((await t.request('GET', `/api/v1/guide/places/${place.id}`, { token: guangtang })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('POST', `/api/v1/guide/places/${place.id}/review`, { token: guangtang, body: { decision: 'verify' } })).json().error.code).toBe('OUT_OF_SCOPE');
    const queue = (await t.request('GET', '/api/v1/guide/places/review?kind=parking&pageSize=100', { token: grid01 })).json();
    expect(queue.items.find((p: { id: string }) => p.id === place.id)).toMatchObject({ authorName: '测**手', state: 'pending' });
    const other_queue = (await t.request('GET', '/api/v1/guide/places/review?pageSize=100', { token: guangtang })).json();
    expect(other_queue.items.some((p: { id: string }) => p.id === place.id)).toBe(false);

    const verified = await t.request('POST', `/api/v1/guide/places/${place.id}/review`, { token: grid01, body: { decision: 'verify' } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().state).toBe('verified');
    expect((await t.request('POST', `/api/v1/guide/places/${place.id}/review`, { token: grid01, body: { decision: 'verify' } })).json().error.code).toBe('GUIDE_ALREADY_REVIEWED');
    const map = await nearby(`lat=${NEAR_SANHUA.lat}&lng=${NEAR_SANHUA.lng}&kind=parking&limit=100`);
    expect(map.find((p) => p.id === place.id)).toMatchObject({ state: 'verified', distanceM: expect.any(Number) });
    expect((await t.request('GET', `/api/v1/guide/places/${place.id}`, { token: other.token })).json()).toMatchObject({ mine: false, authorName: null });

    const award = await t.database.db.selectFrom('points_transfers').select('amount').where('source_type', '=', 'guide_place').where('source_id', '=', place.id).execute();
    expect(award.map((a) => Number(a.amount))).toEqual([5]);
    const audits = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', place.id).execute();
    expect(audits.map((a) => a.action)).toEqual(['guide_place.verify']);
  });

  it('a rejection carries its reason to the author and leaves the map as it was', async () => {
    const worker = await t.newWorker();
    const place = (await contribute(worker.token, { kind: 'gate', name: '测试门岗', lat: NEAR_SANHUA.lat, lng: NEAR_SANHUA.lng + 0.0002, gate: { rules: ['walk_in'], opensAt: '07:00', closesAt: '22:00' } })).json();
    expect(place.gate).toEqual({ rules: ['walk_in'], opensAt: '07:00', closesAt: '22:00' });
    expect((await t.request('POST', `/api/v1/guide/places/${place.id}/review`, { token: grid01, body: { decision: 'reject' } })).statusCode).toBe(400);
    const rejected = await t.request('POST', `/api/v1/guide/places/${place.id}/review`, { token: grid01, body: { decision: 'reject', reason: '位置不准确' } });
    expect(rejected.json()).toMatchObject({ state: 'rejected', rejectReason: '位置不准确' });
    expect((await t.request('GET', `/api/v1/guide/places/${place.id}`, { token: worker.token })).json()).toMatchObject({ state: 'rejected', rejectReason: '位置不准确' });
    expect((await nearby(`lat=${NEAR_SANHUA.lat}&lng=${NEAR_SANHUA.lng}&limit=100`)).some((p) => p.id === place.id)).toBe(false);
    expect(await t.database.db.selectFrom('points_transfers').select('id').where('source_type', '=', 'guide_place').where('source_id', '=', place.id).execute()).toEqual([]);
  });

  it('nearby lists verified places nearest first and filters by kind', async () => {
    const all = await nearby('lat=23.4036&lng=113.2136&limit=100');
    expect(all.length).toBeGreaterThan(3);
    const distances = all.map((p) => p.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(all.every((p) => p.state === 'verified')).toBe(true);
    const gates = await nearby('lat=23.4036&lng=113.2136&kind=gate,compound');
    expect(gates.length).toBeGreaterThan(0);
    expect(new Set(gates.map((p) => p.kind))).toEqual(new Set(['gate', 'compound']));
    expect((await nearby('lat=23.4036&lng=113.2136&kind=charging&limit=1')).length).toBe(1);
  });

  it('staff correct an entry (audited); a compound carries its guide', async () => {
    const worker = await t.newWorker();
    const compound = { entrances: [{ label: '东门', lat: 23.4, lng: 113.21 }], buildings: [{ label: '1栋', lat: 23.4001, lng: 113.2101, units: [{ label: '1单元', lat: 23.4001, lng: 113.2102 }] }], garageRoute: '坡道下地库' };
    const place = (await contribute(worker.token, { kind: 'compound', name: '测试小区', lat: 23.4, lng: 113.21, compound })).json();
    expect(place.compound).toEqual(compound);
    const edited = await t.request('PUT', `/api/v1/guide/places/${place.id}`, { token: grid01, body: { kind: 'compound', name: '测试小区（改）', lat: 23.4002, lng: 113.21, compound } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ name: '测试小区（改）', state: 'pending', lat: 23.4002 });
    expect((await t.request('PUT', `/api/v1/guide/places/${place.id}`, { token: guangtang, body: { kind: 'compound', name: 'x', lat: 23.4, lng: 113.21 } })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', place.id).execute()).map((a) => a.action)).toEqual(['guide_place.update']);
  });

  it('refuses coordinates out of range or not numbers, unknown kinds, parts of another kind and far-away points, and writes nothing', async () => {
    const worker = await t.newWorker();
    const before = await count();
    const base = { kind: 'parking', name: '坏数据', lat: 23.4, lng: 113.2 };
    for (const body of [
      { ...base, lat: 91 },
      { ...base, lng: -181 },
      { ...base, lat: '23.4' },
      { ...base, lat: null },
      { ...base, lng: 'NaN' },
      { ...base, kind: 'toilet' },
      { ...base, gate: { rules: ['walk_in'] } },
      { ...base, kind: 'gate', gate: { rules: ['fly_in'] } },
      { ...base, name: '<script>' },
      { ...base, extra: 1 },
    ]) {
      const res = await contribute(worker.token, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const far = await contribute(worker.token, { ...base, lat: 39.9, lng: 116.4 });
    expect(far.statusCode).toBe(400);
    expect(far.json().error).toMatchObject({ code: 'GUIDE_PLACE_OUT_OF_AREA', message: expect.stringContaining('社区') });
    expect((await contribute(worker.token, base, null)).json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    for (const q of ['lat=91&lng=113', 'lat=x&lng=113', 'lat=23&lng=181', 'lat=23&lng=113&kind=toilet', 'lng=113']) {
      const res = await t.request('GET', `/api/v1/guide/places/nearby?${q}`);
      expect(res.statusCode, q).toBe(400);
    }
    expect((await t.request('GET', '/api/v1/guide/places/review?state=gone', { token: grid01 })).statusCode).toBe(400);
    expect((await t.request('GET', '/api/v1/guide/places/review?regionId=440114002', { token: grid01 })).json().error.code).toBe('OUT_OF_SCOPE');
    expect(await count()).toBe(before);
  });
});
