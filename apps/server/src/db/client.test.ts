import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../test/harness.ts';
import { withLockTimeout, withTransaction } from './client.ts';

describe.each(DB_KINDS)('a transaction with a lock timeout on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await sql`create table lock_probe (id integer primary key, n integer not null)`.execute(t.database.db);
    await sql`insert into lock_probe values (1, 0)`.execute(t.database.db);
  });
  afterAll(async () => t?.close());

  const timeoutIn = (tx: typeof t.database.db) => sql<{ lock_timeout: string }>`show lock_timeout`.execute(tx).then((r) => r.rows[0]!.lock_timeout);

  it('commits what it wrote, with the timeout set inside it only', async () => {
    const seen = await withLockTimeout(t.database, '300ms', async (tx) => {
      await sql`update lock_probe set n = n + 1 where id = 1`.execute(tx);
      return timeoutIn(tx);
    });
    expect(seen).toBe('300ms');
    expect((await sql<{ n: number }>`select n from lock_probe where id = 1`.execute(t.database.db)).rows[0]!.n).toBe(1);
    // Set local: the pooled connection goes back as it was.
    expect(await timeoutIn(t.database.db)).toBe('0');
  });

  it('rolls back everything when its work throws', async () => {
    await expect(
      withLockTimeout(t.database, '300ms', async (tx) => {
        await sql`update lock_probe set n = 100 where id = 1`.execute(tx);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await sql<{ n: number }>`select n from lock_probe where id = 1`.execute(t.database.db)).rows[0]!.n).toBe(1);
  });

  it.runIf(kind === 'postgres')('gives up on a row lock held elsewhere after the timeout, not waiting for it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = withTransaction(t.database.db, async (tx) => {
      await sql`select n from lock_probe where id = 1 for update`.execute(tx);
      locked();
      await held;
    });
    await isLocked;
    const started = Date.now();
    const waiter = withLockTimeout(t.database, '200ms', (tx) => sql`update lock_probe set n = n + 1 where id = 1`.execute(tx));
    await expect(waiter).rejects.toMatchObject({ code: '55P03' });
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    await holder;
  });

  it('refuses a timeout that is not a whole number of milliseconds', () => {
    expect(() => withLockTimeout(t.database, "1ms'; drop table lock_probe; --" as `${number}ms`, async () => {})).toThrow();
  });
});

describe.runIf(DB_KINDS.includes('postgres'))('listening on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => t?.close());

  it('listens again by itself after its connection is lost, says so, and hears what comes after', async () => {
    const channel = `nx_test_${Date.now()}`;
    const heard: string[] = [];
    let resyncs = 0;
    const stop = await t.database.listen(channel, (payload) => heard.push(payload), () => resyncs++);
    const notify = (payload: string) => sql`select pg_notify(${channel}, ${payload})`.execute(t.database.db);
    await notify('one');
    await expect.poll(() => heard).toEqual(['one']);
    // As a database restart would: the listening backend goes away.
    const killed = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where query = ${`listen "${channel}"`}`.execute(t.database.db);
    expect(killed.rows[0]!.n).toBe(1);
    await expect.poll(() => resyncs, { timeout: 5_000 }).toBe(1);
    await notify('two');
    await expect.poll(() => heard).toEqual(['one', 'two']);
    await stop();
    await notify('three');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual(['one', 'two']);
  });
});
