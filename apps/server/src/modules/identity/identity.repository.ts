import { sql } from 'kysely';
import type { Occupation, Role } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';
import type { NewUser } from '../../db/schema.ts';

/** SQL only. Every function takes the executor (database or transaction) it should run on. */

export function findUserByPhone(db: Db, phone: string) {
  return db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export function findUserByUsername(db: Db, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertUser(db: Db, user: NewUser) {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

/** The account with the names a screen shows: region, home community, organisation. */
export function findUserView(db: Db, id: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.id', 'u.region_id')
    .leftJoin('worker_profiles as wp', 'wp.user_id', 'u.id')
    .leftJoin('regions as home', 'home.id', 'wp.region_id')
    .leftJoin('departments as d', 'd.id', 'u.department_id')
    .leftJoin('partners as p', 'p.id', 'u.partner_id')
    .leftJoin('stations as s', 's.id', 'u.station_id')
    .select([
      'u.id',
      'u.role',
      'u.name',
      'u.phone',
      'u.username',
      'u.region_id',
      'u.status',
      'r.name as region_name',
      'wp.occupation',
      'wp.platform_company',
      'wp.vehicle',
      'wp.region_id as home_id',
      'home.name as home_name',
      'u.station_id',
      sql<string | null>`coalesce(d.name, p.name, s.name)`.as('organization'),
    ])
    .where('u.id', '=', id)
    .executeTakeFirst();
}
export type UserView = NonNullable<Awaited<ReturnType<typeof findUserView>>>;

export function findRegion(db: Db, id: string) {
  return db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listDepartments(db: Db) {
  return db.selectFrom('departments').select(['id', 'region_id', 'name', 'kind']).orderBy('region_id').orderBy('name').execute();
}

export function listRegions(db: Db) {
  return db.selectFrom('regions').select(['id', 'parent_id', 'level', 'name']).orderBy('id').execute();
}

/** The region new phone sign-ups belong to until they pick a home community. */
export async function defaultSignupRegion(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('regions').select('id').where('level', '=', 'district').orderBy('id').limit(1).executeTakeFirst();
  return row?.id;
}

export async function upsertWorkerProfile(
  db: Db,
  userId: string,
  profile: { regionId: string; occupation: Occupation; platformCompany: string | null; vehicle: string | null },
) {
  await db
    .insertInto('worker_profiles')
    .values({
      user_id: userId,
      region_id: profile.regionId,
      occupation: profile.occupation,
      platform_company: profile.platformCompany,
      vehicle: profile.vehicle,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        region_id: profile.regionId,
        occupation: profile.occupation,
        platform_company: profile.platformCompany,
        vehicle: profile.vehicle,
        updated_at: new Date(),
      }),
    )
    .execute();
}

export function updateUser(db: Db, id: string, changes: { name?: string; region_id?: string; status?: 'active' | 'disabled' }) {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- one-time codes ----

export function countCodesSince(db: Db, column: 'phone' | 'ip', value: string, since: Date) {
  return db
    .selectFrom('sms_codes')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('created_at').as('latest')])
    .where(column, '=', value)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
}

export function insertCode(db: Db, code: { phone: string; ip: string; codeHash: string; expiresAt: Date }) {
  return db
    .insertInto('sms_codes')
    .values({ phone: code.phone, ip: code.ip, code_hash: code.codeHash, expires_at: code.expiresAt })
    .execute();
}

/** The newest code sent to a phone; asking again replaces every earlier code. */
export function latestCode(db: Db, phone: string) {
  return db
    .selectFrom('sms_codes')
    .selectAll()
    .where('phone', '=', phone)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Counts a wrong try; returns the new count, or nothing when the code was already locked. */
export async function countWrongTry(db: Db, codeId: string, maxTries: number) {
  const row = await db
    .updateTable('sms_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', codeId)
    .where('attempts', '<', maxTries)
    .returning('attempts')
    .executeTakeFirst();
  return row?.attempts;
}

/** Marks a code used; false when another request used it first. */
export async function consumeCode(db: Db, codeId: string): Promise<boolean> {
  const result = await db
    .updateTable('sms_codes')
    .set({ consumed_at: new Date() })
    .where('id', '=', codeId)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

// ---- sessions ----

export function insertSession(
  db: Db,
  session: { userId: string; regionId: string; tokenHash: string; expiresAt: Date; ip: string; userAgent: string | null },
) {
  return db
    .insertInto('sessions')
    .values({
      user_id: session.userId,
      region_id: session.regionId,
      token_hash: session.tokenHash,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

/** A live session with what access checks need about its user. */
export function findLiveSession(db: Db, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as session_id', 's.expires_at', 'u.id as user_id', 'u.role', 'u.region_id', 'u.department_id', 'u.partner_id', 'u.station_id'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date())
    .where('u.status', '=', 'active')
    .executeTakeFirst();
}

export function revokeSession(db: Db, sessionId: string) {
  return db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).where('revoked_at', 'is', null).execute();
}

export function revokeUserSessions(db: Db, userId: string) {
  return db.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

// ---- people in a region (staff views) ----

export interface PeopleFilter {
  scope: string;
  role?: Role | undefined;
  regionId?: string | undefined;
  q?: string | undefined;
}

function peopleQuery(db: Db, filter: PeopleFilter) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.id', 'u.region_id')
    .leftJoin('worker_profiles as wp', 'wp.user_id', 'u.id')
    .where('u.region_id', 'like', `${filter.regionId ?? filter.scope}%`);
  if (filter.role) query = query.where('u.role', '=', filter.role);
  if (filter.q) {
    const q = filter.q;
    const pattern = `%${q.replace(/[\\%_]/g, '\\$&')}%`;
    // A phone number is matched whole only: a partial match would let staff fish for numbers.
    query = query.where((eb) => eb.or([eb('u.name', 'like', pattern), eb('u.username', '=', q), eb('u.phone', '=', q)]));
  }
  return query;
}

export async function listPeople(db: Db, filter: PeopleFilter, page: { page: number; pageSize: number }) {
  const base = peopleQuery(db, filter);
  const [items, total] = await Promise.all([
    base
      .select(['u.id', 'u.role', 'u.name', 'u.phone', 'u.username', 'u.region_id', 'r.name as region_name', 'u.status', 'wp.occupation', 'u.created_at'])
      .orderBy('u.created_at', 'desc')
      .orderBy('u.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
export type PersonRow = Awaited<ReturnType<typeof listPeople>>['items'][number];

export function findPerson(db: Db, id: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.id', 'u.region_id')
    .leftJoin('worker_profiles as wp', 'wp.user_id', 'u.id')
    .select(['u.id', 'u.role', 'u.name', 'u.phone', 'u.username', 'u.region_id', 'r.name as region_name', 'u.status', 'wp.occupation', 'u.created_at'])
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export async function listAudit(db: Db, scope: string, action: string | undefined, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('audit_log as a').where('a.region_id', 'like', `${scope}%`);
  if (action) base = base.where('a.action', '=', action);
  const [items, total] = await Promise.all([
    base
      .leftJoin('users as u', 'u.id', 'a.actor_id')
      .select(['a.id', 'a.actor_id', 'u.name as actor_name', 'a.action', 'a.entity', 'a.entity_id', 'a.region_id', 'a.detail', 'a.created_at'])
      .orderBy('a.id', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function countInScope(db: Db, scope: string, monthStart: Date) {
  const like = `${scope}%`;
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('users').select(eb.fn.countAll<number>().as('n')).where('role', '=', 'worker').where('region_id', 'like', like).as('workers'),
      eb
        .selectFrom('users')
        .select(eb.fn.countAll<number>().as('n'))
        .where('role', '=', 'worker')
        .where('region_id', 'like', like)
        .where('created_at', '>=', monthStart)
        .as('workers_this_month'),
      eb.selectFrom('users').select(eb.fn.countAll<number>().as('n')).where('role', '<>', 'worker').where('region_id', 'like', like).as('staff'),
      eb.selectFrom('stations').select(eb.fn.countAll<number>().as('n')).where('region_id', 'like', like).as('stations'),
      eb.selectFrom('partners').select(eb.fn.countAll<number>().as('n')).where('region_id', 'like', like).as('partners'),
      eb.selectFrom('regions').select(eb.fn.countAll<number>().as('n')).where('level', '=', 'community').where('id', 'like', like).as('communities'),
    ])
    .executeTakeFirstOrThrow();
  return row as unknown as Record<'workers' | 'workers_this_month' | 'staff' | 'stations' | 'partners' | 'communities', number>;
}
