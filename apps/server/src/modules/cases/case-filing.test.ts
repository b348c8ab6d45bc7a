import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { WriteBatch } from '../../db/write-batch.ts';
import { AppError } from '../../common/errors.ts';
import { RateLimiter } from '../../common/rate-limit.ts';
import { fileBatch, type Filing, type FilingOutcome } from './case-filing.ts';
import type { NewAppCase } from './cases.repository.ts';

/** Beside 三华社区暖新驿站. */
const SANHUA = { lat: 23.4025, lng: 113.2153 };

describe.each(DB_KINDS)('filing reports in batches on %s', (kind) => {
  let t: TestApp;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const categories = (await t.request('GET', '/api/v1/cases/categories?regionId=440114')).json() as Array<{ id: string; code: string }>;
    categoryId = categories.find((c) => c.code === 'env.vending')!.id;
  });
  afterAll(async () => t?.close());

  /** A batcher over the real filing write that records the size of each run. */
  function batcher() {
    const sizes: number[] = [];
    const batch = new WriteBatch<Filing, FilingOutcome>((items) => {
      sizes.push(items.length);
      return fileBatch(t.database, items);
    });
    return { sizes, batch };
  }
  const filing = (reporterId: string, description: string, extra: Partial<NewAppCase> = {}): NewAppCase => {
    const now = new Date();
    return { regionId: '440114001001', reporterId, categoryId, description, ...SANHUA, address: null, photoIds: [], urgent: false, dueAt: new Date(now.getTime() + 3_600_000), now, clientKey: randomUUID(), requestHash: 'h', ...extra };
  };
  const casesWhere = (prefix: string) => t.database.db.selectFrom('cases').select(['id', 'client_key', 'reporter_id']).where('description', 'like', `${prefix}%`).execute();
  const reportEvents = (ids: string[]) => t.database.db.selectFrom('case_events').select('case_id').where('case_id', 'in', ids).where('action', '=', 'report').execute();

  it('files concurrent reports, each once with one event; the same key twice at once gives both the same case', async () => {
    const workers = await Promise.all(Array.from({ length: 6 }, () => t.newWorker('440114001001')));
    const sends = Array.from({ length: 24 }, (_, n) => ({ token: workers[n % workers.length]!.token, key: randomUUID(), description: `并发上报 ${n}` }));
    // Every fourth one is sent twice at the same moment (a double tap).
    const requests = sends.flatMap((s, n) => (n % 4 === 0 ? [s, s] : [s]));
    const answers = await Promise.all(
      requests.map((s) => t.request('POST', '/api/v1/cases', { token: s.token, headers: { 'idempotency-key': s.key }, body: { categoryId, description: s.description, ...SANHUA } })),
    );
    answers.forEach((a) => expect(a.statusCode, a.body).toBe(200));
    const idOf = new Map<string, Set<string>>();
    requests.forEach((s, n) => idOf.set(s.key, (idOf.get(s.key) ?? new Set()).add(answers[n]!.json().id)));
    for (const ids of idOf.values()) expect(ids.size).toBe(1);
    const stored = await casesWhere('并发上报');
    expect(stored).toHaveLength(sends.length);
    expect(new Set(stored.map((c) => c.client_key))).toEqual(new Set(sends.map((s) => s.key)));
    expect(await reportEvents(stored.map((c) => c.id))).toHaveLength(sends.length);
  });

  it('writes a key twice in one batch once, and answers both with that case', async () => {
    const worker = await t.newWorker('440114001001');
    const { sizes, batch } = batcher();
    const first = filing(worker.userId, '同批同键 a');
    const twice = filing(worker.userId, '同批同键 b');
    const outcomes = await Promise.all([first, twice, twice].map((f) => batch.submit({ rate: null, plan: { kind: 'file', filing: f } })));
    expect(sizes).toEqual([1, 2]);
    expect(outcomes.map((o) => o.kind)).toEqual(['filed', 'filed', 'existing']);
    const stored = await casesWhere('同批同键');
    expect(stored.map((c) => c.client_key).sort()).toEqual([first.clientKey, twice.clientKey].sort());
  });

  it('runs the filings of a failing batch one by one: only the bad one fails, and nothing of it is written', async () => {
    const worker = await t.newWorker('440114001001');
    const { sizes, batch } = batcher();
    // A category that does not exist breaks the batch's insert (a foreign key), as a constraint would.
    const items = [filing(worker.userId, '坏批 0'), filing(worker.userId, '坏批 1'), filing(worker.userId, '坏批 2', { categoryId: randomUUID() }), filing(worker.userId, '坏批 3')];
    const results = await Promise.allSettled(items.map((f) => batch.submit({ rate: null, plan: { kind: 'file', filing: f } })));
    expect(sizes).toEqual([1, 3, 1, 1, 1]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await casesWhere('坏批');
    expect(stored.map((c) => c.client_key).sort()).toEqual([items[0]!, items[1]!, items[3]!].map((f) => f.clientKey).sort());
    expect(await reportEvents(stored.map((c) => c.id))).toHaveLength(3);
  });

  it('refuses each filing over the rate limit on its own within a batch, and counts every one', async () => {
    const worker = await t.newWorker('440114001001');
    const other = await t.newWorker('440114001001');
    const limiter = new RateLimiter(t.database.db, 1);
    const bucket = `batch-test:${worker.userId}`;
    const rate = (userId: string) => ({ limiter, rules: [[bucket.replace(worker.userId, userId), { hits: 3, windowSeconds: 3600 }]] as const });
    const { sizes, batch } = batcher();
    const items: Filing[] = [
      { rate: rate(worker.userId), plan: { kind: 'file', filing: filing(worker.userId, '限流批 0') } },
      // Refused for its category: still counted, as a request.
      { rate: rate(worker.userId), plan: { kind: 'refuse', error: new AppError('CATEGORY_NOT_FOUND') } },
      { rate: rate(worker.userId), plan: { kind: 'file', filing: filing(worker.userId, '限流批 2') } },
      { rate: rate(other.userId), plan: { kind: 'file', filing: filing(other.userId, '限流批 other') } },
      { rate: rate(worker.userId), plan: { kind: 'file', filing: filing(worker.userId, '限流批 3') } },
      { rate: rate(worker.userId), plan: { kind: 'file', filing: filing(worker.userId, '限流批 4') } },
    ];
    const results = await Promise.allSettled(items.map((i) => batch.submit(i)));
    expect(sizes).toEqual([1, 5]);
    const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as AppError).code));
    expect(codes).toEqual(['filed', 'CATEGORY_NOT_FOUND', 'filed', 'filed', 'TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect((await casesWhere('限流批')).map((c) => c.reporter_id).sort()).toEqual([worker.userId, worker.userId, other.userId].sort());
    expect(await limiter.count(bucket, { hits: 3, windowSeconds: 3600 })).toBe(5);
  });
});
