import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { addDays, datesBetween } from './sessions.calendar.ts';
import { SessionsService } from './sessions.service.ts';
import { bulkWorkers, stationId } from './visits.fixtures.ts';

const todayCst = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** The first Thursday at least a week away: every test date is safely in the future. */
function nextThursday(): string {
  const start = addDays(todayCst(), 7);
  return addDays(start, (4 - new Date(`${start}T00:00:00Z`).getUTCDay() + 7) % 7);
}

const CLINIC = { title: '义诊', service: 'clinic', provider: '花都区人民医院', description: '量血压、测血糖，带上医保卡', capacity: 10, recurrence: 'weekly', startTime: '14:00', endTime: '17:00' } as const;

describe('session calendar', () => {
  it('lists the weekly dates between two days, and a one-off once', () => {
    const weekly = { recurrence: 'weekly' as const, starts_on: '2026-11-26', until_on: '2026-12-17' };
    expect(datesBetween(weekly, '2026-11-24', '2026-12-31')).toEqual(['2026-11-26', '2026-12-03', '2026-12-10', '2026-12-17']);
    expect(datesBetween(weekly, '2026-12-04', '2026-12-12')).toEqual(['2026-12-10']);
    expect(datesBetween({ ...weekly, until_on: null }, '2027-01-01', '2027-01-10')).toEqual(['2027-01-07']);
    expect(datesBetween({ recurrence: 'once', starts_on: '2026-12-01', until_on: null }, '2026-11-24', '2026-12-31')).toEqual(['2026-12-01']);
    expect(datesBetween({ recurrence: 'once', starts_on: '2026-12-01', until_on: null }, '2026-12-02', '2026-12-31')).toEqual([]);
  });
});

