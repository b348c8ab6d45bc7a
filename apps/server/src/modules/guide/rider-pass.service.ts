import { randomBytes } from 'node:crypto';
import {
  PASS_GRACE_SECONDS,
  PASS_RECENT_SCAN_MINUTES,
  PASS_STEP_SECONDS,
  PASS_VALID_DAYS,
  maskPhone,
  parsePassCode,
  passCodeText,
  type MyPass,
  type PassScan,
  type PassState,
  type RiderPass,
} from '@nuanxin/shared';
import { withTransaction, type Database } from '../../db/client.ts';
import { AppError } from '../../common/errors.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import { CheckinGuard } from '../stations/checkin-guard.ts';
import { codeFor, newCheckinSecret, stepAt, stepEnds, verifyCode } from '../stations/checkin-code.ts';
import { compoundNear } from './guide-places.repository.ts';
import * as repo from './rider-pass.repository.ts';

const DAY_MS = 86_400_000;
/** An old code is told apart from a made-up one this far back (an hour of steps). */
const EXPIRED_LOOKBACK_STEPS = 120;
/** The compound guide offered with a scan is the verified one within this distance of the guard's post. */
const GUARD_COMPOUND_RADIUS_M = 500;
const PASS_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const ADMINS = new Set(['grid_staff', 'community_admin', 'street_admin', 'district_admin']);

function newPassNo(): string {
  return [...randomBytes(8)].map((b) => PASS_ALPHABET[b % PASS_ALPHABET.length]).join('');
}

export interface RiderPassOptions {
  clock?: () => Date;
  guard?: CheckinGuard;
}

/**
 * The rider pass (通行码, after Hangzhou's 小哥码): a worker whose identity staff verified shows a
 * QR that changes every 30 s (the stations' HMAC time-step code under a per-worker secret); a
 * property guard or staff scans it and sees who it is. Every scan is logged, whatever its result.
 */
