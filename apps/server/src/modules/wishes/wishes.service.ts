import { createHash } from 'node:crypto';
import {
  PUBLIC_WISH_STATUSES,
  WISH_EXPIRY_WARNING_HOURS,
  WISH_RULE_WORD,
  WISH_STATUSES,
  isWithin,
  regionLevelOf,
  type ClaimedWish,
  type MyWish,
  type PublicWish,
  type WishAction,
  type WishCounts,
  type WishDetail,
  type WishKind,
  type WishSettings,
  type WishStatus,
  type wishInput,
} from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { audit } from '../../common/audit.ts';
import { requireScope } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { PointsService } from '../points/points.service.ts';
import { ruleNamed } from '../points/points.repository.ts';
import type { MediaService } from '../media/media.service.ts';
import { deliver, type OutgoingMessage } from '../notices/inbox.ts';
import { claimedBy, toClaimedWish, toDetail, toMySummary, toMyWish, toPublicWish, toSummary } from './wish-views.ts';
import { nextStatus, refusal, type WishParties } from './wish-workflow.ts';
import * as repo from './wishes.repository.ts';

type WishInput = z.output<typeof wishInput>;
type Page = { page: number; pageSize: number };
const DAY_MS = 86_400_000;

/** What a step may carry: a note, proof photos, the donor's name, a thank-you. */
export interface StepInput {
  note?: string;
  photoIds?: string[];
  donorName?: string;
  thanks?: string;
  thanksPublic?: boolean;
}

export interface WishesOptions {
  /** The clock, replaceable in tests (claim expiry). */
  clock?: () => Date;
}

const partiesOf = (w: repo.LockedWish): WishParties => ({ regionId: w.region_id, wisherId: w.wisher_id, claimantUserId: w.claimant_user_id, claimantPartnerId: w.claimant_partner_id });

function requestHash(input: WishInput): string {
  return createHash('sha256')
    .update(JSON.stringify([input.kind, input.title, input.description, input.valueYuan, [...input.photoIds].sort()]))
    .digest('hex');
}

/** A China-time calendar day as the instant it starts. */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** Micro-wishes: the wisher's side, the wall, claims and their proof, staff review, counts and the claim-expiry job. */
export class WishesService {
  private readonly clock: () => Date;

