import {
  PARTNER_EXPIRY_NOTICE_DAYS,
  PARTNER_MOVES,
  PARTNER_VALIDITY_MONTHS,
  isWithin,
  regionLevelOf,
  type Partner,
  type PartnerContact,
  type PartnerMove,
  type PartnerStatus,
  type PublicPartner,
  type directoryQuery,
  type partnerApplicationInput,
  type partnerListQuery,
  type partnerMoveInput,
  type partnerProfileInput,
} from '@nuanxin/shared';
import type { Updateable } from 'kysely';
import type { z } from 'zod';
import type { PartnersTable } from '../../db/schema.ts';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { todayCst } from '../../common/time.ts';
import { deliver } from '../notices/inbox.ts';
import * as repo from './partners.repository.ts';
import { addDays, effectiveStatus, toDetail, toPublic, toSummary, validityEnd } from './partners.views.ts';

type ApplicationInput = z.output<typeof partnerApplicationInput>;
type ProfileInput = z.output<typeof partnerProfileInput>;
type MoveInput = z.output<typeof partnerMoveInput>;

/** The state a move leads to, or null when the partner's (effective) state does not allow it. */
export function moveTarget(move: PartnerMove, status: PartnerStatus, validUntil: string | null, today: string): PartnerStatus | null {
  if (!(PARTNER_MOVES[move].from as readonly PartnerStatus[]).includes(status)) return null;
  if (move === 'approve' || move === 'renew') return 'certified';
  if (move === 'reject') return 'rejected';
  if (move === 'suspend') return 'suspended';
  // Reinstating gives back what is left of the validity, and nothing more.
  return validUntil !== null && validUntil >= today ? 'certified' : 'expired';
}

/** NX-<district>-<year>-<8 hex of the id>: unique, printable on the plaque, and not a counter to guess. */
export function certificateNumber(partner: { id: string; region_id: string }, today: string): string {
  return `NX-${partner.region_id.slice(0, 6)}-${today.slice(0, 4)}-${partner.id.replaceAll('-', '').slice(0, 8).toUpperCase()}`;
}

const MOVE_MESSAGES: Partial<Record<PartnerMove, (name: string, reason: string) => { title: string; body: string }>> = {
  approve: (name) => ({ title: '合作单位申请已通过', body: `“${name}”已通过审核并授牌，单位主页和优惠信息已对骑手公开。` }),
  reject: (name, reason) => ({ title: '合作单位申请未通过', body: `“${name}”的申请未通过审核：${reason}` }),
  suspend: (name, reason) => ({ title: '合作单位资格已暂停', body: `“${name}”的授牌资格已暂停：${reason}` }),
  reinstate: (name) => ({ title: '合作单位资格已恢复', body: `“${name}”的授牌资格已恢复。` }),
  renew: (name) => ({ title: '合作单位授牌已续期', body: `“${name}”的授牌已续期一年。` }),
};

/** Partners: public applications, review and certification (授牌), benefits, suspension and renewal. */
export class PartnersService {
  private readonly clock: () => Date;