export class RiderPassService {
  private readonly clock: () => Date;
  private readonly guard: CheckinGuard;

  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
    options: RiderPassOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.guard = options.guard ?? new CheckinGuard();
  }

  private stateOf(row: repo.WorkerPassRow): PassState {
    if (!row.identity_verified_at) return 'unverified';
    if (row.revoked_at) return 'revoked';
    return this.validUntil(row)!.getTime() < this.clock().getTime() ? 'expired' : 'active';
  }

  private validUntil(row: repo.WorkerPassRow): Date | null {
    return row.identity_verified_at ? new Date(row.identity_verified_at.getTime() + PASS_VALID_DAYS * DAY_MS) : null;
  }

  private holder(row: repo.WorkerPassRow) {
    return {
      name: row.name,
      phoneMasked: maskPhone(row.phone),
      occupation: row.occupation,
      platformCompany: row.platform_company,
      deliveryStation: row.delivery_station,
      photo: row.photo_id ? this.media.links([row.photo_id])[0]! : null,
    };
  }

  private toRiderPass(row: repo.WorkerPassRow): RiderPass {
    return {
      workerId: row.worker_id,
      regionId: row.region_id,
      regionName: row.region_name,
      passNo: row.pass_no,
      state: this.stateOf(row),
      holder: this.holder(row),
      identityVerifiedAt: row.identity_verified_at?.toISOString() ?? null,
      validUntil: this.validUntil(row)?.toISOString() ?? null,
      revokedReason: row.revoked_reason,
    };
  }

  /** The worker's pass, made on first sight (number and secret), with the current code while active. */
  private async ensure(actor: Actor): Promise<repo.WorkerPassRow> {
    const db = this.database.db;
    let row = await repo.findWorker(db, actor.userId);
    if (!row) throw new AppError('NOT_A_WORKER');
    if (!row.pass_no) {
      await repo.ensurePass(db, { workerId: actor.userId, regionId: row.region_id, passNo: newPassNo(), secret: newCheckinSecret() });
      row = (await repo.findWorker(db, actor.userId))!;
    }
    return row;
  }

  async myPass(actor: Actor): Promise<MyPass> {
    const row = await this.ensure(actor);
    const state = this.stateOf(row);
    const now = this.clock();
    const step = stepAt(now);
    const active = state === 'active';
    const recent = await repo.lastScan(this.database.db, actor.userId, new Date(now.getTime() - PASS_RECENT_SCAN_MINUTES * 60_000));
    return {
      passNo: row.pass_no!,
      state,
      holder: this.holder(row),
      identityVerifiedAt: row.identity_verified_at?.toISOString() ?? null,
      validUntil: this.validUntil(row)?.toISOString() ?? null,
      revokedReason: state === 'revoked' ? row.revoked_reason : null,
      code: active ? passCodeText(row.pass_no!, codeFor(row.secret!, row.worker_id, step)) : null,
      expiresAt: active ? stepEnds(step).toISOString() : null,
      periodSeconds: PASS_STEP_SECONDS,
      recentScan: recent
        ? { at: recent.scanned_at.toISOString(), compoundId: recent.compound_place_id, compoundName: recent.compound_name, placeName: recent.partner_name ?? recent.region_name }
        : null,
    };
  }

  /**
   * Photo and delivery station. A new photo withdraws the identity check: the guard matches this
   * face. One transaction, so a refused photo leaves no new pass behind either.
   */
  async setProfile(actor: Actor, input: { photoId: string | null; deliveryStation: string | null }): Promise<MyPass> {
    await withTransaction(this.database.db, async (tx) => {
      const found = await repo.findWorker(tx, actor.userId);
      if (!found) throw new AppError('NOT_A_WORKER');
      if (!found.pass_no) await repo.ensurePass(tx, { workerId: actor.userId, regionId: found.region_id, passNo: newPassNo(), secret: newCheckinSecret() });
      const photoChanged = input.photoId !== found.photo_id;
      if (photoChanged && input.photoId) await this.media.attach(tx, actor.userId, [input.photoId], `rider_pass:${actor.userId}`);
      await tx.updateTable('rider_passes').set({ photo_id: input.photoId, delivery_station: input.deliveryStation, updated_at: new Date() }).where('worker_id', '=', actor.userId).execute();
      if (photoChanged && found.identity_verified_at) {
        await tx.updateTable('worker_profiles').set({ identity_verified_at: null, identity_verified_by: null }).where('user_id', '=', actor.userId).execute();
      }
    });
    return this.myPass(actor);
  }

  /** Guards are staff of a property partner (物业) and staff over a region; other partners are not. */
  private async guardPost(actor: Actor): Promise<{ lat: number | null; lng: number | null; name: string | null }> {
    if (ADMINS.has(actor.role)) return { lat: null, lng: null, name: null };
    if (actor.role === 'partner_staff' && actor.partnerId) {
      const partner = await this.database.db.selectFrom('partners').select(['kind', 'status', 'lat', 'lng', 'name']).where('id', '=', actor.partnerId).executeTakeFirst();
      if (partner && partner.kind === 'property' && partner.status === 'certified') return { lat: partner.lat, lng: partner.lng, name: partner.name };
    }
    throw new AppError('NOT_A_GUARD');
  }

  /**
   * A guard's scan. The code must be of its 30 s step (a few seconds' grace for a slow camera); an
   * older code of the pass is "expired", anything else "forged"; the same step accepted twice by
   * the same guard is a replay (two guards may both accept it). Every outcome is logged.
   */
  async scan(actor: Actor, input: { text: string }): Promise<PassScan> {
    const post = await this.guardPost(actor);
    const wait = this.guard.waitMinutes(actor.userId);
    if (wait > 0) throw new AppError('PASS_TOO_MANY_TRIES', { minutes: wait });
    const db = this.database.db;
    const now = this.clock();
    const log = (result: repo.WorkerPassRow | null, outcome: Parameters<typeof repo.logScan>[1]['result'], step: number | null, compoundId: string | null = null) =>
      repo.logScan(db, { regionId: actor.regionId, guardId: actor.userId, workerId: result?.worker_id ?? null, passNo: result?.pass_no ?? parsed?.passNo ?? null, step, result: outcome, compoundId, at: now });

    const parsed = parsePassCode(input.text);
    const row = parsed ? await repo.findByPassNo(db, parsed.passNo) : undefined;
    if (!parsed || !row || !row.secret) {
      await log(null, 'forged', null);
      this.guard.recordWrong(actor.userId);
      throw new AppError('PASS_CODE_INVALID');
    }
    const current = stepAt(now);
    let step = verifyCode(row.secret, row.worker_id, parsed.code, now);
    if (step !== null && step < current && now.getTime() - stepEnds(step).getTime() > PASS_GRACE_SECONDS * 1000) step = null;
    if (step === null) {
      const old = this.olderStep(row.secret, row.worker_id, parsed.code, current);
      await log(row, old === null ? 'forged' : 'expired', old);
      if (old === null) {
        this.guard.recordWrong(actor.userId);
        throw new AppError('PASS_CODE_INVALID');
      }
      throw new AppError('PASS_CODE_EXPIRED');
    }
    const state = row.status === 'active' ? this.stateOf(row) : 'revoked';
    if (state !== 'active') {
      await log(row, state === 'unverified' ? 'unverified' : 'revoked', step);
      throw new AppError(state === 'unverified' ? 'PASS_NOT_ELIGIBLE' : 'PASS_REVOKED');
    }
    const compound = post.lat !== null && post.lng !== null ? await compoundNear(db, post.lat, post.lng, GUARD_COMPOUND_RADIUS_M) : undefined;
    const logged = await log(row, 'ok', step, compound?.id ?? null);
    if (logged === null) {
      await log(row, 'replayed', step);
      throw new AppError('PASS_CODE_REPLAYED');
    }
    return {
      passNo: row.pass_no!,
      holder: this.holder(row),
      validUntil: this.validUntil(row)!.toISOString(),
      scannedAt: now.toISOString(),
      compound: compound ? { id: compound.id, name: compound.name } : null,
    };
  }

  /** The step of an older code of this pass (up to an hour back), or null for a code it never showed. */
  private olderStep(secret: string, workerId: string, code: string, current: number): number | null {
    for (let step = current - 1; step >= current - EXPIRED_LOOKBACK_STEPS; step -= 1) {
      if (codeFor(secret, workerId, step) === code) return step;
    }
    return null;
  }

  /** Admins see the scans in their region; a guard sees their own. */
  async scans(actor: Actor, query: { page: number; pageSize: number; result?: string }) {
    const { page, pageSize } = query;
    const filter = ADMINS.has(actor.role) ? { regionPrefix: actor.scopeId } : { guardId: actor.userId };
    const { rows, total } = await repo.scanPage(this.database.db, { ...filter, result: query.result }, { page, pageSize });
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        regionId: r.region_id,
        guardName: r.guard_name,
        guardOrganization: r.partner_name,
        passNo: r.pass_no,
        holderName: r.holder_name,
        result: r.result,
        scannedAt: r.scanned_at.toISOString(),
      })),
      total,
      page,
      pageSize,
    };
  }

  /** Workers and their passes in the caller's region; the read is audited (personal data), phones masked. */
  async list(actor: Actor, ctx: RequestContext, query: { page: number; pageSize: number; state?: PassState; regionId?: string; q?: string }) {
    if (query.regionId) requireScope(actor, query.regionId);
    const { page, pageSize } = query;
    return withTransaction(this.database.db, async (tx) => {
      const { rows, total } = await repo.passPage(tx, { regionPrefix: query.regionId ?? actor.scopeId, state: query.state, q: query.q, validDays: PASS_VALID_DAYS }, { page, pageSize });
      await audit(tx, actor, ctx, { action: 'rider_pass.read', entity: 'rider_pass', regionId: query.regionId ?? actor.scopeId, detail: { state: query.state ?? null, q: query.q ?? null, page, count: rows.length } });
      return { items: rows.map((r) => this.toRiderPass(r)), total, page, pageSize };
    });
  }

  private async workerInScope(actor: Actor, workerId: string) {
    const row = await repo.findWorker(this.database.db, workerId);
    if (!row) throw new AppError('NOT_FOUND');
    requireScope(actor, row.region_id);
    return row;
  }

  /** 核验身份: staff record that they checked the worker's identity (or withdraw it); audited. */
  async checkIdentity(actor: Actor, ctx: RequestContext, workerId: string, input: { verified: boolean; note: string }): Promise<RiderPass> {
    const row = await this.workerInScope(actor, workerId);
    if (row.occupation === null) throw new AppError('INVALID_STATE');
    await withTransaction(this.database.db, async (tx) => {
      await tx
        .updateTable('worker_profiles')
        .set(input.verified ? { identity_verified_at: this.clock(), identity_verified_by: actor.userId } : { identity_verified_at: null, identity_verified_by: null })
        .where('user_id', '=', workerId)
        .execute();
      await audit(tx, actor, ctx, { action: input.verified ? 'worker.identity_verify' : 'worker.identity_withdraw', entity: 'user', entityId: workerId, regionId: row.region_id, detail: { note: input.note } });
    });
    return this.toRiderPass((await repo.findWorker(this.database.db, workerId))!);
  }

  /** Revoke or restore a worker's pass with a reason; audited. */
  async setRevoked(actor: Actor, ctx: RequestContext, workerId: string, input: { action: 'revoke' | 'restore'; reason: string }): Promise<RiderPass> {
    const row = await this.workerInScope(actor, workerId);
    const db = this.database.db;
    await withTransaction(db, async (tx) => {
      if (!row.pass_no) await repo.ensurePass(tx, { workerId, regionId: row.region_id, passNo: newPassNo(), secret: newCheckinSecret() });
      const revoke = input.action === 'revoke';
      await tx
        .updateTable('rider_passes')
        .set(revoke ? { revoked_at: this.clock(), revoked_by: actor.userId, revoked_reason: input.reason, updated_at: new Date() } : { revoked_at: null, revoked_by: null, revoked_reason: null, updated_at: new Date() })
        .where('worker_id', '=', workerId)
        .execute();
      await audit(tx, actor, ctx, { action: revoke ? 'rider_pass.revoke' : 'rider_pass.restore', entity: 'rider_pass', entityId: workerId, regionId: row.region_id, detail: { reason: input.reason } });
    });
    return this.toRiderPass((await repo.findWorker(db, workerId))!);
  }
}
