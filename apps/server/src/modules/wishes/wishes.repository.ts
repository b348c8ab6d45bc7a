import { sql } from 'kysely';
import { WISH_DEFAULTS, type WishAction, type WishKind, type WishStatus } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

/** A wish with the names its views need: community, wisher, claimant partner or person. */
export function wishQuery(db: Db) {
  return db
    .selectFrom('wishes as w')
    .innerJoin('regions as r', 'r.id', 'w.region_id')
    .innerJoin('users as u', 'u.id', 'w.wisher_id')
    .leftJoin('partners as p', 'p.id', 'w.claimant_partner_id')
    .leftJoin('users as cu', 'cu.id', 'w.claimant_user_id')
    .selectAll('w')
    .select(['r.name as community_name', 'u.name as wisher_name', 'u.phone as wisher_phone', 'p.name as partner_name', 'cu.name as claimant_user_name']);
}
export type WishRow = Awaited<ReturnType<ReturnType<typeof wishQuery>['executeTakeFirstOrThrow']>>;

export function findWish(db: Db, id: string) {
  return wishQuery(db).where('w.id', '=', id).executeTakeFirst();
}

export function lockWish(db: Db, id: string) {
  return db.selectFrom('wishes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export type LockedWish = NonNullable<Awaited<ReturnType<typeof lockWish>>>;

export function findByClientKey(db: Db, wisherId: string, key: string) {
  return db.selectFrom('wishes').select(['id', 'request_hash']).where('wisher_id', '=', wisherId).where('client_key', '=', key).executeTakeFirst();
}

/** The new wish, or undefined when a concurrent retry with the same key wrote it first. */
export async function insertWish(
  db: Db,
  w: { regionId: string; wisherId: string; kind: WishKind; title: string; description: string; valueYuan: number; photoIds: string[]; clientKey: string; requestHash: string; now: Date },
) {
  return db
    .insertInto('wishes')
    .values({
      region_id: w.regionId,
      wisher_id: w.wisherId,
      kind: w.kind,
      title: w.title,
      description: w.description,
      value_yuan: w.valueYuan,
      photo_ids: w.photoIds,
      status: 'submitted',
      review_note: null,
      published_at: null,
      claimant_kind: null,
      claimant_user_id: null,
      claimant_partner_id: null,
      donor_name: null,
      claimed_at: null,
      claim_expires_at: null,
      expiry_warned_at: null,
      fulfilled_at: null,
      proof_note: null,
      confirmed_at: null,
      thanks: null,
      client_key: w.clientKey,
      request_hash: w.requestHash,
      created_at: w.now,
      updated_at: w.now,
    })
    .onConflict((oc) => oc.columns(['wisher_id', 'client_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export async function insertEvent(
  db: Db,
  e: { wishId: string; regionId: string; action: WishAction; from: WishStatus | null; to: WishStatus; actorId: string | null; note?: string | null; photoIds?: string[]; detail?: Record<string, unknown>; at: Date },
) {
  await db
    .insertInto('wish_events')
    .values({
      wish_id: e.wishId,
      region_id: e.regionId,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      actor_id: e.actorId,
      note: e.note ?? null,
      photo_ids: e.photoIds ?? [],
      detail: JSON.stringify(e.detail ?? {}),
      created_at: e.at,
    })
    .execute();
}

export function events(db: Db, wishId: string) {
  return db
    .selectFrom('wish_events as e')
    .leftJoin('users as a', 'a.id', 'e.actor_id')
    .select(['e.id', 'e.action', 'e.from_status', 'e.to_status', 'e.note', 'e.photo_ids', 'e.created_at', 'a.name as actor_name', 'a.role as actor_role'])
    .where('e.wish_id', '=', wishId)
    .orderBy('e.id')
    .execute();
}
export type EventRow = Awaited<ReturnType<typeof events>>[number];

/** The nearest settings above a region: its street's, else its district's, else the defaults. */
export async function settingsFor(db: Db, regionId: string) {
  const row = await db
    .selectFrom('wish_settings')
    .selectAll()
    .where((eb) => eb(sql.val(regionId), 'like', sql<string>`region_id || '%'`))
    .orderBy(sql`length(region_id)`, 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? { region_id: null, value_cap_yuan: WISH_DEFAULTS.valueCapYuan, claim_days: WISH_DEFAULTS.claimDays };
}

export function saveSettings(db: Db, regionId: string, s: { valueCapYuan: number; claimDays: number }, now: Date) {
  return db
    .insertInto('wish_settings')
    .values({ region_id: regionId, value_cap_yuan: s.valueCapYuan, claim_days: s.claimDays, updated_at: now })
    .onConflict((oc) => oc.column('region_id').doUpdateSet({ value_cap_yuan: s.valueCapYuan, claim_days: s.claimDays, updated_at: now }))
    .execute();
}

/** `%` and `_` are wildcards in LIKE: a search for "50%" means the characters. */
const likeText = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface ListFilter {
  /** A region subtree (prefix). */
  regionPrefix: string;
  statuses?: readonly WishStatus[];
  kind?: WishKind;
  q?: string;
  wisherId?: string;
  claimantUserId?: string;
  claimantPartnerId?: string;
}

/** One page of wishes and the total, newest first (on the wall: open ones first). */
export async function list(db: Db, f: ListFilter, page: { page: number; pageSize: number }, order: 'newest' | 'wall' | 'claimed' = 'newest') {
  let q = db.selectFrom('wishes as w').where('w.region_id', 'like', `${f.regionPrefix}%`);
  if (f.statuses) q = q.where('w.status', 'in', [...f.statuses]);
  if (f.kind) q = q.where('w.kind', '=', f.kind);
  if (f.wisherId) q = q.where('w.wisher_id', '=', f.wisherId);
  if (f.claimantUserId) q = q.where('w.claimant_kind', '=', 'worker').where('w.claimant_user_id', '=', f.claimantUserId);
  if (f.claimantPartnerId) q = q.where('w.claimant_partner_id', '=', f.claimantPartnerId);
  if (f.q) {
    const pattern = likeText(f.q);
    q = q.where((eb) => eb.or([eb('w.title', 'ilike', pattern), eb('w.description', 'ilike', pattern)]));
  }
  const ids = q
    .select('w.id')
    .$call((b) => {
      if (order === 'wall') return b.orderBy(sql`w.status = 'published'`, 'desc').orderBy('w.published_at', 'desc');
      if (order === 'claimed') return b.orderBy('w.claimed_at', 'desc');
      return b.orderBy('w.created_at', 'desc');
    })
    .orderBy('w.id', 'desc')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
  const [idRows, total] = await Promise.all([ids.execute(), q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
  const rows = idRows.length ? await wishQuery(db).where('w.id', 'in', idRows.map((r) => r.id)).execute() : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: idRows.map((r) => byId.get(r.id)!), total: Number(total.n) };
}

/** Active staff of a partner: any of them acts for it, all of them hear about its claims. */
export async function partnerStaff(db: Db, partnerId: string) {
  const rows = await db.selectFrom('users').select('id').where('partner_id', '=', partnerId).where('role', '=', 'partner_staff').where('status', '=', 'active').execute();
  return rows.map((r) => r.id);
}

/** Claims past their expiry, locked for this process only (several may run the job at once). */
export function expiredClaimsForUpdate(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('wishes')
    .selectAll()
    .where('status', '=', 'claimed')
    .where('claim_expires_at', '<=', now)
    .orderBy('claim_expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Claims expiring within the warning window whose claimant was not yet told. */
export function expiringClaimsForUpdate(db: Db, now: Date, until: Date, limit: number) {
  return db
    .selectFrom('wishes')
    .selectAll()
    .where('status', '=', 'claimed')
    .where('expiry_warned_at', 'is', null)
    .where('claim_expires_at', '>', now)
    .where('claim_expires_at', '<=', until)
    .orderBy('claim_expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** Per child region: wishes by status (created in the period), and fulfilled / confirmed in it. */
export async function counts(db: Db, regionPrefix: string, childLength: number, period: { from: Date | null; to: Date | null }) {
  // A literal, not a parameter: GROUP BY must see the same expression as the select list.
  const child = sql<string>`substr(region_id, 1, ${sql.lit(Math.trunc(childLength))})`;
  let created = db.selectFrom('wishes').where('region_id', 'like', `${regionPrefix}%`);
  if (period.from) created = created.where('created_at', '>=', period.from);
  if (period.to) created = created.where('created_at', '<', period.to);
  const byStatus = await created
    .select([child.as('child'), 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([child, 'status'])
    .execute();
  const within = (column: 'fulfilled_at' | 'confirmed_at') => {
    const parts = [sql`${sql.ref(column)} is not null`];
    if (period.from) parts.push(sql`${sql.ref(column)} >= ${period.from}`);
    if (period.to) parts.push(sql`${sql.ref(column)} < ${period.to}`);
    return sql.join(parts, sql` and `);
  };
  const done = await db
    .selectFrom('wishes')
    .where('region_id', 'like', `${regionPrefix}%`)
    .select([
      child.as('child'),
      sql<number>`count(*) filter (where ${within('fulfilled_at')})`.as('fulfilled'),
      sql<number>`count(*) filter (where ${within('confirmed_at')})`.as('confirmed'),
      sql<number>`coalesce(sum(value_yuan) filter (where ${within('fulfilled_at')}), 0)`.as('value'),
    ])
    .groupBy(child)
    .execute();
  return { byStatus, done };
}

export function childRegions(db: Db, regionId: string, childLength: number) {
  if (childLength === regionId.length) return db.selectFrom('regions').select(['id', 'name']).where('id', '=', regionId).execute();
  return db.selectFrom('regions').select(['id', 'name']).where('parent_id', '=', regionId).orderBy('id').execute();
}
