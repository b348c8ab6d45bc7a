import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { createTestApp, type TestApp } from './harness.ts';

/**
 * Several server processes share one PostgreSQL and cache sessions in memory. A logout or a
 * disabled account in one process must reach the others through LISTEN/NOTIFY.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('sessions across server processes (PostgreSQL)', () => {
  let first: TestApp;
  let secondDb: Database;
  let second: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    first = await createTestApp('postgres');
    // A second, independent app (own pool, own cache, own LISTEN connection) on the same database.
    const dbName = (await first.database.db.selectNoFrom((eb) => eb.fn<string>('current_database', []).as('name')).executeTakeFirstOrThrow()).name;
    const target = new URL(process.env.TEST_DATABASE_URL!);
    target.pathname = `/${dbName}`;
    secondDb = await openDatabase({ url: target.toString(), poolSize: 2 });
    second = await buildApp({ config: loadConfig({ NODE_ENV: 'test' }), database: secondDb, logger: false, serveApps: false, runJobs: false });
    await second.ready();
  });
  afterAll(async () => {
    await second?.close();
    await secondDb?.close();
    await first?.close();
  });

  const meOn = (app: typeof second, token: string) => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  async function eventually(check: () => Promise<boolean>, ms = 3000) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return false;
  }

  it('a logout in one process is refused by another that had the session cached', async () => {
    const token = await first.loginStaff('grid02');
    expect((await meOn(second, token)).statusCode).toBe(200); // now cached in the second process
    expect((await first.request('POST', '/api/v1/auth/logout', { token })).statusCode).toBe(204);
    expect(await eventually(async () => (await meOn(second, token)).statusCode === 401)).toBe(true);
  });

  it('disabling an account in one process ends its sessions in the other', async () => {
    const worker = await first.newWorker('440114002001');
    expect((await meOn(second, worker.token)).statusCode).toBe(200);
    const admin = await first.loginStaff('guangtang');
    expect((await first.request('PATCH', `/api/v1/users/${worker.userId}/status`, { token: admin, body: { status: 'disabled' } })).statusCode).toBe(200);
    expect(await eventually(async () => (await meOn(second, worker.token)).statusCode === 401)).toBe(true);
  });
});
