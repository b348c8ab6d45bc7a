import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePassCode } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { actorByUsername, actorOf } from '../stations/visits.fixtures.ts';
import { type AppError } from '../../common/errors.ts';
import { RiderPassService } from './rider-pass.service.ts';
import { MediaService } from '../media/media.service.ts';

describe.each(DB_KINDS)('rider pass (通行码) on %s', (kind) => {
  let t: TestApp;
  let grid01: string;
  let guangtang: string;
  let anju: string;
  let barber: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    grid01 = await t.loginStaff('grid01');
    guangtang = await t.loginStaff('guangtang');
    anju = await t.loginStaff('anju');
    barber = await t.loginStaff('barber');
  });
  afterAll(async () => t?.close());

  const myPass = async (token: string) => (await t.request('GET', '/api/v1/guide/pass', { token })).json();
  const scan = (token: string, text: string) => t.request('POST', '/api/v1/guide/pass/scans', { token, body: { text } });
  const verify = (token: string, workerId: string, verified = true) => t.request('POST', `/api/v1/guide/passes/${workerId}/identity`, { token, body: { verified, note: '已核对身份证' } });
  const scanCount = async () => Number((await t.database.db.selectFrom('rider_pass_scans').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('an unverified worker has a pass number but no code; staff verify the identity (audited), then the QR rotates', async () => {
    const worker = await t.newWorker();
    const before = await myPass(worker.token);
    expect(before).toMatchObject({ state: 'unverified', code: null, periodSeconds: 30, holder: { name: '测试骑手', platformCompany: '美团' } });
    expect(before.passNo).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect((await verify(guangtang, worker.userId)).json().error.code).toBe('OUT_OF_SCOPE');
    const verified = await verify(grid01, worker.userId);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ state: 'active', workerId: worker.userId, holder: { phoneMasked: expect.stringContaining('****') } });
    const after = await myPass(worker.token);
    expect(after.state).toBe('active');
    expect(parsePassCode(after.code)).toMatchObject({ passNo: before.passNo });
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now());
    const audits = await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', worker.userId).execute();
    expect(audits.map((a) => a.action)).toContain('worker.identity_verify');
  });

  it('a property guard scans: sees the holder, the compound guide at the post; every scan is logged; another partner is no guard', async () => {
    const worker = await t.newWorker();
    await myPass(worker.token);
    await verify(grid01, worker.userId);
    const code = (await myPass(worker.token)).code as string;
    const res = await scan(anju, code);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ holder: { name: '测试骑手', platformCompany: '美团', phoneMasked: expect.stringMatching(/^17\d\*{4}\d{4}$/) }, compound: { name: '广塘花园' } });
    // The same code again at the same guard is a replay; another guard may accept it.
    const replay = await scan(anju, code);
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error.code).toBe('PASS_CODE_REPLAYED');
    expect((await scan(grid01, code)).statusCode).toBe(200);
    expect((await scan(barber, code)).json().error.code).toBe('NOT_A_GUARD');
    // The worker's pass page offers the compound guide of that scan.
    expect((await myPass(worker.token)).recentScan).toMatchObject({ compoundName: '广塘花园' });
    const log = (await t.request('GET', '/api/v1/guide/pass/scans', { token: anju })).json();
    expect(log.items.slice(0, 2).map((s: { result: string }) => s.result)).toEqual(['replayed', 'ok']);
    // Staff see the scans of their region: anju's post is in 新雅, grid01's in 新华.
    const staffLog = (await t.request('GET', '/api/v1/guide/pass/scans?result=ok', { token: grid01 })).json();
    expect(staffLog.items.every((s: { regionId: string }) => s.regionId.startsWith('440114001001'))).toBe(true);
    expect(staffLog.items.some((s: { holderName: string }) => s.holderName === '测试骑手')).toBe(true);
  });

  it('forged, malformed and expired codes get stable 4xx codes and are logged', async () => {
    const worker = await t.newWorker();
    const pass = await myPass(worker.token);
    await verify(grid01, worker.userId);
    const before = await scanCount();
    for (const text of ['hello', `NXP-${pass.passNo}-12345`, 'NXP-ABCDEFGH-123456']) {
      const res = await scan(anju, text);
      expect(res.statusCode, text).toBe(400);
      expect(res.json().error.code).toBe('PASS_CODE_INVALID');
    }
    expect((await scan(anju, 'x'.repeat(101))).statusCode).toBe(400);
    expect((await t.request('POST', '/api/v1/guide/pass/scans', { token: anju, body: { text: 123456 } })).statusCode).toBe(400);
    expect(await scanCount()).toBe(before + 3);

    // With a clock: the code of a step is accepted during it (and 5 s after), expired later.
    const media = new MediaService(t.database, { put: async () => {}, get: async () => null, delete: async () => {} });
    let now = new Date(Math.floor(Date.now() / 30_000) * 30_000 + 1_000);
    const service = new RiderPassService(t.database, media, { clock: () => now });
    const workerActor = await actorOf(t.database.db, worker.userId);
    const guard = await actorByUsername(t.database.db, 'anju');
    const code = (await service.myPass(workerActor)).code!;
    now = new Date(now.getTime() + 32_000); // 3 s into the next step: grace
    expect((await service.scan(guard, { text: code })).passNo).toBe(pass.passNo);
    now = new Date(now.getTime() + 30_000);
    await expect(service.scan(guard, { text: code })).rejects.toMatchObject({ code: 'PASS_CODE_EXPIRED' } satisfies Partial<AppError>);
    const last = await t.database.db.selectFrom('rider_pass_scans').select(['result', 'pass_no']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last).toEqual({ result: 'expired', pass_no: pass.passNo });
  });

  it('a revoked pass shows no code and is refused at the gate; restoring brings it back; withdrawing the identity check stops it', async () => {
    const worker = await t.newWorker();
    await myPass(worker.token);
    await verify(grid01, worker.userId);
    const code = (await myPass(worker.token)).code as string;
    expect((await t.request('POST', `/api/v1/guide/passes/${worker.userId}/revocation`, { token: grid01, body: { action: 'revoke' } })).statusCode).toBe(400);
    const revoked = await t.request('POST', `/api/v1/guide/passes/${worker.userId}/revocation`, { token: grid01, body: { action: 'revoke', reason: '冒用他人身份' } });
    expect(revoked.json()).toMatchObject({ state: 'revoked', revokedReason: '冒用他人身份' });
    expect(await myPass(worker.token)).toMatchObject({ state: 'revoked', code: null, revokedReason: '冒用他人身份' });
    const refused = await scan(anju, code);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('PASS_REVOKED');
    expect((await t.request('POST', `/api/v1/guide/passes/${worker.userId}/revocation`, { token: guangtang, body: { action: 'restore' } })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('POST', `/api/v1/guide/passes/${worker.userId}/revocation`, { token: grid01, body: { action: 'restore' } })).json().state).toBe('active');
    expect((await scan(anju, (await myPass(worker.token)).code)).statusCode).toBe(200);

    const withdrawn = await verify(grid01, worker.userId, false);
    expect(withdrawn.json().state).toBe('unverified');
    const unverified = await scan(grid01, code);
    expect([409, 403]).toContain(unverified.statusCode);
    const list = (await t.request('GET', `/api/v1/guide/passes?state=unverified&q=${worker.phone}`, { token: grid01 })).json();
    expect(list.items.map((p: { workerId: string }) => p.workerId)).toEqual([worker.userId]);
    expect(list.items[0].holder.phoneMasked).not.toContain(worker.phone.slice(3, 7));
    expect((await t.request('GET', '/api/v1/guide/passes?regionId=440114002', { token: grid01 })).json().error.code).toBe('OUT_OF_SCOPE');
  });
  it('a photo and station show to the guard; a new photo withdraws the identity check; a stranger’s photo id is refused and changes nothing', async () => {
    const worker = await t.newWorker();
    const jpeg = await sharp({ create: { width: 32, height: 40, channels: 3, background: { r: 90, g: Math.floor(Math.random() * 255), b: 40 } } }).jpeg().toBuffer();
    const upload = await t.app.inject({ method: 'POST', url: '/api/v1/media', payload: jpeg, headers: { authorization: `Bearer ${worker.token}`, 'content-type': 'image/jpeg' } });
    expect(upload.statusCode, upload.body).toBe(200);
    const stranger = await t.newWorker();
    const refused = await t.request('PUT', '/api/v1/guide/pass', { token: stranger.token, body: { photoId: upload.json().id, deliveryStation: '别人的站' } });
    expect(refused.json().error.code).toBe('PHOTO_NOT_USABLE');
    expect(await t.database.db.selectFrom('rider_passes').select('worker_id').where('worker_id', '=', stranger.userId).execute()).toEqual([]);

    await verify(grid01, worker.userId);
    const saved = await t.request('PUT', '/api/v1/guide/pass', { token: worker.token, body: { photoId: upload.json().id, deliveryStation: '美团花都新华站' } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ state: 'unverified', holder: { deliveryStation: '美团花都新华站', photo: { id: upload.json().id } } });
    await verify(grid01, worker.userId);
    const scanned = await scan(anju, (await myPass(worker.token)).code);
    expect(scanned.json().holder).toMatchObject({ deliveryStation: '美团花都新华站', photo: { url: expect.stringContaining('/api/v1/media/') } });
    // The same photo again is no change: the check stays.
    expect((await t.request('PUT', '/api/v1/guide/pass', { token: worker.token, body: { photoId: upload.json().id, deliveryStation: '美团花都新雅站' } })).json().state).toBe('active');
  });
});
