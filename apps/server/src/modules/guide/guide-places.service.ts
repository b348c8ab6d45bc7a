import { randomUUID } from 'node:crypto';
import { GUIDE_KIND_LABELS, STAFF_ROLES, type guidePlaceInput, maskName, type GuideKind, type GuidePlace, type GuideReviewRequest, type GuideState } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { AppError } from '../../common/errors.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import type { PointsService } from '../points/points.service.ts';
import { ruleNamed } from '../points/points.repository.ts';
import { deliver } from '../notices/inbox.ts';
import * as repo from './guide-places.repository.ts';

type PlaceInput = z.output<typeof guidePlaceInput>;

/** A verified contribution pays under the street's rule whose name says so (demo: 贡献骑手指引, 微网格巡查). */
export const GUIDE_RULE_WORD = '骑手指引';
/** A place this far from every station is outside the area served. */
const SERVED_RADIUS_M = 20_000;

const isStaff = (actor: Actor | null) => !!actor && (STAFF_ROLES as readonly string[]).includes(actor.role);

/**
 * The street guide: riders contribute places (pending, seen only by them and staff), staff verify
 * or reject them (audited; the contributor is told and, on verification, paid once), and verified
 * places are what every map shows. Staff may correct an entry in place; riders cannot edit what
 * they sent (they send a new one), which keeps one simple review state per entry.
 */
export class GuidePlacesService {
  constructor(
    private readonly database: Database,
    private readonly points: PointsService,
    private readonly media: MediaService,
  ) {}

  private toPlace(row: repo.PlaceRow, actor: Actor | null): GuidePlace {
    const mine = !!actor && actor.userId === row.author_id;
    return {
      id: row.id,
      regionId: row.region_id,
      regionName: row.region_name,
      kind: row.kind,
      state: row.state,
      name: row.name,
      notes: row.notes,
      lat: row.lat,
      lng: row.lng,
      gate: row.gate,
      compound: row.compound,
      photos: this.media.links(row.photo_ids),
      mine,
      // Staff see who sent it (masked); other riders never do.
      authorName: mine || isStaff(actor) ? (row.author_id ? maskName(row.author_name) : null) : null,
      rejectReason: mine || isStaff(actor) ? row.reject_reason : null,
      reviewedAt: row.reviewed_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
    };
  }

  async nearby(query: { lat: number; lng: number; kind: GuideKind[]; limit: number }) {
    const rows = await repo.nearby(this.database.db, { lat: query.lat, lng: query.lng, kinds: query.kind, limit: query.limit });
    return { items: rows.map((row) => ({ ...this.toPlace(row, null), distanceM: Math.round(row.distance) })) };
  }

  async mine(actor: Actor, page: { page: number; pageSize: number }) {
    const { rows, total } = await repo.minePage(this.database.db, actor.userId, page);
    return { items: rows.map((row) => this.toPlace(row, actor)), total, ...page };
  }

