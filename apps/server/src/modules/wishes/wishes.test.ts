import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { WishesService } from './wishes.service.ts';

const WISH = { kind: 'item', title: '一副保暖手套', description: '冬天骑车手冷，想要一副防风手套', valueYuan: 60 } as const;

describe.each(DB_KINDS)('micro-wishes on %s', (kind) => {
  let t: TestApp;
  let sanhua: string;
  let barber: string;
  let wisher: { token: string; userId: string; phone: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    sanhua = await t.loginStaff('sanhua');
    barber = await t.loginStaff('barber');
    wisher = await t.newWorker('440114001001');
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  async function photo(token: string): Promise<string> {
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 20, g: Math.floor(Math.random() * 255), b: 200 } } }).jpeg().toBuffer();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/media', payload: jpeg, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().id;
  }
  const post = (token: string, body: unknown, key: string = randomUUID()) => t.request('POST', '/api/v1/wishes', { token, body, headers: { 'idempotency-key': key } });
  const act = (token: string, id: string, step: string, body: unknown = {}) => t.request('POST', `/api/v1/wishes/${id}/${step}`, { token, body });
  async function published(token = wisher.token, body: Record<string, unknown> = {}): Promise<string> {
    const res = await post(token, { ...WISH, ...body });
    expect(res.statusCode, res.body).toBe(200);
    const approved = await act(sanhua, res.json().id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    return res.json().id;
  }
  const eventsOf = async (id: string) => (await db().selectFrom('wish_events').select(['action', 'from_status', 'to_status', 'actor_id']).where('wish_id', '=', id).orderBy('id').execute()).map((e) => e.action);
  const messagesTo = async (userId: string, id: string) => (await db().selectFrom('messages').select(['title', 'topic', 'link']).where('user_id', '=', userId).where('body', 'like', '%手套%').execute()).filter(() => id).map((m) => m.title);

  it('goes from posting to thanks: review, the wall, a partner claims and fulfils with a photo, the worker confirms and thanks', async () => {
    const wishPhoto = await photo(wisher.token);
    const key = randomUUID();
    const res = await post(wisher.token, { ...WISH, photoIds: [wishPhoto] }, key);
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().id;
    expect(res.json()).toMatchObject({ status: 'submitted', canCancel: true, regionId: '440114001001', communityName: '三华社区', nickname: '测**手', photos: [{ id: wishPhoto }] });
    // A retry replays; the same key with another body is refused.
    expect((await post(wisher.token, { ...WISH, photoIds: [wishPhoto] }, key)).json().id).toBe(id);
    expect((await post(wisher.token, { ...WISH, title: '别的心愿' }, key)).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // Not on the wall before review.
    expect((await t.request('GET', `/api/v1/wishes/wall/${id}`)).statusCode).toBe(404);

    const review = await t.request('GET', '/api/v1/wishes?status=submitted', { token: sanhua });
    expect(review.json().items.map((w: { id: string }) => w.id)).toContain(id);
    expect(review.json().items.find((w: { id: string }) => w.id === id)).toMatchObject({ wisherName: '测试骑手', wisherPhoneMasked: `${wisher.phone.slice(0, 3)}****${wisher.phone.slice(7)}` });
    const approved = await act(sanhua, id, 'approve', { note: '符合条件' });
    expect(approved.json()).toMatchObject({ status: 'published' });
    expect((await t.request('GET', `/api/v1/wishes/wall/${id}`)).json()).toMatchObject({ status: 'published', title: WISH.title });

    const claimed = await act(barber, id, 'claim', { note: '收工后来店里' });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ status: 'claimed', claimedBy: '暖心理发（三华店）' });
    const expiresIn = Date.parse(claimed.json().claimExpiresAt) - Date.now();
    expect(Math.round(expiresIn / 86_400_000)).toBe(7);
    expect((await t.request('GET', '/api/v1/wishes/claims', { token: barber })).json().items.map((w: { id: string }) => w.id)).toContain(id);

    const proof = await photo(barber);
    const fulfilled = await act(barber, id, 'fulfil', { note: '已在店里为心愿人送上手套', photoIds: [proof] });
    expect(fulfilled.statusCode, fulfilled.body).toBe(200);
    expect(fulfilled.json()).toMatchObject({ status: 'fulfilled', proofNote: '已在店里为心愿人送上手套', proofPhotos: [{ id: proof }] });

    const mine = await t.request('GET', `/api/v1/wishes/mine/${id}`, { token: wisher.token });
    expect(mine.json()).toMatchObject({ status: 'fulfilled', canConfirm: true, canCancel: false, claimedBy: '暖心理发（三华店）' });
    const confirmed = await act(wisher.token, id, 'confirm', {});
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', canThank: true, thanks: null });
    const thanked = await act(wisher.token, id, 'thank', { message: '手套很暖和，谢谢理发店！', public: true });
    expect(thanked.json()).toMatchObject({ status: 'confirmed', canThank: false, thanks: '手套很暖和，谢谢理发店！', thanksPublic: true });
    expect((await act(wisher.token, id, 'thank', { message: '再谢一次' })).json().error.code).toBe('WISH_ALREADY_THANKED');
    expect(thanked.json().timeline.map((e: { action: string }) => e.action)).toEqual(['submit', 'approve', 'claim', 'fulfil', 'confirm', 'thank']);
    expect((await t.request('GET', `/api/v1/wishes/wall/${id}`)).json()).toMatchObject({ status: 'confirmed', thanks: '手套很暖和，谢谢理发店！' });

    // Every step an event row with its actor; staff and partner steps audited; messages both ways.
    expect(await eventsOf(id)).toEqual(['submit', 'approve', 'claim', 'fulfil', 'confirm', 'thank']);
    const audits = await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['wish.approve', 'wish.claim', 'wish.fulfil']);
    expect(await messagesTo(wisher.userId, id)).toEqual(expect.arrayContaining(['微心愿已通过审核', '微心愿已被认领', '微心愿已圆梦']));
    const barberId = (await db().selectFrom('users').select('id').where('username', '=', 'barber').executeTakeFirstOrThrow()).id;
    expect(await messagesTo(barberId, id)).toEqual(expect.arrayContaining(['心愿人已确认收到', '收到一份感谢']));
    // A partner's claim earns no worker points.
    expect(await db().selectFrom('points_transfers').select('id').where('source_type', '=', 'wish').where('source_id', '=', id).execute()).toEqual([]);

    // The staff detail is an audited read.
    const detail = await t.request('GET', `/api/v1/wishes/${id}`, { token: sanhua });
    expect(detail.json()).toMatchObject({ claimantKind: 'partner', claimantName: '暖心理发（三华店）' });
    expect(detail.json().timeline[2]).toMatchObject({ action: 'claim', actorName: '罗美玲' });
    expect((await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'wish.read').execute()).length).toBe(1);
  });

  it('a worker who fulfils a wish earns points once, when the wisher confirms', async () => {
    const helper = await t.newWorker('440114002001');
    const id = await published();
    expect((await act(helper.token, id, 'claim')).statusCode).toBe(200);
    expect((await act(helper.token, id, 'fulfil', { note: '送到社区了', photoIds: [await photo(helper.token)] })).statusCode).toBe(200);
    const before = (await t.request('GET', '/api/v1/points/me', { token: helper.token })).json().balance;
    expect((await act(wisher.token, id, 'confirm', { thanks: '谢谢你，同行！', thanksPublic: false })).json()).toMatchObject({ status: 'confirmed', thanks: '谢谢你，同行！', canThank: false });
    const transfers = await db().selectFrom('points_transfers').select(['amount', 'kind']).where('source_type', '=', 'wish').where('source_id', '=', id).execute();
    expect(transfers).toEqual([{ amount: 10, kind: 'earn' }]);
    expect((await t.request('GET', '/api/v1/points/me', { token: helper.token })).json().balance).toBe(before + 10);
    // A thank-you kept private stays off the wall; the claimant still reads it in their claims.
    expect((await t.request('GET', `/api/v1/wishes/wall/${id}`)).json().thanks).toBeNull();
    expect((await t.request('GET', '/api/v1/wishes/claims', { token: helper.token })).json().items[0]).toMatchObject({ id, thanks: '谢谢你，同行！' });
    // The same source never pays twice, whatever calls the ledger again.
    const service = new WishesService(t.database, t.app.services.points, t.app.services.media);
    expect(await service.runClaimJob()).toBe(0);
    expect((await act(wisher.token, id, 'confirm')).json().error.code).toBe('WISH_ILLEGAL_TRANSITION');
    expect((await db().selectFrom('points_transfers').select('id').where('source_type', '=', 'wish').where('source_id', '=', id).execute()).length).toBe(1);
  });

  it('refuses every illegal move with 409 WISH_ILLEGAL_TRANSITION and changes nothing', async () => {
    const submitted = (await post(wisher.token, WISH)).json().id;
    const cases: Array<[string, string, string, Record<string, unknown>]> = [
      [barber, submitted, 'claim', {}],
      [wisher.token, submitted, 'confirm', {}],
      [wisher.token, submitted, 'thank', { message: '谢谢' }],
      [sanhua, submitted, 'offline', { donorName: '爱心人士', note: '线下捐赠', photoIds: [await photo(sanhua)] }],
    ];
    const open = await published();
    cases.push([sanhua, open, 'approve', {}], [sanhua, open, 'reject', { note: '重复提交' }], [barber, open, 'fulfil', { note: '已送达', photoIds: [await photo(barber)] }], [barber, open, 'withdraw', { note: '临时有事' }], [wisher.token, open, 'confirm', {}]);
    const claimed = await published();
    expect((await act(barber, claimed, 'claim')).statusCode).toBe(200);
    cases.push([wisher.token, claimed, 'cancel', {}], [barber, claimed, 'claim', {}], [sanhua, claimed, 'approve', {}], [wisher.token, claimed, 'confirm', {}]);
    const cancelled = (await post(wisher.token, WISH)).json().id;
    expect((await act(wisher.token, cancelled, 'cancel', { note: '不需要了' })).json().status).toBe('cancelled');
    cases.push([sanhua, cancelled, 'approve', {}], [wisher.token, cancelled, 'cancel', {}]);
    const rejected = (await post(wisher.token, WISH)).json().id;
    expect((await act(sanhua, rejected, 'reject', { note: '超出心愿范围' })).json().status).toBe('rejected');
    cases.push([sanhua, rejected, 'approve', {}], [wisher.token, rejected, 'cancel', {}]);

    for (const [token, id, step, body] of cases) {
      const before = await eventsOf(id);
      const res = await act(token, id, step, body);
      expect(res.statusCode, `${step} on ${id}: ${res.body}`).toBe(409);
      expect(res.json().error.code).toBe('WISH_ILLEGAL_TRANSITION');
      expect(await eventsOf(id)).toEqual(before);
    }
    const english = await t.request('POST', `/api/v1/wishes/${rejected}/approve`, { token: sanhua, body: {}, headers: { 'accept-language': 'en' } });
    expect(english.json().error.message).toMatch(/current state/);
  });

  it('keeps everyone to their part: the wisher, their region’s staff, the claimant', async () => {
    const id = await published();
    const other = await t.newWorker('440114001001');
    expect((await t.request('GET', `/api/v1/wishes/mine/${id}`, { token: other.token })).statusCode).toBe(404);
    expect((await act(other.token, id, 'cancel')).json().error.code).toBe('NOT_FOUND');
    expect((await act(wisher.token, id, 'claim')).json().error.code).toBe('WISH_OWN_CLAIM');
    const submitted = (await post(wisher.token, WISH)).json().id;
    const guangtang = await t.loginStaff('guangtang');
    expect((await act(guangtang, submitted, 'approve')).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/wishes/${submitted}`, { token: guangtang })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', '/api/v1/wishes?regionId=440114001', { token: guangtang })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', '/api/v1/wishes', { token: guangtang })).json().items.some((w: { id: string }) => w.id === submitted)).toBe(false);
    expect((await act(barber, submitted, 'approve')).json().error.code).toBe('FORBIDDEN');
    // The claim belongs to whoever took it: another worker may neither fulfil nor give it back.
    expect((await act(other.token, id, 'claim')).statusCode).toBe(200);
    expect((await act(barber, id, 'fulfil', { note: '已送达', photoIds: [await photo(barber)] })).json().error.code).toBe('WISH_NOT_CLAIMANT');
    expect((await act(barber, id, 'withdraw', { note: '抢一下' })).json().error.code).toBe('WISH_NOT_CLAIMANT');
    const back = await act(other.token, id, 'withdraw', { note: '这周太忙' });
    expect(back.json()).toMatchObject({ status: 'published', claimedBy: null });
    expect(await eventsOf(id)).toEqual(['submit', 'approve', 'claim', 'withdraw']);
    // Fulfilling needs a handover note and a photo.
    expect((await act(barber, id, 'claim')).statusCode).toBe(200);
    expect((await act(barber, id, 'fulfil', { note: '已送达', photoIds: [] })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await act(barber, id, 'fulfil', { note: '', photoIds: [await photo(barber)] })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await act(barber, id, 'fulfil', { note: '用了别人的照片', photoIds: [await photo(other.token)] })).json().error.code).toBe('PHOTO_NOT_USABLE');
  });

  it('holds a wish to the street’s cap, which the street admin sets and others cannot', async () => {
    const over = await post(wisher.token, { ...WISH, valueYuan: 201 });
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({ code: 'WISH_VALUE_OVER_CAP', message: '心愿价值不能超过200元' });
    const xinhua = await t.loginStaff('xinhua');
    const set = await t.request('PUT', '/api/v1/wishes/settings/440114001', { token: xinhua, body: { valueCapYuan: 100, claimDays: 3 } });
    expect(set.json()).toMatchObject({ regionId: '440114001', valueCapYuan: 100, claimDays: 3, inherited: false });
    expect((await t.request('GET', '/api/v1/wishes/settings/440114001', { token: wisher.token })).json()).toMatchObject({ valueCapYuan: 100, claimDays: 3 });
    expect((await t.request('GET', '/api/v1/wishes/settings/440114001001', { token: wisher.token })).json()).toMatchObject({ valueCapYuan: 100, inherited: true });
    expect((await post(wisher.token, { ...WISH, valueYuan: 150 })).json().error.code).toBe('WISH_VALUE_OVER_CAP');
    const id = await published(wisher.token, { valueYuan: 100 });
    const claimed = await act(barber, id, 'claim');
    expect(Math.round((Date.parse(claimed.json().claimExpiresAt) - Date.now()) / 86_400_000)).toBe(3);
    expect((await t.request('PUT', '/api/v1/wishes/settings/440114001', { token: await t.loginStaff('xinya'), body: { valueCapYuan: 500, claimDays: 3 } })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('PUT', '/api/v1/wishes/settings/440114001001', { token: xinhua, body: { valueCapYuan: 500, claimDays: 3 } })).json().error.code).toBe('WISH_SETTINGS_NOT_STREET');
    expect((await t.request('PUT', '/api/v1/wishes/settings/440114001', { token: sanhua, body: { valueCapYuan: 500, claimDays: 3 } })).json().error.code).toBe('FORBIDDEN');
    expect((await t.request('PUT', '/api/v1/wishes/settings/440114001', { token: xinhua, body: { valueCapYuan: 0, claimDays: 3 } })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await t.request('GET', '/api/v1/wishes/settings/440114002', { token: wisher.token })).json().error.code).toBe('OUT_OF_SCOPE');
    const audit = await db().selectFrom('audit_log').select('action').where('entity', '=', 'wish_settings').execute();
    expect(audit.map((a) => a.action)).toEqual(['wish.settings.update']);
    await t.request('PUT', '/api/v1/wishes/settings/440114001', { token: xinhua, body: { valueCapYuan: 200, claimDays: 7 } });
  });

  it('puts an unfulfilled claim back on the wall when it expires, once, with a reminder the day before', async () => {
    const helper = await t.newWorker('440114001002');
    const id = await published();
    const claimed = await act(helper.token, id, 'claim');
    const expiresAt = Date.parse(claimed.json().claimExpiresAt);
    const jobs = [new WishesService(t.database, t.app.services.points, t.app.services.media), new WishesService(t.database, t.app.services.points, t.app.services.media)];
    const reminders = async () => (await db().selectFrom('messages').select('title').where('user_id', '=', helper.userId).where('title', '=', '认领即将到期').execute()).length;
    // The job runs over every claim in the database: what matters here is this one.
    await jobs[0]!.runClaimJob(new Date(expiresAt - 2 * 86_400_000));
    expect(await reminders()).toBe(0);
    expect(await eventsOf(id)).toEqual(['submit', 'approve', 'claim']);
    await jobs[0]!.runClaimJob(new Date(expiresAt - 3_600_000));
    await jobs[1]!.runClaimJob(new Date(expiresAt - 1_800_000));
    expect(await reminders()).toBe(1);
    // Two processes at once: the claim expires once.
    const after = new Date(expiresAt + 1000);
    await Promise.all(jobs.map((j) => j.runClaimJob(after)));
    const mine = (await t.request('GET', `/api/v1/wishes/mine/${id}`, { token: wisher.token })).json();
    expect(mine).toMatchObject({ status: 'published', claimedBy: null, claimExpiresAt: null });
    expect(await eventsOf(id)).toEqual(['submit', 'approve', 'claim', 'expire']);
    expect((await db().selectFrom('messages').select('title').where('user_id', '=', helper.userId).where('title', '=', '认领已过期').execute()).length).toBe(1);
    // The expired claimant has lost it: fulfilling now is refused by the state machine.
    expect((await act(helper.token, id, 'fulfil', { note: '迟到了', photoIds: [await photo(helper.token)] })).json().error.code).toBe('WISH_ILLEGAL_TRANSITION');
    expect((await act(barber, id, 'claim')).statusCode).toBe(200);
  });

  it('takes a deleted account’s open wishes off the wall, each with a cancel event', async () => {
    const leaving = await t.newWorker('440114001001');
    const onWall = await published(leaving.token);
    const inReview = (await post(leaving.token, WISH)).json().id as string;
    expect((await t.request('POST', '/api/v1/me/delete', { token: leaving.token, body: { confirm: '注销' } })).statusCode).toBe(204);
    expect((await t.request('GET', `/api/v1/wishes/wall/${onWall}`)).statusCode).toBe(404);
    expect(await eventsOf(onWall)).toEqual(['submit', 'approve', 'cancel']);
    expect(await eventsOf(inReview)).toEqual(['submit', 'cancel']);
  });

  it('records an offline donation: fulfilled at once with the donor’s name and proof', async () => {
    const id = await published();
    const res = await act(sanhua, id, 'offline', { donorName: '王女士', note: '王女士送到社区，已转交', photoIds: [await photo(sanhua)] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'fulfilled', claimantKind: 'offline', claimantName: '王女士', claimedBy: '王*士' });
    expect((await t.request('GET', `/api/v1/wishes/wall/${id}`)).json().claimedBy).toBe('王*士');
    expect((await act(wisher.token, id, 'confirm')).json().status).toBe('confirmed');
    expect(await eventsOf(id)).toEqual(['submit', 'approve', 'offline', 'confirm']);
  });

  it('shows the public wall nothing personal: nickname and community, no phone, name, account id or proof photos', async () => {
    const id = await published();
    expect((await act(barber, id, 'claim')).statusCode).toBe(200);
    const proof = await photo(barber);
    expect((await act(barber, id, 'fulfil', { note: '交接时心愿人很开心', photoIds: [proof] })).statusCode).toBe(200);
    const wall = await t.request('GET', '/api/v1/wishes/wall?regionId=440114001&pageSize=100');
    const item = await t.request('GET', `/api/v1/wishes/wall/${id}`);
    for (const text of [wall.body, item.body]) {
      expect(text).not.toContain(wisher.phone);
      expect(text).not.toContain(wisher.phone.slice(7));
      expect(text).not.toContain(wisher.userId);
      expect(text).not.toContain('测试骑手');
      expect(text).not.toContain(proof);
      expect(text).not.toContain('交接时心愿人很开心');
      expect(text).not.toMatch(/phone|wisherId|userId|wisherName/i);
    }
    expect(item.json()).toMatchObject({ nickname: '测**手', communityName: '三华社区', status: 'fulfilled' });
    expect(wall.json().items.every((w: { status: string }) => ['published', 'claimed', 'fulfilled', 'confirmed'].includes(w.status))).toBe(true);
    const filtered = await t.request('GET', '/api/v1/wishes/wall?regionId=440114002&status=published');
    expect(filtered.json().items.every((w: { regionId: string; status: string }) => w.regionId.startsWith('440114002') && w.status === 'published')).toBe(true);
    expect((await t.request('GET', `/api/v1/wishes/wall?q=${encodeURIComponent('保暖手套')}`)).json().items.length).toBeGreaterThan(0);
    expect((await t.request('GET', `/api/v1/wishes/wall?q=${encodeURIComponent('100%')}`)).json().items).toEqual([]);
  });

  it('counts wishes per street and community with the status breakdown and fulfilments in a period', async () => {
    const district = await t.loginStaff('district');
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const res = await t.request('GET', `/api/v1/wishes/counts?from=${today}&to=${today}`, { token: district });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.map((i: { regionId: string }) => i.regionId)).toEqual(['440114001', '440114002']);
    const xinhua = body.items[0];
    expect(xinhua.total).toBeGreaterThan(5);
    expect(xinhua.byStatus.confirmed).toBeGreaterThanOrEqual(2);
    expect(xinhua.fulfilled).toBeGreaterThanOrEqual(3);
    expect(body.totals.total).toBe(body.items.reduce((n: number, i: { total: number }) => n + i.total, 0));
    const street = await t.request('GET', '/api/v1/wishes/counts?regionId=440114001', { token: district });
    expect(street.json().items.map((i: { regionName: string }) => i.regionName)).toEqual(['三华社区', '公益社区']);
    expect((await t.request('GET', '/api/v1/wishes/counts?regionId=440114002', { token: sanhua })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', '/api/v1/wishes/counts?from=2026-02-01&to=2026-01-01', { token: district })).statusCode).toBe(400);
    const community = await t.request('GET', '/api/v1/wishes/counts', { token: sanhua });
    expect(community.json().items).toHaveLength(1);
    expect(community.json().items[0].regionId).toBe('440114001001');
  });
});
