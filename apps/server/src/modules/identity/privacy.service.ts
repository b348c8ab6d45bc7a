import { sql } from 'kysely';
import type { Database, Db } from '../../db/client.ts';
import { withTransaction } from '../../db/client.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import type { RewardsService } from '../rewards/rewards.service.ts';
import { withdrawFromActivities } from '../activities/activities.service.ts';
import { insertEvent as insertWishEvent } from '../wishes/wishes.repository.ts';
import { announceUserChanged, type SessionAuthenticator } from './sessions.ts';

/**
 * Where a worker's personal data lives, table by table: what "download my data" returns. A new
 * domain that stores something about a person adds its query here (个人信息保护法 art. 45: the
 * right to a copy).
 */
const PERSONAL_DATA: Record<string, (db: Db, userId: string) => Promise<unknown>> = {
  account: (db, id) => db.selectFrom('users').select(['id', 'role', 'phone', 'name', 'region_id', 'status', 'created_at', 'updated_at']).where('id', '=', id).executeTakeFirst(),
  profile: (db, id) => db.selectFrom('worker_profiles').selectAll().where('user_id', '=', id).executeTakeFirst(),
  logins: (db, id) => db.selectFrom('sessions').select(['created_at', 'expires_at', 'revoked_at', 'ip', 'user_agent']).where('user_id', '=', id).orderBy('created_at').execute(),
  points: (db, id) =>
    db
      .selectFrom('points_entries as e')
      .innerJoin('points_accounts as a', 'a.id', 'e.account_id')
      .innerJoin('points_transfers as t', 't.id', 'e.transfer_id')
      .select(['t.created_at', 't.kind', 'e.amount', 'e.balance_after', 't.reason'])
      .where('a.kind', '=', 'worker')
      .where('a.owner_id', '=', id)
      .orderBy('e.id')
      .execute(),
  claims: (db, id) => db.selectFrom('points_claims').select(['id', 'rule_id', 'note', 'occurred_on', 'status', 'review_note', 'photo_ids', 'created_at', 'reviewed_at']).where('worker_id', '=', id).execute(),
  vouchers: (db, id) => db.selectFrom('vouchers').select(['id', 'reward_id', 'code', 'points', 'status', 'created_at', 'fulfilled_at']).where('worker_id', '=', id).execute(),
  reports: (db, id) => db.selectFrom('cases').select(['id', 'category_id', 'description', 'lat', 'lng', 'address', 'status', 'created_at']).where('reporter_id', '=', id).execute(),
  stationVisits: (db, id) => db.selectFrom('station_visits').select(['station_id', 'visited_at']).where('worker_id', '=', id).orderBy('visited_at').execute(),
  stationRatings: (db, id) => db.selectFrom('station_ratings').select(['station_id', 'stars', 'feedback', 'created_at']).where('worker_id', '=', id).execute(),
  bookings: (db, id) => db.selectFrom('station_bookings').select(['session_id', 'occurs_on', 'status', 'attended', 'created_at']).where('worker_id', '=', id).execute(),
  messages: (db, id) => db.selectFrom('messages').select(['topic', 'title', 'body', 'link', 'read_at', 'created_at']).where('user_id', '=', id).orderBy('created_at').execute(),
  messagePreferences: (db, id) => db.selectFrom('message_preferences').select(['topic', 'in_app', 'outbound']).where('user_id', '=', id).execute(),
  noticesRead: (db, id) => db.selectFrom('notice_reads').select(['notice_id', 'read_at']).where('user_id', '=', id).execute(),
  wishes: (db, id) => db.selectFrom('wishes').select(['id', 'kind', 'title', 'description', 'value_yuan', 'status', 'thanks', 'created_at']).where('wisher_id', '=', id).execute(),
  wishesClaimed: (db, id) => db.selectFrom('wishes').select(['id', 'title', 'status', 'claimed_at', 'fulfilled_at']).where('claimant_user_id', '=', id).execute(),
  activities: (db, id) =>
    db
      .selectFrom('activity_signups as s')
      .leftJoin('activity_attendance as a', 'a.signup_id', 's.id')
      .select(['s.activity_id', 's.status', 's.created_at', 'a.checked_in_at', 'a.checked_out_at', 'a.minutes'])
      .where('s.worker_id', '=', id)
      .execute(),
  organizations: (db, id) => db.selectFrom('organization_members').select(['organization_id', 'kind', 'status', 'party_status', 'joined_on', 'note', 'created_at']).where('user_id', '=', id).execute(),
  gridMember: (db, id) => db.selectFrom('grid_members').select(['status', 'grid_id', 'certificate_no', 'appointed_on', 'term_ends_on', 'created_at']).where('user_id', '=', id).execute(),
  honorNominations: (db, id) => db.selectFrom('honor_nominees').select(['round_id', 'reason', 'votes', 'honored', 'created_at']).where('worker_id', '=', id).execute(),
  honorVotes: (db, id) => db.selectFrom('honor_votes').select(['round_id', 'nominee_id', 'created_at']).where('voter_id', '=', id).execute(),
  pledgesSigned: (db, id) => db.selectFrom('pledge_signatures').select(['pledge_id', 'display_name', 'created_at']).where('user_id', '=', id).execute(),
  guidePlaces: (db, id) => db.selectFrom('guide_places').select(['id', 'kind', 'state', 'name', 'notes', 'lat', 'lng', 'created_at']).where('author_id', '=', id).execute(),
  riderPass: (db, id) => db.selectFrom('rider_passes').select(['pass_no', 'delivery_station', 'revoked_at', 'created_at']).where('worker_id', '=', id).execute(),
  riderPassScans: (db, id) => db.selectFrom('rider_pass_scans').select(['scanned_at', 'result', 'compound_place_id']).where('worker_id', '=', id).orderBy('scanned_at').execute(),
  photos: (db, id) => db.selectFrom('media').select(['id', 'width', 'height', 'bytes', 'attached_to', 'created_at']).where('owner_id', '=', id).execute(),
  /** Who on the staff looked at this person's data, and when (the audit log, without staff names). */
  readsByStaff: (db, id) =>
    db
      .selectFrom('audit_log')
      .select(['created_at', 'action', 'region_id'])
      .where(sql<boolean>`entity_id = ${id} or (action = 'people.read' and detail -> 'ids' ? ${id}) or (action = 'case.read' and detail ->> 'reporterId' = ${id})`)
      .orderBy('created_at')
      .execute(),
};

