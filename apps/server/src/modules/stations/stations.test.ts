import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenAt } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';

function haversine(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}

describe.each(DB_KINDS)('stations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const nearby = (query: string) => t.request('GET', `/api/v1/stations/nearby?${query}`);

  it('returns the nearest built or accepted stations first, with distances in metres', async () => {
    const res = await nearby('lat=23.4021&lng=113.2149&limit=5');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ name: string; distanceM: number; status: string }>;
    expect(items[0]).toMatchObject({ name: '三华社区暖新驿站', distanceM: 0 });
    expect(items.map((i) => i.distanceM)).toEqual([...items.map((i) => i.distanceM)].sort((a, b) => a - b));
    expect(items.every((i) => i.status === 'built' || i.status === 'accepted')).toBe(true);
    // 三华工会驿站 (23.4049, 113.2188): the great-circle distance, within 1% (earthdistance's sphere vs ours).
    const union = items.find((i) => i.name === '三华工会驿站')!;
    const expected = haversine(23.4021, 113.2149, 23.4049, 113.2188);
    expect(Math.abs(union.distanceM - expected) / expected).toBeLessThan(0.01);
  });

  it('filters by amenity and service, and leaves planned stations out', async () => {
    const withToiletAndClinic = (await nearby('lat=23.40&lng=113.22&amenity=toilet&service=clinic&limit=50')).json().items as Array<{ amenities: string[]; services: string[]; name: string }>;
    expect(withToiletAndClinic.length).toBeGreaterThan(0);
    for (const s of withToiletAndClinic) {
      expect(s.amenities).toContain('toilet');
      expect(s.services).toContain('clinic');
    }
    const all = (await nearby('lat=23.40&lng=113.22&limit=50')).json().items as Array<{ name: string }>;
    expect(all.map((s) => s.name)).not.toContain('清布路充电驿站'); // planned
    expect(all).toHaveLength(10);
  });

  it('open now: 24-hour stations always, others by their hours in China time', async () => {
    const res = (await nearby('lat=23.40&lng=113.22&openNow=true&limit=50')).json().items as Array<{ openNow: boolean; alwaysOpen: boolean }>;
    expect(res.every((s) => s.openNow)).toBe(true);
    expect(res.some((s) => s.alwaysOpen)).toBe(true);
    const hours = Array(7).fill(['08:00-22:00']);
    expect(isOpenAt(hours, false, new Date('2026-11-24T01:00:00Z'))).toBe(true); // 09:00 CST
    expect(isOpenAt(hours, false, new Date('2026-11-24T15:00:00Z'))).toBe(false); // 23:00 CST
  });

  it('shows one station with its keeper’s phone masked', async () => {
    const first = (await nearby('lat=23.4021&lng=113.2149&limit=1')).json().items[0];
    const res = await t.request('GET', `/api/v1/stations/${first.id}`);
    expect(res.json()).toMatchObject({ name: '三华社区暖新驿站', keeperName: '谢国平', keeperPhone: '138****0010' });
    expect(res.json().weeklyHours).toHaveLength(7);
    expect((await t.request('GET', '/api/v1/stations/00000000-0000-4000-8000-000000000000')).json().error.code).toBe('NOT_FOUND');
  });

  it('refuses coordinates out of range or not numbers, unknown amenities and a too-large limit', async () => {
    for (const query of ['lat=91&lng=113', 'lat=23&lng=181', 'lat=abc&lng=113', 'lng=113', 'lat=23&lng=113&amenity=sauna', 'lat=23&lng=113&limit=5000', 'lat=23&lng=113&extra=1']) {
      const res = await nearby(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});
