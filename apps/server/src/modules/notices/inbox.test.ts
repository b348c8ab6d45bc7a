import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { withTransaction } from '../../db/client.ts';
import { deliver } from './inbox.ts';

describe.each(DB_KINDS)('deliver() on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const countFor = async (userId: string) => {
    const db = t.database.db;
    const messages = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
    const outbox = await db.selectFrom('message_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return { messages: Number(messages.n), outbox: Number(outbox.n) };
  };

  it('writes in the caller transaction: a rollback leaves nothing', async () => {
    const worker = await t.newWorker();
    await t.database.db.insertInto('message_preferences').values({ user_id: worker.userId, topic: 'case', in_app: true, outbound: true }).execute();
    await expect(
      withTransaction(t.database.db, async (tx) => {
        await deliver(tx, { userId: worker.userId, topic: 'case', title: '已立案', body: '', subject: { kind: 'case', id: 'x' }, link: '/cases/x' });
        expect(await tx.selectFrom('messages').select('id').where('user_id', '=', worker.userId).execute()).toHaveLength(1);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await countFor(worker.userId)).toEqual({ messages: 0, outbox: 0 });
  });

  it('honours preferences per topic, one message per key, and many deliveries in one call', async () => {
    const worker = await t.newWorker();
    await t.database.db
      .insertInto('message_preferences')
      .values([
        { user_id: worker.userId, topic: 'voucher', in_app: false, outbound: true },
        { user_id: worker.userId, topic: 'case', in_app: true, outbound: true },
      ])
      .execute();
    await deliver(t.database.db, [
      { userId: worker.userId, topic: 'wish', title: 'a', body: '' }, // default: in-app only
      { userId: worker.userId, topic: 'voucher', title: 'b', body: '' }, // outbound only
      { userId: worker.userId, topic: 'case', title: 'c', body: '', key: 'case:1:accepted' }, // both
      { userId: worker.userId, topic: 'case', title: 'c again', body: '', key: 'case:1:accepted' },
      { userId: '00000000-0000-4000-8000-000000000000', topic: 'case', title: 'nobody', body: '' },
    ]);
    await deliver(t.database.db, { userId: worker.userId, topic: 'case', title: 'c retried', body: '', key: 'case:1:accepted' });
    const messages = await t.database.db.selectFrom('messages').select(['topic', 'title', 'region_id']).where('user_id', '=', worker.userId).orderBy('title').execute();
    expect(messages.map((m) => `${m.topic}:${m.title}`)).toEqual(['wish:a', 'case:c']);
    expect(messages[0]!.region_id).toBe('440114001001');
    const outbox = await t.database.db.selectFrom('message_outbox').select(['topic', 'message_id']).where('user_id', '=', worker.userId).orderBy('topic').execute();
    expect(outbox.map((o) => o.topic)).toEqual(['case', 'voucher']);
    expect(outbox.find((o) => o.topic === 'voucher')!.message_id).toBeNull();
    expect(outbox.find((o) => o.topic === 'case')!.message_id).not.toBeNull();
  });
});
