import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { MESSAGE_TOPICS } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import type { MessageChannel, OutboundMessage, Recipient, SendResult } from './channels.ts';
import { SmsTemplateChannel } from './channels.ts';
import { OUTBOX_CLAIM_MS, OUTBOX_MAX_ATTEMPTS, sendOutbound } from './outbox.ts';
import { deliver } from './inbox.ts';
import { earn } from '../../../test/points-fixtures.ts';

/** A channel that answers as told and remembers what it was asked to send (the gateway is outside the process). */
class ScriptedChannel implements MessageChannel {
  readonly name = 'scripted';
  readonly sent: Array<{ to: Recipient; message: OutboundMessage }> = [];
  constructor(private readonly answer: (n: number) => SendResult = () => ({ ok: true })) {}
  async send(to: Recipient, message: OutboundMessage) {
    this.sent.push({ to, message });
    return this.answer(this.sent.length);
  }
}

/**
 * A moment after the messages just delivered: the database stamps them in microseconds, a JS date
 * has milliseconds, so "now" taken in the same millisecond can come before them (a flaky test once).
 */
const justAfter = () => new Date(Date.now() + 1_000);

describe.each(DB_KINDS)('notices and messages on %s', (kind) => {
  let t: TestApp;
  let sanhua: string; // community admin of 三华社区 (440114001001)
  let xinhua: string; // street admin of 新华街道 (440114001)
  let xinya: string; // street admin of 新雅街道 (440114002)
  let district: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    [sanhua, xinhua, xinya, district] = await Promise.all([t.loginStaff('sanhua'), t.loginStaff('xinhua'), t.loginStaff('xinya'), t.loginStaff('district')]);
  });
  afterAll(async () => t?.close());

  const write = (token: string, body: Record<string, unknown>) =>
    t.request('POST', '/api/v1/notices', { token, body: { kind: 'announcement', title: `通知-${randomUUID().slice(0, 6)}`, body: '请大家注意防暑降温。', ...body } });
  const move = (token: string, id: string, action: string) => t.request('POST', `/api/v1/notices/${id}/move`, { token, body: { action } });
  const rowCount = async (table: 'notices' | 'notice_reads' | 'messages' | 'message_outbox') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('draft → published → withdrawn; every other move is a 409 that changes nothing', async () => {
    const created = await write(xinhua, { regionId: '440114001', kind: 'policy' });
    expect(created.statusCode, created.body).toBe(200);
    const notice = created.json();
    expect(notice).toMatchObject({ status: 'draft', kind: 'policy', regionName: '新华街道', readCount: 0, publishedAt: null });

    const early = await move(xinhua, notice.id, 'withdraw');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('INVALID_STATE');
    const published = await move(xinhua, notice.id, 'publish');
    expect(published.json()).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    const twice = await move(xinhua, notice.id, 'publish');
    expect(twice.statusCode).toBe(409);
    // A published notice keeps its words: only the pin may change.
    const edit = await t.request('PUT', `/api/v1/notices/${notice.id}`, { token: xinhua, body: { regionId: '440114001', kind: 'policy', title: '改过的标题', body: notice.body } });
    expect(edit.statusCode).toBe(409);
    const pin = await t.request('PUT', `/api/v1/notices/${notice.id}`, { token: xinhua, body: { regionId: '440114001', kind: 'policy', title: notice.title, body: notice.body, pinned: true } });
    expect(pin.json()).toMatchObject({ pinned: true, title: notice.title });
    expect((await move(xinhua, notice.id, 'withdraw')).json()).toMatchObject({ status: 'withdrawn', withdrawnAt: expect.any(String) });
    for (const action of ['publish', 'withdraw']) expect((await move(xinhua, notice.id, action)).statusCode).toBe(409);
    const row = await t.database.db.selectFrom('notices').selectAll().where('id', '=', notice.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('withdrawn');
    const audit = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', notice.id).orderBy('created_at').execute();
    expect(audit.map((a) => a.action)).toEqual(['notice.create', 'notice.publish', 'notice.update', 'notice.withdraw']);
    // A withdrawn notice leaves the feed.
    const worker = await t.newWorker('440114001001');
    expect((await t.request('GET', '/api/v1/notices', { token: worker.token })).json().items.map((n: { id: string }) => n.id)).not.toContain(notice.id);
  });

  it('is scoped: staff write only inside their subtree; readers see their region and the regions above it', async () => {
    const outside = await write(sanhua, { regionId: '440114001' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await write(xinya, { regionId: '440114001001' })).json().error.code).toBe('OUT_OF_SCOPE');
    const grid = await t.request('POST', '/api/v1/notices', { token: await t.loginStaff('grid01'), body: { regionId: '440114001001', kind: 'announcement', title: 'x', body: 'y' } });
    expect(grid.statusCode).toBe(403);

    const ids: Record<string, string> = {};
    for (const [name, token, regionId] of [
      ['district', district, '440114'],
      ['street', xinhua, '440114001'],
      ['community', sanhua, '440114001001'],
      ['otherStreet', xinya, '440114002'],
    ] as const) {
      ids[name] = (await write(token, { regionId })).json().id;
      expect((await move(token, ids[name]!, 'publish')).statusCode).toBe(200);
    }
    const otherStreetId = ids.otherStreet!;
    // Another street's admin can neither move nor see the draft figures of this street's notice.
    expect((await move(xinya, ids.street!, 'withdraw')).json().error.code).toBe('OUT_OF_SCOPE');

    const worker = await t.newWorker('440114001001');
    const feed = (await t.request('GET', '/api/v1/notices?pageSize=100', { token: worker.token })).json();
    const seen = feed.items.map((n: { id: string }) => n.id);
    expect(seen).toEqual(expect.arrayContaining([ids.district, ids.street, ids.community]));
    expect(seen).not.toContain(otherStreetId);
    expect(feed.items.every((n: { readCount: number | null }) => n.readCount === null)).toBe(true);
    expect((await t.request('GET', `/api/v1/notices/${otherStreetId}`, { token: worker.token })).statusCode).toBe(404);

    // Staff of the street manage its notices (not the district's) and read the district's in their feed.
    const manage = (await t.request('GET', '/api/v1/notices/manage?pageSize=100', { token: xinhua })).json();
    const managed = manage.items.map((n: { id: string }) => n.id);
    expect(managed).toEqual(expect.arrayContaining([ids.street, ids.community]));
    expect(managed).not.toContain(ids.district);
    expect(manage.items.every((n: { regionId: string }) => n.regionId.startsWith('440114001'))).toBe(true);
    const staffFeed = (await t.request('GET', '/api/v1/notices?pageSize=100', { token: sanhua })).json().items.map((n: { id: string }) => n.id);
    expect(staffFeed).toEqual(expect.arrayContaining([ids.district, ids.street, ids.community]));
  });

  it('counts a read once per person, and staff see the share of the region’s workers who read it', async () => {
    const notice = (await write(sanhua, { regionId: '440114001001', kind: 'initiative' })).json();
    await move(sanhua, notice.id, 'publish');
    const [a, b] = [await t.newWorker('440114001001'), await t.newWorker('440114001001')];
    const unreadBefore = (await t.request('GET', '/api/v1/messages/unread', { token: a.token })).json();
    expect(unreadBefore.notices).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 3; i++) {
      const opened = await t.request('GET', `/api/v1/notices/${notice.id}`, { token: a.token });
      expect(opened.json()).toMatchObject({ read: true, readCount: null, workerCount: null });
    }
    await t.request('GET', `/api/v1/notices/${notice.id}`, { token: b.token });
    await t.request('GET', `/api/v1/notices/${notice.id}`, { token: sanhua }); // staff read, not a worker's
    const unreadAfter = (await t.request('GET', '/api/v1/messages/unread', { token: a.token })).json();
    expect(unreadAfter.notices).toBe(unreadBefore.notices - 1);

    const seen = (await t.request('GET', `/api/v1/notices/${notice.id}`, { token: sanhua })).json();
    const workers = Number(
      (await t.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'worker').where('status', '=', 'active').where('region_id', 'like', '440114001001%').executeTakeFirstOrThrow()).n,
    );
    expect(seen).toMatchObject({ readCount: 3, workerReadCount: 2, workerCount: workers });
    expect(seen.readRate).toBeCloseTo(2 / workers);
    const reads = await t.database.db.selectFrom('notice_reads').select('user_id').where('notice_id', '=', notice.id).execute();
    expect(reads).toHaveLength(3);
  });

  it('keeps photos through MediaService and refuses someone else’s', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 10, g: 200, b: 30 } } }).jpeg().toBuffer();
    const upload = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/media', payload: jpeg, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } });
    const photo = (await upload(sanhua)).json().id;
    const created = (await write(sanhua, { regionId: '440114001001', photoIds: [photo], attachmentIds: [] })).json();
    expect(created.photos[0]).toMatchObject({ id: photo, url: expect.stringContaining(`/api/v1/media/${photo}`) });
    const theirs = (await upload(xinhua)).json().id;
    const before = await rowCount('notices');
    const refused = await write(sanhua, { regionId: '440114001001', attachmentIds: [theirs] });
    expect(refused.statusCode).toBe(400);
    expect(await rowCount('notices')).toBe(before);
  });

  it('is a message center: list, badge, mark one and all read; another user’s message is not found', async () => {
    const worker = await t.newWorker('440114001001');
    const other = await t.newWorker('440114001001');
    await deliver(t.database.db, [
      { userId: worker.userId, topic: 'wish', title: '您的心愿已认领', body: '爱心企业认领了您的心愿', link: '/wishes/1' },
      { userId: worker.userId, topic: 'activity', title: '活动报名成功', body: '', link: '/activities/1' },
      { userId: worker.userId, topic: 'honor', title: '您获评金牌先锋', body: '' },
    ]);
    const list = (await t.request('GET', '/api/v1/messages', { token: worker.token })).json();
    expect(list).toMatchObject({ total: 3, unread: 3 });
    expect(list.items[0]).toMatchObject({ topic: expect.any(String), read: false });
    const first = list.items.find((m: { topic: string }) => m.topic === 'wish');
    expect(first).toMatchObject({ title: '您的心愿已认领', link: '/wishes/1' });
    expect((await t.request('POST', `/api/v1/messages/${first.id}/read`, { token: other.token })).statusCode).toBe(404);
    expect((await t.request('POST', `/api/v1/messages/${first.id}/read`, { token: worker.token })).statusCode).toBe(204);
    expect((await t.request('POST', `/api/v1/messages/${first.id}/read`, { token: worker.token })).statusCode).toBe(204);
    expect((await t.request('GET', '/api/v1/messages/unread', { token: worker.token })).json().messages).toBe(2);
    expect((await t.request('GET', '/api/v1/messages?unread=true&topic=activity', { token: worker.token })).json().total).toBe(1);
    expect((await t.request('POST', '/api/v1/messages/read-all', { token: worker.token, body: {} })).json()).toEqual({ count: 2 });
    expect((await t.request('GET', '/api/v1/messages/unread', { token: worker.token })).json().messages).toBe(0);
    // Staff and partners have a message center too.
    const partner = await t.loginStaff('barber');
    expect((await t.request('GET', '/api/v1/messages', { token: partner })).statusCode).toBe(200);
  });

  it('honours preferences set through the API: in-app off writes no message, outbound on queues a copy', async () => {
    const worker = await t.newWorker('440114001001');
    const defaults = (await t.request('GET', '/api/v1/messages/preferences', { token: worker.token })).json();
    expect(defaults).toHaveLength(MESSAGE_TOPICS.length);
    expect(defaults.every((p: { inApp: boolean; outbound: boolean }) => p.inApp && !p.outbound)).toBe(true);
    const saved = await t.request('PUT', '/api/v1/messages/preferences', {
      token: worker.token,
      body: { preferences: [{ topic: 'wish', inApp: false, outbound: false }, { topic: 'case', inApp: true, outbound: true }] },
    });
    expect(saved.json().find((p: { topic: string }) => p.topic === 'case')).toEqual({ topic: 'case', inApp: true, outbound: true });
    const dup = await t.request('PUT', '/api/v1/messages/preferences', { token: worker.token, body: { preferences: [{ topic: 'wish', inApp: true, outbound: false }, { topic: 'wish', inApp: false, outbound: false }] } });
    expect(dup.statusCode).toBe(400);
    await deliver(t.database.db, [
      { userId: worker.userId, topic: 'wish', title: 'off', body: '' },
      { userId: worker.userId, topic: 'case', title: 'on', body: '' },
    ]);
    const messages = await t.database.db.selectFrom('messages').select('title').where('user_id', '=', worker.userId).execute();
    expect(messages.map((m) => m.title)).toEqual(['on']);
    const outbox = await t.database.db.selectFrom('message_outbox').select(['title', 'status']).where('user_id', '=', worker.userId).execute();
    expect(outbox).toEqual([{ title: 'on', status: 'pending' }]);
  });

  it('sends the outbox once, retries with a pause, and ends failed', async () => {
    // Drain what earlier tests queued, so this test owns the queue.
    await sendOutbound(t.database, new ScriptedChannel(), { batch: 1000, now: new Date(Date.now() + 86_400_000) });
    const [ok, flaky, dead] = [await t.newWorker(), await t.newWorker(), await t.newWorker()];
    for (const w of [ok, flaky, dead]) await t.request('PUT', '/api/v1/messages/preferences', { token: w.token, body: { preferences: [{ topic: 'voucher', inApp: true, outbound: true }] } });
    await deliver(t.database.db, [ok, flaky, dead].map((w) => ({ userId: w.userId, topic: 'voucher' as const, title: `券-${w.phone}`, body: '', link: '/vouchers/x' })));

    const behaviour = new Map<string, SendResult>([
      [flaky.phone, { ok: false, error: 'HTTP 503', retry: true }],
      [dead.phone, { ok: false, error: 'HTTP 400 bad template', retry: false }],
    ]);
    const channel: MessageChannel & { sent: string[] } = {
      name: 'scripted',
      sent: [],
      async send(to) {
        this.sent.push(to.phone!);
        return behaviour.get(to.phone!) ?? { ok: true };
      },
    };
    const now = justAfter();
    expect(await sendOutbound(t.database, channel, { now })).toBe(3);
    expect(await sendOutbound(t.database, channel, { now })).toBe(0); // nothing due: the flaky one waits
    const status = async (w: { userId: string }) => t.database.db.selectFrom('message_outbox').select(['status', 'attempts', 'channel', 'last_error']).where('user_id', '=', w.userId).executeTakeFirstOrThrow();
    expect(await status(ok)).toMatchObject({ status: 'sent', attempts: 1, channel: 'scripted' });
    expect(await status(dead)).toMatchObject({ status: 'failed', attempts: 1, last_error: 'HTTP 400 bad template' });
    expect(await status(flaky)).toMatchObject({ status: 'pending', attempts: 1 });
    let later = now.getTime();
    for (let i = 1; i < OUTBOX_MAX_ATTEMPTS; i++) {
      later += 60 * 60_000;
      await sendOutbound(t.database, channel, { now: new Date(later) });
    }
    expect(await status(flaky)).toMatchObject({ status: 'failed', attempts: OUTBOX_MAX_ATTEMPTS, last_error: 'HTTP 503' });
    expect(channel.sent.filter((p) => p === ok.phone)).toHaveLength(1);
    expect(channel.sent.filter((p) => p === flaky.phone)).toHaveLength(OUTBOX_MAX_ATTEMPTS);
  });

  it('two job runs at once never send the same row twice (SKIP LOCKED)', async () => {
    await sendOutbound(t.database, new ScriptedChannel(), { batch: 1000, now: new Date(Date.now() + 86_400_000) });
    const w = await t.newWorker();
    await t.request('PUT', '/api/v1/messages/preferences', { token: w.token, body: { preferences: [{ topic: 'notice', inApp: false, outbound: true }] } });
    await deliver(t.database.db, Array.from({ length: 20 }, (_, i) => ({ userId: w.userId, topic: 'notice' as const, title: `n${i}`, body: '' })));
    const slow = new ScriptedChannel();
    const slowSend = slow.send.bind(slow);
    slow.send = async (to, m) => (await new Promise((r) => setTimeout(r, 5)), slowSend(to, m));
    const counts = await Promise.all([sendOutbound(t.database, slow, { batch: 15, now: justAfter() }), sendOutbound(t.database, slow, { batch: 15, now: justAfter() })]);
    expect(counts[0] + counts[1]).toBe(20);
    expect(new Set(slow.sent.map((s) => s.message.title)).size).toBe(slow.sent.length);
  });

  it('sends with no lock held: a run that dies mid-batch leaves its rows to be sent after the claim runs out', async () => {
    await sendOutbound(t.database, new ScriptedChannel(), { batch: 1000, now: new Date(Date.now() + 86_400_000) });
    const w = await t.newWorker();
    await t.request('PUT', '/api/v1/messages/preferences', { token: w.token, body: { preferences: [{ topic: 'notice', inApp: false, outbound: true }] } });
    await deliver(t.database.db, [{ userId: w.userId, topic: 'notice' as const, title: 'lease', body: '' }]);
    // Not `new Date()`: the row is stamped in microseconds and may fall after this millisecond, so the hanging run would not claim it.
    const now = justAfter();
    // A gateway that never answers: while it hangs, the row is claimed but not locked (an update does not wait).
    let release = () => {};
    const hanging: MessageChannel = { name: 'hanging', send: () => new Promise<SendResult>((r) => (release = () => r({ ok: true }))) };
    const run = sendOutbound(t.database, hanging, { now });
    await new Promise((r) => setTimeout(r, 200));
    await t.database.db.updateTable('message_outbox').set({ last_error: 'touched' }).where('user_id', '=', w.userId).execute();
    expect(await sendOutbound(t.database, new ScriptedChannel(), { now })).toBe(0); // claimed: nobody else sends it
    // The first run "dies": its late answer finds the claim taken over and changes nothing.
    const retry = new ScriptedChannel();
    expect(await sendOutbound(t.database, retry, { now: new Date(now.getTime() + OUTBOX_CLAIM_MS + 1000) })).toBe(1);
    release();
    await run;
    expect(retry.sent.map((s) => s.message.title)).toEqual(['lease']);
    expect(await t.database.db.selectFrom('message_outbox').select(['status', 'attempts', 'channel']).where('user_id', '=', w.userId).executeTakeFirstOrThrow()).toEqual({ status: 'sent', attempts: 2, channel: 'scripted' });
  });

  it('counts a send that throws as a failed attempt to retry', async () => {
    await sendOutbound(t.database, new ScriptedChannel(), { batch: 1000, now: new Date(Date.now() + 86_400_000) });
    const w = await t.newWorker();
    await t.request('PUT', '/api/v1/messages/preferences', { token: w.token, body: { preferences: [{ topic: 'notice', inApp: false, outbound: true }] } });
    await deliver(t.database.db, [{ userId: w.userId, topic: 'notice' as const, title: 'boom', body: '' }]);
    const throwing: MessageChannel = { name: 'throwing', send: async () => Promise.reject(new Error('socket hang up')) };
    expect(await sendOutbound(t.database, throwing, { now: justAfter() })).toBe(1);
    expect(await t.database.db.selectFrom('message_outbox').select(['status', 'attempts', 'last_error']).where('user_id', '=', w.userId).executeTakeFirstOrThrow()).toEqual({ status: 'pending', attempts: 1, last_error: 'socket hang up' });
  });

  it('the SMS template channel posts to its gateway; 5xx is retried, 4xx is final, no phone is final', async () => {
    const calls: Array<{ url: string; body: Record<string, unknown> }> = [];
    let status = 200;
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(String(init.body)) });
      return new Response(status === 200 ? '{"bizId":"abc-1"}' : 'no', { status });
    }) as unknown as typeof fetch;
    const sms = new SmsTemplateChannel({ url: 'https://sms.example.test/send', key: 'k'.repeat(10), templateId: 'SMS_1', publicUrl: 'https://nuanxin.example.test', fetch: fakeFetch });
    const message = { topic: 'case' as const, title: '您的报事已立案', body: '', link: '/cases/1' };
    expect(await sms.send({ userId: 'u', phone: '13900000001' }, message)).toEqual({ ok: true, providerId: 'abc-1' });
    expect(calls[0]!.body).toEqual({ phone: '13900000001', templateId: 'SMS_1', params: { title: '您的报事已立案', link: 'https://nuanxin.example.test/cases/1' } });
    status = 502;
    expect(await sms.send({ userId: 'u', phone: '13900000001' }, message)).toMatchObject({ ok: false, retry: true });
    status = 400;
    expect(await sms.send({ userId: 'u', phone: '13900000001' }, message)).toMatchObject({ ok: false, retry: false });
    expect(await sms.send({ userId: 'u', phone: null }, message)).toMatchObject({ ok: false, retry: false });
    expect(calls).toHaveLength(3);
  });

  it('tells the reporter about case steps and the worker about vouchers, in the same transaction', async () => {
    const worker = await t.newWorker('440114001001');
    const categories = (await t.request('GET', '/api/v1/cases/categories?regionId=440114')).json() as Array<{ id: string; code: string }>;
    const categoryId = categories.find((c) => c.code === 'env.vending')!.id;
    const filed = await t.request('POST', '/api/v1/cases', { token: worker.token, headers: { 'idempotency-key': randomUUID() }, body: { categoryId, description: '占道经营', lat: 23.4025, lng: 113.2153 } });
    expect(filed.statusCode, filed.body).toBe(200);
    const caseId = filed.json().id;
    const accepted = await t.request('POST', `/api/v1/cases/${caseId}/accept`, { token: xinhua, body: {} });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // An illegal step is refused and tells no one.
    expect((await t.request('POST', `/api/v1/cases/${caseId}/accept`, { token: xinhua, body: {} })).statusCode).toBe(409);
    const messages = (await t.request('GET', '/api/v1/messages', { token: worker.token })).json();
    expect(messages.items).toHaveLength(1);
    expect(messages.items[0]).toMatchObject({ topic: 'case', title: '您的报事已立案', link: `/cases/${caseId}`, subjectKind: 'case', subjectId: caseId, read: false });

    // Vouchers: fulfilled (核销) by the partner, and one left to expire.
    const actor = { userId: worker.userId, sessionId: '', role: 'worker' as const, regionId: '440114001001', scopeId: '440114001001', departmentId: null, partnerId: null, stationId: null };
    await earn(t, actor, '参加暖新活动', 10);
    const partner = await t.loginStaff('barber');
    const reward = (await t.request('POST', '/api/v1/rewards', { token: partner, body: { name: `理发-${randomUUID().slice(0, 6)}`, kind: 'service', pointsPrice: 10, stock: 5, perPersonLimit: 5 } })).json();
    await t.request('POST', `/api/v1/rewards/${reward.id}/review`, { token: sanhua, body: { decision: 'publish' } });
    const redeem = () => t.request('POST', `/api/v1/rewards/${reward.id}/redeem`, { token: worker.token, headers: { 'idempotency-key': randomUUID() } }).then((r) => r.json());
    const [used, left] = [await redeem(), await redeem()];
    expect((await t.request('POST', '/api/v1/vouchers/fulfil', { token: partner, body: { code: used.code } })).statusCode).toBe(200);
    expect(await t.app.services.rewards.expireHeld(new Date(Date.now() + 3_600_000))).toBeGreaterThanOrEqual(1);
    const voucherMessages = (await t.request('GET', '/api/v1/messages?topic=voucher', { token: worker.token })).json().items;
    expect(voucherMessages.map((m: { link: string }) => m.link).sort()).toEqual([`/vouchers/${used.id}`, `/vouchers/${left.id}`].sort());
  });
});