describe.each(DB_KINDS)('station service sessions on %s', (kind) => {
  let t: TestApp;
  let keeper: string;
  let station: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    keeper = await t.loginStaff('keeper01');
    station = await stationId(t.database.db, '三华社区暖新驿站');
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const create = (token: string, body: unknown, at = station) => t.request('POST', `/api/v1/stations/${at}/sessions`, { token, body });
  const book = (token: string, sessionId: string, occursOn: string, key: string = randomUUID()) =>
    t.request('POST', `/api/v1/stations/sessions/${sessionId}/bookings`, { token, body: { occursOn }, headers: { 'idempotency-key': key } });
  const upcoming = async () => (await t.request('GET', `/api/v1/stations/${station}/sessions`)).json().items as Array<{ sessionId: string; occursOn: string; seatsLeft: number; startsAt: string }>;

  it('the keeper offers 义诊 every Thursday 14:00–17:00; the station page lists the dates with seats left', async () => {
    const thursday = nextThursday();
    const res = await create(keeper, { ...CLINIC, startsOn: thursday });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '义诊', occursOn: thursday, seatsLeft: 10, startsAt: new Date(`${thursday}T14:00:00+08:00`).toISOString() });
    const dates = (await upcoming()).filter((o) => o.sessionId === res.json().sessionId).map((o) => o.occursOn);
    expect(dates[0]).toBe(thursday);
    expect(dates.every((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 4)).toBe(true);
    expect(dates.length).toBeGreaterThanOrEqual(2);
    const audit = await db().selectFrom('audit_log').select('action').where('entity_id', '=', res.json().sessionId).execute();
    expect(audit.map((a) => a.action)).toEqual(['station.session.create']);
  });

  it('refuses sessions that end before they start, one-offs in the past or with an end date, and bad fields', async () => {
    const thursday = nextThursday();
    for (const body of [
      { ...CLINIC, startsOn: thursday, startTime: '17:00', endTime: '14:00' },
      { ...CLINIC, recurrence: 'once', startsOn: '2020-01-02' },
      { ...CLINIC, recurrence: 'once', startsOn: thursday, untilOn: addDays(thursday, 7) },
      { ...CLINIC, startsOn: thursday, untilOn: addDays(thursday, -7) },
    ]) {
      const res = await create(keeper, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('SESSION_INVALID');
    }
    for (const body of [{ ...CLINIC, startsOn: thursday, capacity: 0 }, { ...CLINIC, startsOn: thursday, title: '<b>义诊</b>' }, { ...CLINIC, startsOn: thursday, startTime: '25:00' }, { ...CLINIC, startsOn: 'next thursday' }, { ...CLINIC, startsOn: thursday, service: 'sauna' }]) {
      const res = await create(keeper, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const other = await stationId(db(), '广塘社区暖新驿站');
    expect((await create(keeper, { ...CLINIC, startsOn: thursday }, other)).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await create(await t.loginStaff('sanhua'), { ...CLINIC, startsOn: thursday }, other)).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await create((await t.newWorker()).token, { ...CLINIC, startsOn: thursday })).json().error.code).toBe('FORBIDDEN');
  });

  it('a worker books with an Idempotency-Key, a retry replays, a second booking returns the same seat, cancelling frees it', async () => {
    const thursday = nextThursday();
    const session = (await create(keeper, { ...CLINIC, title: '法律咨询', capacity: 2, startsOn: thursday })).json().sessionId as string;
    const worker = await t.newWorker();
    const key = randomUUID();
    const first = await book(worker.token, session, thursday, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ sessionId: session, occursOn: thursday, status: 'booked', attended: null, stationName: '三华社区暖新驿站' });
    expect((await book(worker.token, session, thursday, key)).json()).toEqual(first.json());
    expect((await book(worker.token, session, thursday)).json().id).toBe(first.json().id);
    expect((await upcoming()).find((o) => o.sessionId === session && o.occursOn === thursday)!.seatsLeft).toBe(1);
    // The same key for another date is a different request.
    expect((await book(worker.token, session, addDays(thursday, 7), key)).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    const mine = (await t.request('GET', '/api/v1/stations/bookings/mine', { token: worker.token })).json().items;
    expect(mine.map((b: { id: string }) => b.id)).toContain(first.json().id);

    const stranger = await t.newWorker();
    expect((await t.request('POST', `/api/v1/stations/bookings/${first.json().id}/cancel`, { token: stranger.token })).json().error.code).toBe('NOT_FOUND');
    const cancelled = await t.request('POST', `/api/v1/stations/bookings/${first.json().id}/cancel`, { token: worker.token });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await t.request('POST', `/api/v1/stations/bookings/${first.json().id}/cancel`, { token: worker.token })).json().error.code).toBe('BOOKING_NOT_CANCELLABLE');
    expect((await upcoming()).find((o) => o.sessionId === session && o.occursOn === thursday)!.seatsLeft).toBe(2);
    // After cancelling, booking again takes a new seat.
    expect((await book(worker.token, session, thursday)).json()).toMatchObject({ status: 'booked' });
  });

  it('refuses dates the session is not held on, past ones, and unknown sessions', async () => {
    const thursday = nextThursday();
    const session = (await create(keeper, { ...CLINIC, startsOn: thursday, untilOn: addDays(thursday, 14) })).json().sessionId as string;
    const worker = await t.newWorker();
    for (const day of [addDays(thursday, 1), addDays(thursday, 21), addDays(thursday, -7), '2020-01-02', addDays(thursday, 7 * 20)]) {
      const res = await book(worker.token, session, day);
      expect(res.statusCode, day).toBe(409);
      expect(res.json().error.code).toBe('SESSION_NOT_BOOKABLE');
    }
    expect((await book(worker.token, randomUUID(), thursday)).json().error.code).toBe('NOT_FOUND');
    expect((await book(worker.token, session, 'soon')).json().error.code).toBe('VALIDATION_FAILED');
    const noKey = await t.request('POST', `/api/v1/stations/sessions/${session}/bookings`, { token: worker.token, body: { occursOn: thursday } });
    expect(noKey.json().error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await db().selectFrom('station_bookings').select('id').where('session_id', '=', session).execute()).toEqual([]);
  });

  it('200 simultaneous bookings of 10 seats: exactly 10 succeed, the rest hear it is full, and nothing else is written', async () => {
    const thursday = nextThursday();
    const session = (await create(keeper, { ...CLINIC, title: '心理咨询', startsOn: thursday })).json().sessionId as string;
    const workers = await bulkWorkers(db(), 200);
    const service = t.app.services.sessions;
    const results = await Promise.allSettled(workers.map((w) => service.book(w, randomUUID(), session, thursday)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(new Set(refused.map((r) => (r.reason as { code?: string }).code))).toEqual(new Set(['SESSION_FULL']));
    expect(await db().selectFrom('station_bookings').select('id').where('session_id', '=', session).execute()).toHaveLength(10);
    const seats = await db().selectFrom('station_session_seats').select('booked').where('session_id', '=', session).executeTakeFirstOrThrow();
    expect(seats.booked).toBe(10);

    // One cancels: exactly one more gets in.
    const holder = workers[results.findIndex((r) => r.status === 'fulfilled')]!;
    const held = (ok[0] as PromiseFulfilledResult<{ id: string }>).value;
    await service.cancelBooking(holder, held.id);
    const again = await Promise.allSettled(workers.slice(0, 40).map((w) => service.book(w, randomUUID(), session, thursday)));
    // Those who hold a seat get theirs back; of the rest, one takes the freed seat.
    const newSeats = (await db().selectFrom('station_bookings').select('id').where('session_id', '=', session).where('status', '=', 'booked').execute()).length;
    expect(newSeats).toBe(10);
    expect(again.some((r) => r.status === 'rejected')).toBe(true);
  });

  it('the keeper of that station marks attendance and reads the roster; others cannot', async () => {
    const thursday = nextThursday();
    const session = (await create(keeper, { ...CLINIC, title: '就业政策宣讲', startsOn: thursday })).json().sessionId as string;
    const worker = await t.newWorker();
    const booking = (await book(worker.token, session, thursday)).json().id as string;
    const mark = (token: string, attended: unknown) => t.request('POST', `/api/v1/stations/bookings/${booking}/attendance`, { token, body: { attended } });

    const roster = await t.request('GET', `/api/v1/stations/sessions/${session}/bookings?occursOn=${thursday}`, { token: keeper });
    expect(roster.json().items).toMatchObject([{ id: booking, workerName: '测试骑手', status: 'booked', attended: null }]);
    expect(roster.json().items[0].phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await mark(keeper, true)).json()).toEqual({ id: booking, attended: true, points: 0 });
    expect((await mark(keeper, 'yes')).json().error.code).toBe('VALIDATION_FAILED');
    expect((await mark(worker.token, true)).json().error.code).toBe('FORBIDDEN');

    // A session at another station: keeper01 may not touch it, its own street admin may.
    const far = await stationId(db(), '广塘社区暖新驿站');
    const xinya = await t.loginStaff('xinya');
    const farSession = (await create(xinya, { ...CLINIC, startsOn: thursday }, far)).json().sessionId as string;
    const farBooking = (await book(worker.token, farSession, thursday)).json().id as string;
    const farMark = await t.request('POST', `/api/v1/stations/bookings/${farBooking}/attendance`, { token: keeper, body: { attended: true } });
    expect(farMark.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/stations/sessions/${farSession}/bookings?occursOn=${thursday}`, { token: keeper })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('POST', `/api/v1/stations/sessions/${farSession}/cancel`, { token: keeper })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('POST', `/api/v1/stations/bookings/${farBooking}/attendance`, { token: xinya, body: { attended: false } })).json()).toEqual({ id: farBooking, attended: false, points: 0 });
    const attended = await db().selectFrom('station_bookings').select(['attended', 'marked_by']).where('id', '=', booking).executeTakeFirstOrThrow();
    expect(attended.attended).toBe(true);
  });

  it('a worker who came earns under the street’s 驿站服务 rule, once per booking however often it is marked', async () => {
    await db()
      .insertInto('points_rules')
      .values({ region_id: '440114001', category: 'activity', name: '驿站服务参与', description: '参加驿站服务活动', kind: 'earn', points: 3, daily_cap: null, monthly_cap: null, needs_approval: false, claimable: false, suspend_after: null, valid_from: null, valid_to: null, status: 'active' })
      .execute();
    try {
      const thursday = nextThursday();
      const session = (await create(keeper, { ...CLINIC, title: '心理咨询', startsOn: thursday })).json().sessionId as string;
      const worker = await t.newWorker();
      const booking = (await book(worker.token, session, thursday)).json().id as string;
      const mark = (attended: boolean) => t.request('POST', `/api/v1/stations/bookings/${booking}/attendance`, { token: keeper, body: { attended } });
      const balance = async () => (await t.request('GET', '/api/v1/points/me', { token: worker.token })).json().balance as number;

      expect((await mark(false)).json()).toEqual({ id: booking, attended: false, points: 0 });
      expect((await mark(true)).json()).toEqual({ id: booking, attended: true, points: 3 });
      expect((await mark(true)).json().points).toBe(3);
      expect(await balance()).toBe(3);
      const transfers = await db().selectFrom('points_transfers').select('id').where('source_type', '=', 'station_session').where('source_id', '=', booking).execute();
      expect(transfers).toHaveLength(1);
    } finally {
      await db().updateTable('points_rules').set({ status: 'inactive' }).where('name', '=', '驿站服务参与').execute();
    }
  });

  it('cancelling a session takes its dates off the station page and cancels the seats booked', async () => {
    const thursday = nextThursday();
    const session = (await create(keeper, { ...CLINIC, title: '住房政策', recurrence: 'once', startsOn: thursday })).json().sessionId as string;
    const worker = await t.newWorker();
    const booking = (await book(worker.token, session, thursday)).json().id as string;
    const res = await t.request('POST', `/api/v1/stations/sessions/${session}/cancel`, { token: keeper });
    expect(res.statusCode).toBe(204);
    expect((await upcoming()).some((o) => o.sessionId === session)).toBe(false);
    const mine = (await t.request('GET', '/api/v1/stations/bookings/mine', { token: worker.token })).json().items as Array<{ id: string; status: string }>;
    expect(mine.find((b) => b.id === booking)!.status).toBe('cancelled');
    expect((await book(worker.token, session, thursday)).json().error.code).toBe('SESSION_NOT_BOOKABLE');
  });

  it('a session that has started can no longer be booked or cancelled (injected clock)', async () => {
    const thursday = nextThursday();
    const session = (await create(keeper, { ...CLINIC, recurrence: 'once', title: '健康讲座', startsOn: thursday })).json().sessionId as string;
    const [worker] = await bulkWorkers(db(), 1);
    const booking = await t.app.services.sessions.book(worker!, randomUUID(), session, thursday);
    const started = new SessionsService(t.database, { clock: () => new Date(`${thursday}T14:00:00+08:00`) });
    await expect(started.cancelBooking(worker!, booking.id)).rejects.toMatchObject({ code: 'BOOKING_NOT_CANCELLABLE' });
    const [late] = await bulkWorkers(db(), 1);
    await expect(started.book(late!, randomUUID(), session, thursday)).rejects.toMatchObject({ code: 'SESSION_NOT_BOOKABLE' });
    expect((await started.upcoming(station, 28)).items.some((o) => o.sessionId === session)).toBe(false);
  });
});
