import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { MEDIA_LIMITS } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { bombPng, heicHeader, phoneJpeg } from '../../../test/images.ts';

describe.each(DB_KINDS)('photos on %s', (kind) => {
  let t: TestApp;
  let worker: { token: string; userId: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    worker = await t.newWorker();
  });
  afterAll(async () => t?.close());

  const upload = (body: Buffer, token = worker.token, type = 'image/jpeg') =>
    t.request('POST', '/api/v1/media', { token, body, headers: { 'content-type': type } });
  const mediaRows = async () => Number((await t.database.db.selectFrom('media').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('re-encodes a phone photo: upright, no EXIF or GPS left, with a thumbnail', async () => {
    const original = await phoneJpeg({ width: 64, height: 48 });
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const res = await upload(original);
    expect(res.statusCode).toBe(200);
    const photo = res.json();
    // Orientation 6 (rotated 90°) is applied to the pixels, so the stored photo is 48×64.
    expect(photo).toMatchObject({ width: 48, height: 64 });

    const full = await t.request('GET', photo.url);
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    const stored = full.rawPayload;
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(stored.includes(Buffer.from('NuanxinTestPhone'))).toBe(false);

    const thumb = await t.request('GET', photo.thumbUrl);
    expect(thumb.statusCode).toBe(200);
    const thumbMeta = await sharp(thumb.rawPayload).metadata();
    expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBeLessThanOrEqual(MEDIA_LIMITS.thumbEdge);
  });

  it('shrinks a large photo to the longest edge limit', async () => {
    const res = await upload(await sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#2a6' } }).png().toBuffer(), worker.token, 'image/png');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ width: MEDIA_LIMITS.fullEdge, height: Math.round((1000 * MEDIA_LIMITS.fullEdge) / 3000) });
  });

  it('gives a retried upload of the same photo the same id', async () => {
    const bytes = await phoneJpeg({ color: '#123456' });
    const first = await upload(bytes);
    const again = await upload(bytes);
    expect(again.json().id).toBe(first.json().id);
  });

  it('refuses what is not a usable photo, by its bytes, and stores nothing', async () => {
    const before = await mediaRows();
    const cases: Array<[Buffer, string, number, string]> = [
      [Buffer.from('<?php echo "hi"; ?>'), 'image/jpeg', 415, 'IMAGE_UNSUPPORTED'],
      [heicHeader(), 'image/heic', 415, 'IMAGE_HEIC_UNSUPPORTED'],
      [(await phoneJpeg()).subarray(0, 200), 'image/jpeg', 400, 'IMAGE_UNREADABLE'],
      [bombPng(), 'image/png', 413, 'IMAGE_TOO_LARGE'],
      [Buffer.alloc(MEDIA_LIMITS.maxBytes + 1, 0xff), 'image/jpeg', 413, 'PAYLOAD_TOO_LARGE'],
      [Buffer.alloc(0), 'image/jpeg', 415, 'IMAGE_UNSUPPORTED'],
    ];
    for (const [body, type, status, code] of cases) {
      const res = await upload(body, worker.token, type);
      expect({ code: res.json().error?.code, status: res.statusCode }).toEqual({ code, status });
    }
    const json = await t.request('POST', '/api/v1/media', { token: worker.token, body: { photo: 'x' } });
    expect(json.json().error.code).toBe('IMAGE_UNSUPPORTED');
    const english = await t.request('POST', '/api/v1/media', { token: worker.token, body: bombPng(), headers: { 'content-type': 'image/png', 'accept-language': 'en' } });
    expect(english.json().error.message).toContain('too many pixels');
    expect(await mediaRows()).toBe(before);
  });

  it('serves a photo only through an untampered, unexpired link', async () => {
    const photo = (await upload(await phoneJpeg({ color: '#654321' }))).json();
    const url = new URL(photo.url, 'http://x');
    const [expires, signature] = url.searchParams.get('v')!.split('.');
    const tampered = `${url.pathname}?v=${Number(expires) + 86_400}.${signature}`;
    expect((await t.request('GET', tampered)).json().error.code).toBe('MEDIA_LINK_INVALID');
    const otherId = `/api/v1/media/00000000-0000-4000-8000-000000000000?v=${expires}.${signature}`;
    expect((await t.request('GET', otherId)).statusCode).toBe(403);
    const expired = t.app.services.media.links([photo.id], Date.now() - 3 * 86_400_000)[0]!;
    expect((await t.request('GET', expired.url)).json().error.code).toBe('MEDIA_LINK_INVALID');
    expect((await t.request('GET', `${url.pathname}?v=bad`)).statusCode).toBe(400);
  });

  it('attaches only the uploader’s own, unused photos', async () => {
    const mine = (await upload(await phoneJpeg({ color: '#0a0a0a' }))).json().id as string;
    const other = await t.newWorker();
    const media = t.app.services.media;
    const db = t.database.db;
    await expect(media.attach(db, other.userId, [mine], 'claim:x')).rejects.toMatchObject({ code: 'PHOTO_NOT_USABLE' });
    await media.attach(db, worker.userId, [mine], 'claim:x');
    await media.attach(db, worker.userId, [mine], 'claim:x'); // a retried form
    await expect(media.attach(db, worker.userId, [mine], 'claim:y')).rejects.toMatchObject({ code: 'PHOTO_NOT_USABLE' });
  });

  it('deletes photos nobody attached within a day, and their files', async () => {
    const photo = (await upload(await phoneJpeg({ color: '#abcdef' }))).json();
    const deleted = await t.app.services.media.deleteUnattached(new Date(Date.now() + 25 * 3_600_000));
    expect(deleted).toBeGreaterThan(0);
    expect(await t.database.db.selectFrom('media').select('id').where('id', '=', photo.id).executeTakeFirst()).toBeUndefined();
    expect((await t.request('GET', photo.url)).statusCode).toBe(404);
  });

  it('deletes photos of reports archived longer ago than the retention period, and keeps newer ones', async () => {
    const categories = (await t.request('GET', '/api/v1/cases/categories')).json() as Array<{ id: string; parentId: string | null }>;
    const report = async (color: string) => {
      const photo = (await upload(await phoneJpeg({ color }))).json();
      const body = { categoryId: categories.find((c) => c.parentId)!.id, lat: 23.4021, lng: 113.2149, photoIds: [photo.id] };
      const filed = await t.request('POST', '/api/v1/cases', { token: worker.token, body, headers: { 'idempotency-key': crypto.randomUUID() } });
      expect(filed.statusCode).toBe(200);
      return { caseId: filed.json().id as string, photoId: photo.id as string };
    };
    const [old, recent] = [await report('#101010'), await report('#202020')];
    const now = Date.now();
    const archive = (id: string, daysAgo: number) =>
      t.database.db.updateTable('cases').set({ status: 'archived', closed_at: new Date(now - daysAgo * 86_400_000) }).where('id', '=', id).execute();
    await archive(old.caseId, 200);
    await archive(recent.caseId, 10);
    expect(await t.app.services.media.deleteExpired(180, new Date(now))).toBe(1);
    const left = await t.database.db.selectFrom('media').select('id').where('id', 'in', [old.photoId, recent.photoId]).execute();
    expect(left.map((m) => m.id)).toEqual([recent.photoId]);
  });
});