  constructor(
    private readonly database: Database,
    private readonly points: PointsService,
    private readonly media: MediaService,
    options: WishesOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  private readonly links = (ids: readonly string[]) => this.media.links(ids);

  // ---- the wisher ----

  /** Posts a wish once per Idempotency-Key: a retry gets the first wish back, another body under the same key a 409. */
  async post(actor: Actor, key: string, input: WishInput): Promise<MyWish> {
    const db = this.database.db;
    const hash = requestHash(input);
    const earlier = await repo.findByClientKey(db, actor.userId, key);
    if (earlier) return this.myWish(actor, this.replayed(earlier, hash));
    if (regionLevelOf(actor.regionId) !== 'community') throw new AppError('REGION_NOT_COMMUNITY');
    const settings = await repo.settingsFor(db, actor.regionId);
    if (input.valueYuan > settings.value_cap_yuan) throw new AppError('WISH_VALUE_OVER_CAP', { cap: settings.value_cap_yuan });
    const id = await withTransaction(db, async (tx) => {
      const now = this.clock();
      const inserted = await repo.insertWish(tx, { regionId: actor.regionId, wisherId: actor.userId, kind: input.kind, title: input.title, description: input.description, valueYuan: input.valueYuan, photoIds: input.photoIds, clientKey: key, requestHash: hash, now });
      if (!inserted) return null;
      await this.media.attach(tx, actor.userId, input.photoIds, `wish:${inserted.id}`);
      await repo.insertEvent(tx, { wishId: inserted.id, regionId: actor.regionId, action: 'submit', from: null, to: 'submitted', actorId: actor.userId, at: now });
      return inserted.id;
    });
    if (!id) return this.myWish(actor, this.replayed((await repo.findByClientKey(db, actor.userId, key))!, hash));
    return this.myWish(actor, id);
  }

  private replayed(earlier: { id: string; request_hash: string | null }, hash: string): string {
    if (earlier.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    return earlier.id;
  }

  async mine(actor: Actor, query: Page & { status?: WishStatus }) {
    const { rows, total } = await repo.list(this.database.db, { regionPrefix: '', wisherId: actor.userId, ...(query.status ? { statuses: [query.status] } : {}) }, query);
    return { items: rows.map((r) => toMySummary(r, this.links)), total, page: query.page, pageSize: query.pageSize };
  }

  async myWish(actor: Actor, id: string): Promise<MyWish> {
    const db = this.database.db;
    const row = await repo.findWish(db, id);
    // Someone else's wish is not there as far as this worker can tell.
    if (!row || row.wisher_id !== actor.userId) throw new AppError('NOT_FOUND');
    return toMyWish(row, await repo.events(db, id), this.links);
  }

  async cancel(actor: Actor, id: string, input: { note: string }) {
    await this.step(actor, null, id, 'cancel', input);
    return this.myWish(actor, id);
  }

  async confirm(actor: Actor, id: string, input: { thanks: string; thanksPublic: boolean }) {
    await this.step(actor, null, id, 'confirm', input);
    return this.myWish(actor, id);
  }

  async thank(actor: Actor, id: string, input: { message: string; public: boolean }) {
    await this.step(actor, null, id, 'thank', { thanks: input.message, thanksPublic: input.public });
    return this.myWish(actor, id);
  }

  // ---- the wall (public) ----

  async wall(query: Page & { regionId?: string; status?: WishStatus; kind?: WishKind; q?: string }) {
    const statuses = query.status && (PUBLIC_WISH_STATUSES as readonly string[]).includes(query.status) ? [query.status] : PUBLIC_WISH_STATUSES;
    const { rows, total } = await repo.list(this.database.db, { regionPrefix: query.regionId ?? '', statuses, ...(query.kind ? { kind: query.kind } : {}), ...(query.q ? { q: query.q } : {}) }, query, 'wall');
    return { items: rows.map((r) => toPublicWish(r, this.links)), total, page: query.page, pageSize: query.pageSize };
  }

  async wallItem(id: string): Promise<PublicWish> {
    const row = await repo.findWish(this.database.db, id);
    if (!row || !(PUBLIC_WISH_STATUSES as readonly string[]).includes(row.status)) throw new AppError('NOT_FOUND');
    return toPublicWish(row, this.links);
  }

  // ---- donors: partners and people who take a wish on ----

  async claims(actor: Actor, page: Page) {
    const mineOnly = actor.role === 'partner_staff' ? { claimantPartnerId: actor.partnerId ?? '00000000-0000-0000-0000-000000000000' } : { claimantUserId: actor.userId };
    const { rows, total } = await repo.list(this.database.db, { regionPrefix: '', ...mineOnly }, page, 'claimed');
    return { items: rows.map((r) => toClaimedWish(r, this.links)), total, ...page };
  }

  async claimStep(actor: Actor, ctx: RequestContext, id: string, action: 'claim' | 'withdraw' | 'fulfil', input: StepInput): Promise<ClaimedWish> {
    await this.step(actor, ctx, id, action, input);
    return toClaimedWish((await repo.findWish(this.database.db, id))!, this.links);
  }

  // ---- staff ----

  async staffStep(actor: Actor, ctx: RequestContext, id: string, action: 'approve' | 'reject' | 'offline', input: StepInput): Promise<WishDetail> {
    await this.step(actor, ctx, id, action, input);
    const db = this.database.db;
    return toDetail((await repo.findWish(db, id))!, await repo.events(db, id), this.links);
  }

  /** The region's wishes for the desk. Names and masked phones are personal data: the read is audited. */
  async list(actor: Actor, ctx: RequestContext, query: Page & { regionId?: string; status?: WishStatus; kind?: WishKind; q?: string }) {
    if (query.regionId) requireScope(actor, query.regionId);
    const regionPrefix = query.regionId ?? actor.scopeId;
    return withTransaction(this.database.db, async (tx) => {
      const { rows, total } = await repo.list(tx, { regionPrefix, ...(query.status ? { statuses: [query.status] } : {}), ...(query.kind ? { kind: query.kind } : {}), ...(query.q ? { q: query.q } : {}) }, query);
      await audit(tx, actor, ctx, { action: 'wish.list', entity: 'wish', regionId: regionPrefix, detail: { status: query.status ?? null, kind: query.kind ?? null, q: query.q ?? null, page: query.page, shown: rows.length } });
      return { items: rows.map((r) => toSummary(r, this.links)), total, page: query.page, pageSize: query.pageSize };
    });
  }

  async detail(actor: Actor, ctx: RequestContext, id: string): Promise<WishDetail> {
    return withTransaction(this.database.db, async (tx) => {
      const row = await repo.findWish(tx, id);
      if (!row) throw new AppError('NOT_FOUND');
      requireScope(actor, row.region_id);
      await audit(tx, actor, ctx, { action: 'wish.read', entity: 'wish', entityId: id, regionId: row.region_id, detail: { wisherId: row.wisher_id } });
      return toDetail(row, await repo.events(tx, id), this.links);
    });
  }

  /** Per street (a district) or community (a street): status breakdown of wishes posted in the period, and how many were fulfilled and confirmed in it. */
  async counts(actor: Actor, query: { regionId?: string; from?: string; to?: string }): Promise<WishCounts> {
    const regionId = query.regionId ?? actor.scopeId;
    requireScope(actor, regionId);
    if (query.from && query.to && query.from > query.to) throw new AppError('DASHBOARD_RANGE_INVALID');
    const childLength = Math.min(regionId.length + 3, 12);
    const db = this.database.db;
    const period = { from: query.from ? dayStart(query.from) : null, to: query.to ? new Date(dayStart(query.to).getTime() + DAY_MS) : null };
    const [children, { byStatus, done }] = await Promise.all([repo.childRegions(db, regionId, Math.max(childLength, regionId.length)), repo.counts(db, regionId, Math.max(childLength, regionId.length), period)]);
    const empty = () => ({ total: 0, byStatus: Object.fromEntries(WISH_STATUSES.map((s) => [s, 0])) as Record<WishStatus, number>, fulfilled: 0, confirmed: 0, valueFulfilledYuan: 0 });
    const totals = empty();
    const items = children.map((c) => ({ regionId: c.id, regionName: c.name, ...empty() }));
    const byChild = new Map(items.map((i) => [i.regionId, i]));
    for (const r of byStatus) {
      const n = Number(r.n);
      const item = byChild.get(r.child);
      for (const target of item ? [item, totals] : [totals]) {
        target.byStatus[r.status] += n;
        target.total += n;
      }
    }
    for (const r of done) {
      const item = byChild.get(r.child);
      for (const target of item ? [item, totals] : [totals]) {
        target.fulfilled += Number(r.fulfilled);
        target.confirmed += Number(r.confirmed);
        target.valueFulfilledYuan += Number(r.value);
      }
    }
    return { regionId, from: query.from ?? null, to: query.to ?? null, totals, items };
  }

  /** The settings in force at a region: the caller's own subtree, or a region above it (a worker reads their street's cap). */
  async settings(actor: Actor, regionId: string): Promise<WishSettings> {
    if (!isWithin(regionId, actor.scopeId) && !isWithin(actor.scopeId, regionId)) throw new AppError('OUT_OF_SCOPE');
    const row = await repo.settingsFor(this.database.db, regionId);
    return { regionId, valueCapYuan: row.value_cap_yuan, claimDays: row.claim_days, inherited: row.region_id !== regionId };
  }

  async saveSettings(actor: Actor, ctx: RequestContext, regionId: string, input: { valueCapYuan: number; claimDays: number }): Promise<WishSettings> {
    requireScope(actor, regionId);
    const level = regionLevelOf(regionId);
    if (level !== 'street' && level !== 'district') throw new AppError('WISH_SETTINGS_NOT_STREET');
    await withTransaction(this.database.db, async (tx) => {
      const region = await tx.selectFrom('regions').select('id').where('id', '=', regionId).executeTakeFirst();
      if (!region) throw new AppError('REGION_NOT_FOUND');
      await repo.saveSettings(tx, regionId, input, this.clock());
      await audit(tx, actor, ctx, { action: 'wish.settings.update', entity: 'wish_settings', entityId: regionId, regionId, detail: { ...input } });
    });
    return this.settings(actor, regionId);
  }

  // ---- the workflow ----

  /**
   * Takes one step: who may, whether the machine allows it from here, what it changes, its event
   * row, proof photos, points, audit and the messages, all in one transaction.
   */
  private async step(actor: Actor, ctx: RequestContext | null, id: string, action: WishAction, input: StepInput): Promise<void> {
    await withTransaction(this.database.db, async (tx) => {
      const w = await repo.lockWish(tx, id);
      if (!w) throw new AppError('NOT_FOUND');
      const refused = refusal(actor, partiesOf(w), action);
      if (refused) throw new AppError(refused);
      const to = nextStatus(w.status, action);
      if (!to) throw new AppError('WISH_ILLEGAL_TRANSITION', { status: w.status, action });
      if (action === 'thank' && w.thanks !== null) throw new AppError('WISH_ALREADY_THANKED');
      const now = this.clock();
      const set = await this.plan(tx, action, w, actor, input, now);
      const photoIds = input.photoIds ?? [];
      await this.media.attach(tx, actor.userId, photoIds, `wish:${w.id}`);
      await tx.updateTable('wishes').set({ ...set, status: to, updated_at: now }).where('id', '=', w.id).execute();
      const note = action === 'confirm' || action === 'thank' ? input.thanks || null : input.note || null;
      await repo.insertEvent(tx, { wishId: w.id, regionId: w.region_id, action, from: w.status, to, actorId: actor.userId, note, photoIds, at: now, detail: action === 'offline' ? { donorName: input.donorName } : {} });
      if (action === 'confirm') await this.award(tx, w, actor.userId);
      if (ctx && actor.role !== 'worker') {
        await audit(tx, actor, ctx, { action: `wish.${action}`, entity: 'wish', entityId: w.id, regionId: w.region_id, detail: { from: w.status, to } });
      }
      const after = (await repo.findWish(tx, w.id))!;
      await deliver(tx, await this.messages(tx, action, after, input));
    });
  }

  /** The columns a step changes besides the status. */
  private async plan(tx: Db, action: WishAction, w: repo.LockedWish, actor: Actor, input: StepInput, now: Date) {
    const noClaim = { claimant_kind: null, claimant_user_id: null, claimant_partner_id: null, claimed_at: null, claim_expires_at: null, expiry_warned_at: null };
    switch (action) {
      case 'approve':
        return { published_at: now, review_note: input.note || null };
      case 'reject':
        return { review_note: input.note ?? null };
      case 'claim': {
        const settings = await repo.settingsFor(tx, w.region_id);
        const partner = actor.role === 'partner_staff';
        return {
          claimant_kind: partner ? ('partner' as const) : ('worker' as const),
          claimant_user_id: actor.userId,
          claimant_partner_id: partner ? actor.partnerId : null,
          claimed_at: now,
          claim_expires_at: new Date(now.getTime() + settings.claim_days * DAY_MS),
          expiry_warned_at: null,
        };
      }
      case 'withdraw':
      case 'expire':
        return noClaim;
      case 'fulfil':
        return { fulfilled_at: now, proof_note: input.note ?? null, proof_photo_ids: input.photoIds ?? [], claim_expires_at: null };
      case 'offline':
        return { ...noClaim, claimant_kind: 'offline' as const, donor_name: input.donorName ?? null, claimed_at: now, fulfilled_at: now, proof_note: input.note ?? null, proof_photo_ids: input.photoIds ?? [] };
      case 'confirm':
        return { confirmed_at: now, ...(input.thanks ? { thanks: input.thanks, thanks_public: input.thanksPublic ?? false } : {}) };
      case 'thank':
        return { thanks: input.thanks ?? null, thanks_public: input.thanksPublic ?? false };
      default:
        return {};
    }
  }

  /**
   * Pays a worker who fulfilled a wish, under their street's care rule named for wishes, when the
   * wisher confirms. Source `wish`/id: at most once per wish. A refusal (no rule, a cap, a
   * suspension) never undoes the confirmation.
   */
  private async award(tx: Db, w: repo.LockedWish, actorId: string): Promise<void> {
    if (w.claimant_kind !== 'worker' || !w.claimant_user_id) return;
    const claimant = await tx.selectFrom('users').select(['id', 'region_id', 'role']).where('id', '=', w.claimant_user_id).executeTakeFirst();
    if (!claimant || claimant.role !== 'worker') return;
    const rule = await ruleNamed(tx, claimant.region_id, WISH_RULE_WORD, 'care');
    if (!rule) return;
    await this.points.awardOrSkip(tx, { worker: { userId: claimant.id, regionId: claimant.region_id }, rule, sourceType: 'wish', sourceId: w.id, reason: `${rule.name}：${w.title}`, actorId });
  }

  /** Who hears about a step: the wisher of review, claim and handover; the claimant of thanks and expiry. */
  private async messages(tx: Db, action: WishAction, w: repo.WishRow, input: StepInput): Promise<OutgoingMessage[]> {
    const toWisher = (title: string, body: string): OutgoingMessage[] => [{ userId: w.wisher_id, topic: 'wish', title, body, link: `/wishes/mine/${w.id}` }];
    const name = `「${w.title}」`;
    switch (action) {
      case 'approve':
        return toWisher('微心愿已通过审核', `您的心愿${name}已在心愿墙发布，等待爱心人士认领。`);
      case 'reject':
        return toWisher('微心愿未通过审核', `您的心愿${name}未通过审核：${input.note ?? ''}`);
      case 'claim':
        return toWisher('微心愿已被认领', `您的心愿${name}已由${claimedBy(w) ?? '爱心人士'}认领，社区将协助交接。`);
      case 'withdraw':
        return toWisher('认领已取消', `认领人放弃了心愿${name}，心愿已重新上墙。`);
      case 'fulfil':
      case 'offline':
        return toWisher('微心愿已圆梦', `您的心愿${name}已由${claimedBy(w) ?? '爱心人士'}完成，请确认收到并致谢。`);
      case 'confirm':
      case 'thank': {
        const thanks = action === 'thank' || input.thanks ? `：${input.thanks}` : '。';
        const title = action === 'thank' || input.thanks ? '收到一份感谢' : '心愿人已确认收到';
        return this.toClaimant(tx, w, title, `心愿${name}的心愿人已确认收到${thanks}`);
      }
      default:
        return [];
    }
  }

  private async toClaimant(tx: Db, w: { claimant_kind: string | null; claimant_user_id: string | null; claimant_partner_id: string | null; id: string }, title: string, body: string): Promise<OutgoingMessage[]> {
    const users = w.claimant_kind === 'partner' && w.claimant_partner_id ? await repo.partnerStaff(tx, w.claimant_partner_id) : w.claimant_kind === 'worker' && w.claimant_user_id ? [w.claimant_user_id] : [];
    const link = w.claimant_kind === 'partner' ? '/wishes/claims' : `/wishes/wall/${w.id}`;
    return users.map((userId) => ({ userId, topic: 'wish' as const, title, body, link }));
  }

  // ---- the job ----

  /**
   * Claims past their days go back on the wall (one `expire` event each); claims within a day of
   * expiring get one reminder. Rows are taken FOR UPDATE SKIP LOCKED, so several server processes
   * can run this together and each claim is handled once.
   */
  async runClaimJob(now = this.clock(), limit = 200): Promise<number> {
    const db = this.database.db;
    const expired = await withTransaction(db, async (tx) => {
      const rows = await repo.expiredClaimsForUpdate(tx, now, limit);
      for (const w of rows) {
        await tx.updateTable('wishes').set({ status: 'published', claimant_kind: null, claimant_user_id: null, claimant_partner_id: null, claimed_at: null, claim_expires_at: null, expiry_warned_at: null, updated_at: now }).where('id', '=', w.id).execute();
        await repo.insertEvent(tx, { wishId: w.id, regionId: w.region_id, action: 'expire', from: 'claimed', to: 'published', actorId: null, at: now, detail: { claimantKind: w.claimant_kind, expiresAt: w.claim_expires_at?.toISOString() } });
        const name = `「${w.title}」`;
        await deliver(tx, [
          ...(await this.toClaimant(tx, w, '认领已过期', `您认领的心愿${name}超过期限未完成，已重新开放认领。`)),
          { userId: w.wisher_id, topic: 'wish', title: '心愿重新开放认领', body: `心愿${name}的认领已过期，已重新上墙。`, link: `/wishes/mine/${w.id}` },
        ]);
      }
      return rows.length;
    });
    const warned = await withTransaction(db, async (tx) => {
      const rows = await repo.expiringClaimsForUpdate(tx, now, new Date(now.getTime() + WISH_EXPIRY_WARNING_HOURS * 3_600_000), limit);
      for (const w of rows) {
        await tx.updateTable('wishes').set({ expiry_warned_at: now }).where('id', '=', w.id).execute();
        await deliver(tx, await this.toClaimant(tx, w, '认领即将到期', `您认领的心愿「${w.title}」将于 ${new Date(w.claim_expires_at!.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} 到期，请尽快完成。`));
      }
      return rows.length;
    });
    return expired + warned;
  }
}