/**
 * What community life keeps about a deleted worker: messages, preferences and outbound copies go;
 * the rider pass (photo, delivery station) goes; open sign-ups, wishes not yet claimed and open
 * memberships end, so nobody waits on an account that is gone. Records the city counts (fulfilled
 * wishes, attendance, votes, honors) stay, tied to the account that no longer names anyone.
 */
async function forgetCommunityLife(tx: Db, userId: string): Promise<void> {
  const now = new Date();
  await tx.deleteFrom('message_outbox').where('user_id', '=', userId).execute();
  await tx.deleteFrom('messages').where('user_id', '=', userId).execute();
  await tx.deleteFrom('message_preferences').where('user_id', '=', userId).execute();
  await tx.deleteFrom('rider_pass_scans').where('worker_id', '=', userId).execute();
  await tx.deleteFrom('rider_passes').where('worker_id', '=', userId).execute();
  await withdrawFromActivities(tx, userId, now);
  const open = await tx.selectFrom('wishes').select(['id', 'region_id', 'status']).where('wisher_id', '=', userId).where('status', 'in', ['submitted', 'published']).forUpdate().execute();
  for (const w of open) {
    await tx.updateTable('wishes').set({ status: 'cancelled', updated_at: now }).where('id', '=', w.id).execute();
    // Every step of a wish is an event, the account's end too: staff see why it left the wall.
    await insertWishEvent(tx, { wishId: w.id, regionId: w.region_id, action: 'cancel', from: w.status, to: 'cancelled', actorId: userId, note: '账号已注销', at: now });
  }
  await tx.updateTable('organization_members').set({ status: 'left', ended_at: now, updated_at: now }).where('user_id', '=', userId).where('status', 'in', ['pending', 'verified']).execute();
  await tx.updateTable('grid_members').set({ status: 'withdrawn', ended_at: now, updated_at: now }).where('user_id', '=', userId).where('status', '=', 'applied').execute();
  await tx.updateTable('grid_members').set({ status: 'dismissed', ended_at: now, updated_at: now }).where('user_id', '=', userId).where('status', '=', 'appointed').execute();
}

/** A worker's own data: a copy on request, and deletion of the account (注销). */
export class PrivacyService {
  constructor(
    private readonly database: Database,
    private readonly sessions: SessionAuthenticator,
    private readonly media: MediaService,
    private readonly rewards: RewardsService,
  ) {}

  async export(actor: Actor): Promise<Record<string, unknown>> {
    const db = this.database.db;
    const sections = await Promise.all(Object.entries(PERSONAL_DATA).map(async ([name, read]) => [name, await read(db, actor.userId)] as const));
    return { exportedAt: new Date().toISOString(), ...Object.fromEntries(sections) };
  }

  /**
   * Deletes a worker's account. What identifies the person goes (phone, name, profile, login
   * addresses, codes, claim photos, unused uploads); what the city must keep stays, tied to an
   * account that no longer names anyone: the points ledger (it must reconcile), reports of street
   * problems, claims and vouchers as records. Held vouchers are cancelled first, so no partner
   * serves a deleted account.
   */
  async deleteAccount(actor: Actor, ctx: RequestContext): Promise<void> {
    if (actor.role !== 'worker') throw new AppError('FORBIDDEN');
    const photos = await withTransaction(this.database.db, async (tx) => {
      const user = await tx.selectFrom('users').select(['phone']).where('id', '=', actor.userId).forUpdate().executeTakeFirstOrThrow();
      await this.rewards.releaseAllHeld(tx, actor.userId);
      await tx
        .updateTable('users')
        .set({ phone: null, name: null, password_hash: null, username: `deleted.${actor.userId.replaceAll('-', '').slice(0, 20)}`, status: 'disabled', updated_at: new Date() })
        .where('id', '=', actor.userId)
        .execute();
      await tx.deleteFrom('worker_profiles').where('user_id', '=', actor.userId).execute();
      await tx.updateTable('sessions').set({ revoked_at: new Date(), ip: null, user_agent: null }).where('user_id', '=', actor.userId).execute();
      if (user.phone) await tx.deleteFrom('sms_codes').where('phone', '=', user.phone).execute();
      // Proof photos of claims and photos never used are the person's own; photos of street reports are the city's record.
      const gone = await tx
        .deleteFrom('media')
        .where('owner_id', '=', actor.userId)
        .where((eb) => eb.or([eb('attached_to', 'is', null), eb('attached_to', 'like', 'claim:%')]))
        .returning('id')
        .execute();
      await tx.updateTable('points_claims').set({ photo_ids: [] }).where('worker_id', '=', actor.userId).execute();
      await forgetCommunityLife(tx, actor.userId);
      await audit(tx, actor, { ...ctx, ip: '', userAgent: null }, { action: 'account.deleted', entity: 'user', entityId: actor.userId, regionId: actor.regionId, detail: { photos: gone.length } });
      await announceUserChanged(tx, actor.userId);
      return gone.map((g) => g.id);
    });
    this.sessions.forgetUser(actor.userId);
    await this.media.removeFilesOf(photos);
  }
}