  constructor(
    private readonly database: Database,
    options: { clock?: () => Date } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  private today() {
    return todayCst(this.clock());
  }

  /** 申请: no account needed; nothing is public until staff certify it. */
  async apply(ctx: RequestContext, input: ApplicationInput) {
    const level = regionLevelOf(input.regionId);
    if (level !== 'community' && level !== 'street') throw new AppError('REGION_NOT_COMMUNITY');
    return withTransaction(this.database.db, async (tx) => {
      const region = await tx.selectFrom('regions').select('id').where('id', '=', input.regionId).executeTakeFirst();
      if (!region) throw new AppError('REGION_NOT_FOUND');
      if (await repo.nameTaken(tx, input.regionId, input.name)) throw new AppError('PARTNER_NAME_TAKEN');
      const row = await tx
        .insertInto('partners')
        .values({
          region_id: input.regionId,
          name: input.name,
          kind: input.kind,
          status: 'applied',
          address: input.address,
          lat: input.lat,
          lng: input.lng,
          contact_name: input.contactName,
          contact_phone: input.contactPhone,
          description: input.description,
          hours: input.hours,
          benefits: JSON.stringify(input.benefits),
        })
        .returning(['id', 'name', 'status'])
        .executeTakeFirstOrThrow();
      await repo.addEvent(tx, { region_id: input.regionId, partner_id: row.id, from_status: null, to_status: 'applied', reason: '在线申请', actor_id: null });
      await audit(tx, null, ctx, { action: 'partner.apply', entity: 'partner', entityId: row.id, regionId: input.regionId, detail: { name: input.name, kind: input.kind } });
      return row;
    });
  }

  async directory(query: z.output<typeof directoryQuery>) {
    const near = query.lat !== undefined && query.lng !== undefined ? { lat: query.lat, lng: query.lng } : undefined;
    const today = this.today();
    const { rows, total } = await repo.directory(this.database.db, { scope: query.regionId, kind: query.kind, benefit: query.benefit, q: query.q, near, today }, query);
    return { items: rows.map((r) => toPublic(r, today)), total, page: query.page, pageSize: query.pageSize };
  }

  /** What the plaque QR opens. Applications and refusals are not public. */
  async page(id: string): Promise<PublicPartner> {
    const row = await repo.find(this.database.db, id);
    if (!row || row.status === 'applied' || row.status === 'rejected') throw new AppError('NOT_FOUND');
    return toPublic(row, this.today());
  }

  async list(actor: Actor, query: z.output<typeof partnerListQuery>) {
    const own = actor.role === 'partner_staff';
    // A partner's staff see their own partner, wherever it sits; staff see their region.
    const scope = own ? (query.regionId ?? '') : (query.regionId ?? actor.scopeId);
    if (!own) requireScope(actor, scope);
    const today = this.today();
    const { rows, total, counts } = await repo.list(this.database.db, { scope, status: query.status, kind: query.kind, q: query.q, partnerId: own ? actor.partnerId! : undefined }, query);
    return { items: rows.map((r) => toSummary(r, today)), total, page: query.page, pageSize: query.pageSize, counts };
  }

  async get(actor: Actor, id: string, db: Db = this.database.db): Promise<Partner> {
    const row = await repo.find(db, id);
    if (!row) throw new AppError('NOT_FOUND');
    this.mayManage(actor, row);
    const [staff, history, donations, reviewer] = await Promise.all([
      repo.staff(db, id),
      repo.history(db, id),
      repo.donationCount(db, id),
      row.reviewed_by ? db.selectFrom('users').select('name').where('id', '=', row.reviewed_by).executeTakeFirst() : undefined,
    ]);
    return toDetail(row, { staff, history, donations, reviewerName: reviewer?.name ?? null }, this.today());
  }

  /** The contact's whole phone number for a reviewer inside the partner's region; the read is audited like a read of a person. */
  async contact(actor: Actor, ctx: RequestContext, id: string): Promise<PartnerContact> {
    return withTransaction(this.database.db, async (tx) => {
      const row = await repo.find(tx, id);
      if (!row) throw new AppError('NOT_FOUND');
      requireScope(actor, row.region_id);
      await audit(tx, actor, ctx, { action: 'partner.contact.read', entity: 'partner', entityId: id, regionId: row.region_id, detail: {} });
      return { contactName: row.contact_name, contactPhone: row.contact_phone };
    });
  }

  /** Address, hours, description and benefits: the partner's own staff, or admins over it. */
  async update(actor: Actor, ctx: RequestContext, id: string, input: ProfileInput): Promise<Partner> {
    await withTransaction(this.database.db, async (tx) => {
      const before = await repo.lock(tx, id);
      if (!before) throw new AppError('NOT_FOUND');
      this.mayManage(actor, before);
      await tx
        .updateTable('partners')
        .set({
          address: input.address,
          lat: input.lat,
          lng: input.lng,
          contact_name: input.contactName,
          // Left out, the phone stays: the form only ever sees it masked.
          ...(input.contactPhone ? { contact_phone: input.contactPhone } : {}),
          description: input.description,
          hours: input.hours,
          benefits: JSON.stringify(input.benefits),
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await audit(tx, actor, ctx, { action: 'partner.update', entity: 'partner', entityId: id, regionId: before.region_id, detail: { benefits: input.benefits.length } });
    });
    return this.get(actor, id);
  }

  async move(actor: Actor, ctx: RequestContext, id: string, input: MoveInput): Promise<Partner> {
    const today = this.today();
    return withTransaction(this.database.db, async (tx) => {
      const partner = await repo.lock(tx, id);
      if (!partner) throw new AppError('NOT_FOUND');
      requireScope(actor, partner.region_id);
      const from = effectiveStatus(partner, today);
      const to = moveTarget(input.move, from, partner.valid_until, today);
      if (!to) throw new AppError('PARTNER_ILLEGAL_MOVE', { status: from, move: input.move });
      if ((input.move === 'reject' || input.move === 'suspend') && !input.reason) throw new AppError('PARTNER_REASON_REQUIRED');

      const now = this.clock();
      const set: Updateable<PartnersTable> = { status: to, updated_at: now };
      if (input.move === 'approve') {
        Object.assign(set, { certified_at: now, certificate_no: certificateNumber(partner, today), valid_until: validityEnd(today, PARTNER_VALIDITY_MONTHS), reviewed_by: actor.userId, reviewed_at: now, rejection_reason: null });
      } else if (input.move === 'reject') {
        Object.assign(set, { reviewed_by: actor.userId, reviewed_at: now, rejection_reason: input.reason });
      } else if (input.move === 'suspend') {
        Object.assign(set, { suspension_reason: input.reason });
      } else if (input.move === 'reinstate') {
        Object.assign(set, { suspension_reason: null });
      } else {
        // A renewal adds a year after what is left, or from today once it has run out.
        const start = partner.valid_until && partner.valid_until >= today ? addDays(partner.valid_until, 1) : today;
        Object.assign(set, { valid_until: validityEnd(start, PARTNER_VALIDITY_MONTHS), expiry_notified_at: null });
      }
      await tx.updateTable('partners').set(set).where('id', '=', id).execute();
      await repo.addEvent(tx, { region_id: partner.region_id, partner_id: id, from_status: partner.status, to_status: to, reason: input.reason, actor_id: actor.userId });

      let accountCreated = false;
      if (input.move === 'approve' && input.createAccount && partner.contact_phone) {
        accountCreated = await this.openStaffAccount(tx, partner);
      }
      await audit(tx, actor, ctx, { action: `partner.${input.move}`, entity: 'partner', entityId: id, regionId: partner.region_id, detail: { from: partner.status, to, reason: input.reason, accountCreated } });

      const message = MOVE_MESSAGES[input.move]?.(partner.name, input.reason);
      const staff = await repo.staffIds(tx, [id]);
      if (message && staff.length) await deliver(tx, staff.map((s) => ({ userId: s.id, topic: 'partner' as const, ...message, link: `/admin/partners/${id}` })));
      return this.get(actor, id, tx);
    });
  }

  /**
   * Certifications past their last day become expired; staff of those running out within the
   * notice period are told once. Row locks with SKIP LOCKED: safe with several processes.
   */
  async expireDue(limit = 200): Promise<number> {
    const today = this.today();
    return withTransaction(this.database.db, async (tx) => {
      const expired = await repo.lockExpired(tx, today, limit);
      for (const p of expired) {
        await tx.updateTable('partners').set({ status: 'expired', updated_at: new Date() }).where('id', '=', p.id).execute();
        await repo.addEvent(tx, { region_id: p.region_id, partner_id: p.id, from_status: 'certified', to_status: 'expired', reason: `授牌有效期至 ${p.valid_until}`, actor_id: null });
      }
      const expiring = await repo.lockExpiring(tx, today, addDays(today, PARTNER_EXPIRY_NOTICE_DAYS), limit);
      if (expiring.length) {
        await tx.updateTable('partners').set({ expiry_notified_at: new Date() }).where('id', 'in', expiring.map((p) => p.id)).execute();
        const staff = await repo.staffIds(tx, expiring.map((p) => p.id));
        const byId = new Map(expiring.map((p) => [p.id, p]));
        await deliver(
          tx,
          staff.map((s) => {
            const p = byId.get(s.partner_id!)!;
            return { userId: s.id, topic: 'partner' as const, title: '授牌即将到期', body: `“${p.name}”的授牌有效期至 ${p.valid_until}，请及时联系街道办理续期。`, link: `/admin/partners/${p.id}` };
          }),
        );
      }
      return expired.length + expiring.length;
    });
  }

  /** A partner-staff account for the contact's phone (SMS login to the console), unless the phone has one. */
  private async openStaffAccount(tx: Db, partner: { id: string; region_id: string; contact_name: string | null; contact_phone: string | null }): Promise<boolean> {
    const inserted = await tx
      .insertInto('users')
      .values({ role: 'partner_staff', region_id: partner.region_id, phone: partner.contact_phone, name: partner.contact_name, username: null, password_hash: null, department_id: null, partner_id: partner.id, station_id: null })
      .onConflict((oc) => oc.column('phone').doNothing())
      .returning('id')
      .executeTakeFirst();
    return !!inserted;
  }

  /** Admins over the partner's region, or the partner's own staff. */
  mayManage(actor: Actor, partner: { id: string; region_id: string }) {
    if (actor.role === 'partner_staff') {
      if (actor.partnerId !== partner.id) throw new AppError('NOT_YOUR_PARTNER');
      return;
    }
    requireScope(actor, partner.region_id);
  }
}

/** Whether a partner sits where a community's pledge applies: in the community, or above it (a street-wide company). */
export function servesCommunity(partnerRegionId: string, communityId: string): boolean {
  return isWithin(communityId, partnerRegionId) || isWithin(partnerRegionId, communityId);
}
