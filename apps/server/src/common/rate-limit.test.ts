import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../test/harness.ts';
import { LIMITS, RateLimiter } from './rate-limit.ts';

describe.each(DB_KINDS)('rate limits on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { rateLimitScale: 1 });
  });
  afterAll(async () => t?.close());

  it('lets a rider file 20 reports a minute, refuses the 21st in words, and files nothing for it', async () => {
    const worker = await t.newWorker();
    const categories = (await t.request('GET', '/api/v1/cases/categories')).json() as Array<{ id: string; parentId: string | null }>;
    const body = { categoryId: categories.find((c) => c.parentId)!.id, lat: 23.4021, lng: 113.2149 };
    const file = (n: number) => t.request('POST', '/api/v1/cases', { token: worker.token, body: { ...body, description: `限流 ${n}` }, headers: { 'idempotency-key': randomUUID() } });
    for (let n = 0; n < LIMITS.reportPerUser.hits; n++) expect((await file(n)).statusCode).toBe(200);
    const refused = await file(99);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('TOO_MANY_REQUESTS');
    expect(refused.json().error.message).toMatch(/操作太频繁，请\d+秒后再试/);
    const filed = await t.database.db.selectFrom('cases').select('id').where('description', 'like', '限流%').execute();
    expect(filed).toHaveLength(LIMITS.reportPerUser.hits);
    // Another rider is not affected.
    const other = await t.newWorker();
    expect((await t.request('POST', '/api/v1/cases', { token: other.token, body, headers: { 'idempotency-key': randomUUID() } })).statusCode).toBe(200);
  });

  it('locks a staff account after 5 wrong passwords, even for the right one, and only that account', async () => {
    const login = (username: string, password: string) => t.request('POST', '/api/v1/auth/login', { body: { username, password } });
    for (let i = 0; i < LIMITS.passwordFailuresPerAccount.hits; i++) expect((await login('xinya', `wrong-${i}`)).json().error.code).toBe('BAD_CREDENTIALS');
    const locked = await login('xinya', 'Nuanxin@2026');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: 'LOGIN_LOCKED', message: '密码错误次数过多，账号已暂时锁定，请15分钟后再试' });
    expect((await login('guangtang', 'Nuanxin@2026')).statusCode).toBe(200);
  });

  it('counts in the database, so two server processes share one limit, in fixed windows', async () => {
    const [a, b] = [new RateLimiter(t.database.db), new RateLimiter(t.database.db)];
    const limit = { hits: 3, windowSeconds: 60 };
    const now = Date.UTC(2026, 10, 24, 8, 0, 10);
    await a.take([['shared', limit]], now);
    await b.take([['shared', limit]], now);
    await a.take([['shared', limit]], now);
    await expect(b.take([['shared', limit]], now)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', details: { seconds: 50 } });
    await a.take([['shared', limit]], now + 60_000); // the next window starts afresh
    expect(await a.prune(now + 3 * 86_400_000)).toBeGreaterThan(0);
  });
});
