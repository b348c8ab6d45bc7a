import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Photo, UploadedPhoto } from '@nuanxin/shared';
import type { Database, Db } from '../../db/client.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor } from '../../common/context.ts';
import type { MediaStore } from './media.store.ts';
import { normalizePhoto } from './media.images.ts';

const DAY_SECONDS = 86_400;
/** Photos nobody attached (a form abandoned after the upload) are deleted after this. */
const UNATTACHED_HOURS = 24;

const keyOf = (id: string, size: 'full' | 'thumb') => (size === 'full' ? `${id}.jpg` : `${id}.thumb.jpg`);

/**
 * Photos for every domain. Upload first, attach by id in the form's own transaction, show through
 * signed links: whoever may read the case, claim or station gets links that work in an `<img>`
 * (which cannot send a bearer token), and nobody can guess a link to a photo they were not shown.
 */
export class MediaService {
  private secret: Buffer | null = null;

  constructor(
    private readonly database: Database,
    private readonly store: MediaStore,
  ) {}

  /** Loads (or creates, once for all processes) the link-signing secret. */
  async start(): Promise<void> {
    const db = this.database.db;
    await db
      .insertInto('app_secrets')
      .values({ name: 'media_links', value: randomBytes(32).toString('hex') })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db.selectFrom('app_secrets').select('value').where('name', '=', 'media_links').executeTakeFirstOrThrow();
    this.secret = Buffer.from(row.value, 'hex');
  }

  async upload(actor: Actor, bytes: Buffer): Promise<UploadedPhoto> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const db = this.database.db;
    // A retry after a lost answer: the same bytes from the same person, not yet used.
    const earlier = await db.selectFrom('media').selectAll().where('owner_id', '=', actor.userId).where('sha256', '=', sha256).where('attached_to', 'is', null).executeTakeFirst();
    if (earlier) return this.uploaded(earlier);

    const photo = await normalizePhoto(bytes);
    const id = randomUUID();
    await this.store.put(keyOf(id, 'thumb'), photo.thumb);
    await this.store.put(keyOf(id, 'full'), photo.full);
    const row = { id, owner_id: actor.userId, sha256, width: photo.width, height: photo.height, bytes: photo.full.length };
    const inserted = await db
      .insertInto('media')
      .values(row)
      .onConflict((oc) => oc.columns(['owner_id', 'sha256']).where('attached_to', 'is', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return this.uploaded(row);
    // The same upload raced us and won: keep its row, drop our copy of the files.
    await this.removeFiles(id);
    const winner = await db.selectFrom('media').selectAll().where('owner_id', '=', actor.userId).where('sha256', '=', sha256).where('attached_to', 'is', null).executeTakeFirstOrThrow();
    return this.uploaded(winner);
  }

  /**
   * Binds photos to what they illustrate (`claim:<id>`, `case:<id>` …) inside the caller's
   * transaction. Only the uploader's own photos, and only ones not used elsewhere; attaching the
   * same photos to the same subject again (a retried form) is fine.
   */
  async attach(tx: Db, ownerId: string, ids: readonly string[], subject: string): Promise<void> {
    if (ids.length === 0) return;
    const bound = await tx
      .updateTable('media')
      .set({ attached_to: subject })
      .where('id', 'in', [...ids])
      .where('owner_id', '=', ownerId)
      .where((eb) => eb.or([eb('attached_to', 'is', null), eb('attached_to', '=', subject)]))
      .returning('id')
      .execute();
    if (bound.length !== new Set(ids).size) throw new AppError('PHOTO_NOT_USABLE');
  }

  /** Signed links for stored photo ids, valid until the end of tomorrow (UTC), so a page's images stay cacheable all day. */
  links(ids: readonly string[] | null | undefined, now = Date.now()): Photo[] {
    if (!ids?.length) return [];
    const expires = (Math.floor(now / 1000 / DAY_SECONDS) + 2) * DAY_SECONDS;
    return ids.map((id) => {
      const v = `${expires}.${this.sign(id, expires)}`;
      return { id, url: `/api/v1/media/${id}?v=${v}`, thumbUrl: `/api/v1/media/${id}?v=${v}&size=thumb` };
    });
  }

  /** The bytes behind a signed link, and how long the browser may keep them. */
  async read(id: string, v: string, size: 'full' | 'thumb', now = Date.now()): Promise<{ bytes: Buffer; maxAgeSeconds: number }> {
    const [expiresText = '', signature = ''] = v.split('.');
    const expires = Number(expiresText);
    const expected = Buffer.from(this.sign(id, expires));
    const given = Buffer.from(signature);
    const valid = given.length === expected.length && timingSafeEqual(given, expected) && expires * 1000 > now;
    if (!valid) throw new AppError('MEDIA_LINK_INVALID');
    const bytes = await this.store.get(keyOf(id, size));
    if (!bytes) throw new AppError('NOT_FOUND');
    return { bytes, maxAgeSeconds: Math.max(0, Math.floor(expires - now / 1000)) };
  }

  /** Deletes photos that were uploaded but never attached; safe with several processes (each row is deleted once). */
  async deleteUnattached(now = new Date(), limit = 500): Promise<number> {
    const before = new Date(now.getTime() - UNATTACHED_HOURS * 3_600_000);
    const db = this.database.db;
    const stale = db.selectFrom('media').select('id').where('attached_to', 'is', null).where('created_at', '<', before).limit(limit).forUpdate().skipLocked();
    const gone = await db.deleteFrom('media').where('id', 'in', stale).returning('id').execute();
    for (const { id } of gone) await this.removeFiles(id);
    return gone.length;
  }

  /**
   * Retention (PHOTO_RETENTION_DAYS): photos of street reports archived, and of points claims
   * decided, more than `days` ago are deleted. The records stay; their pages show the photo gone.
   * Station and inspection photos are the station's record and are kept.
   */
  async deleteExpired(days: number, now = new Date(), limit = 500): Promise<number> {
    const before = new Date(now.getTime() - days * 86_400_000);
    const db = this.database.db;
    const expired = db
      .selectFrom('media as m')
      .select('m.id')
      .where(
        sql<boolean>`exists (select 1 from cases c where m.attached_to = 'case:' || c.id::text and c.status = 'archived' and c.closed_at < ${before})
          or exists (select 1 from points_claims k where m.attached_to = 'claim:' || k.id::text and k.reviewed_at < ${before})`,
      )
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const gone = await db.deleteFrom('media').where('id', 'in', expired).returning('id').execute();
    for (const { id } of gone) await this.removeFiles(id);
    return gone.length;
  }

  /** Deletes the files of photos whose rows the caller removed (after its transaction committed). */
  async removeFilesOf(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.removeFiles(id);
  }

  private async removeFiles(id: string) {
    await this.store.delete(keyOf(id, 'full'));
    await this.store.delete(keyOf(id, 'thumb'));
  }

  private uploaded(row: { id: string; width: number; height: number; bytes: number }): UploadedPhoto {
    return { ...this.links([row.id])[0]!, width: row.width, height: row.height, bytes: row.bytes };
  }

  private sign(id: string, expires: number): string {
    if (!this.secret) throw new Error('MediaService.start() was not called');
    return createHmac('sha256', this.secret).update(`${id}.${expires}`).digest('base64url').slice(0, 32);
  }
}