  /** Verified places for everyone logged in; others only for their author and staff over their region. */
  async get(actor: Actor, id: string): Promise<GuidePlace> {
    const row = await repo.findPlace(this.database.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    if (row.state !== 'verified' && row.author_id !== actor.userId) {
      if (!isStaff(actor)) throw new AppError('NOT_FOUND');
      requireScope(actor, row.region_id);
    }
    return this.toPlace(row, actor);
  }

  /**
   * A rider's contribution, once per Idempotency-Key (a retry gets the first entry back). It belongs
   * to the community of the nearest station, whose staff verify it.
   */
  async contribute(actor: Actor, key: string, input: PlaceInput): Promise<GuidePlace> {
    const db = this.database.db;
    const earlier = await repo.placeByKey(db, actor.userId, key);
    if (earlier) return this.toPlace(earlier, actor);
    const station = await repo.nearestStationRegion(db, input.lat, input.lng);
    if (!station || station.distance > SERVED_RADIUS_M) throw new AppError('GUIDE_PLACE_OUT_OF_AREA');
    const id = randomUUID();
    const inserted = await withTransaction(db, async (tx) => {
      const row = await tx
        .insertInto('guide_places')
        .values({ id, region_id: station.region_id.slice(0, 12), author_id: actor.userId, client_key: key, ...this.columns(input) })
        .onConflict((oc) => oc.columns(['author_id', 'client_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) await this.media.attach(tx, actor.userId, input.photoIds, `guide_place:${id}`);
      return row;
    });
    // Lost a race with its own retry: that retry's entry is the answer.
    return this.toPlace((inserted ? await repo.findPlace(db, id) : await repo.placeByKey(db, actor.userId, key))!, actor);
  }

  private columns(input: PlaceInput) {
    return {
      kind: input.kind,
      name: input.name,
      notes: input.notes,
      lat: input.lat,
      lng: input.lng,
      gate: input.gate ? JSON.stringify(input.gate) : null,
      compound: input.compound ? JSON.stringify(input.compound) : null,
      photo_ids: [...new Set(input.photoIds)],
    };
  }

  async queue(actor: Actor, query: { page: number; pageSize: number; state: GuideState; kind?: GuideKind; regionId?: string }) {
    if (query.regionId) requireScope(actor, query.regionId);
    const { page, pageSize } = query;
    const { rows, total } = await repo.queuePage(this.database.db, { regionPrefix: query.regionId ?? actor.scopeId, state: query.state, kind: query.kind }, { page, pageSize });
    return { items: rows.map((row) => this.toPlace(row, actor)), total, page, pageSize };
  }

  /** Verify or reject a pending entry: audited, the contributor told, and a verified one paid once. */
  async review(actor: Actor, ctx: RequestContext, id: string, decision: GuideReviewRequest): Promise<GuidePlace> {
    const db = this.database.db;
    await withTransaction(db, async (tx) => {
      const place = await repo.lockPlace(tx, id);
      if (!place) throw new AppError('NOT_FOUND');
      requireScope(actor, place.region_id);
      if (place.state !== 'pending') throw new AppError('GUIDE_ALREADY_REVIEWED');
      const verified = decision.decision === 'verify';
      const reason = decision.decision === 'reject' ? decision.reason : null;
      await tx
        .updateTable('guide_places')
        .set({ state: verified ? 'verified' : 'rejected', reject_reason: reason, reviewed_by: actor.userId, reviewed_at: new Date(), updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      const points = verified && place.author_id ? await this.award(tx, actor, place.author_id, id) : 0;
      await audit(tx, actor, ctx, { action: verified ? 'guide_place.verify' : 'guide_place.reject', entity: 'guide_place', entityId: id, regionId: place.region_id, detail: { kind: place.kind, reason, points } });
      if (place.author_id) {
        const kind = GUIDE_KIND_LABELS[place.kind]['zh-CN'];
        await deliver(tx, [
          {
            userId: place.author_id,
            topic: 'notice',
            title: verified ? `您提交的${kind}「${place.name}」已通过审核` : `您提交的${kind}「${place.name}」未通过审核`,
            body: verified ? (points > 0 ? `已显示在地图上，获得 ${points} 积分。谢谢！` : '已显示在地图上，谢谢！') : `原因：${reason}`,
            link: `/guide/places/${id}`,
            subject: { kind: 'guide_place', id },
            key: `guide_place:${id}:${verified ? 'verified' : 'rejected'}`,
          },
        ]);
      }
    });
    return this.toPlace((await repo.findPlace(db, id))!, actor);
  }

  /** Pays the contributor under the street's guide rule, if any; a refusal (cap, suspension) never undoes the verification. */
  private async award(tx: Db, actor: Actor, authorId: string, placeId: string): Promise<number> {
    const author = await tx.selectFrom('users').select(['id', 'region_id', 'role']).where('id', '=', authorId).executeTakeFirst();
    if (!author || author.role !== 'worker') return 0;
    const rule = await ruleNamed(tx, author.region_id, GUIDE_RULE_WORD);
    if (!rule) return 0;
    const result = await this.points.awardOrSkip(tx, { worker: { userId: author.id, regionId: author.region_id }, rule, sourceType: 'guide_place', sourceId: placeId, actorId: actor.userId });
    return 'amount' in result ? result.amount : 0;
  }

  /** Staff correct an entry (position, rules, guide); its review state stays as it was. */
  async update(actor: Actor, ctx: RequestContext, id: string, input: PlaceInput): Promise<GuidePlace> {
    const db = this.database.db;
    await withTransaction(db, async (tx) => {
      const place = await repo.lockPlace(tx, id);
      if (!place) throw new AppError('NOT_FOUND');
      requireScope(actor, place.region_id);
      const station = await repo.nearestStationRegion(tx, input.lat, input.lng);
      if (!station || station.distance > SERVED_RADIUS_M) throw new AppError('GUIDE_PLACE_OUT_OF_AREA');
      const added = input.photoIds.filter((p) => !place.photo_ids.includes(p));
      await this.media.attach(tx, actor.userId, added, `guide_place:${id}`);
      await tx.updateTable('guide_places').set({ ...this.columns(input), updated_at: new Date() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: 'guide_place.update', entity: 'guide_place', entityId: id, regionId: place.region_id, detail: { before: { name: place.name, lat: place.lat, lng: place.lng }, after: { name: input.name, lat: input.lat, lng: input.lng } } });
    });
    return this.toPlace((await repo.findPlace(db, id))!, actor);
  }
}
