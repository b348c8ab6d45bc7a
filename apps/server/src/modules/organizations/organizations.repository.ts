import { sql } from 'kysely';
import type { OrganizationKind } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

interface Page {
  page: number;
  pageSize: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// ---- organizations ----

/** An organization with its region and station names and its member counts. */
export function organizationQuery(db: Db) {
  return db
    .selectFrom('organizations as o')
    .innerJoin('regions as r', 'r.id', 'o.region_id')
    .leftJoin('stations as s', 's.id', 'o.station_id')
    .selectAll('o')
    .select([
      'r.name as region_name',
      's.name as station_name',
      (eb) => eb.selectFrom('organization_members as m').whereRef('m.organization_id', '=', 'o.id').where('m.status', '=', 'verified').select((e) => e.fn.countAll<number>().as('n')).as('member_count'),
      (eb) => eb.selectFrom('organization_members as m').whereRef('m.organization_id', '=', 'o.id').where('m.status', '=', 'pending').select((e) => e.fn.countAll<number>().as('n')).as('pending_count'),
    ]);
}
export type OrganizationRow = Awaited<ReturnType<ReturnType<typeof organizationQuery>['executeTakeFirstOrThrow']>>;

export function findOrganization(db: Db, id: string) {
  return organizationQuery(db).where('o.id', '=', id).executeTakeFirst();
}

export function lockOrganization(db: Db, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface OrganizationFilter {
  scope: string;
  kind?: OrganizationKind | undefined;
  regionId?: string | undefined;
  status?: 'active' | 'dissolved' | undefined;
  q?: string | undefined;
}

export async function listOrganizations(db: Db, f: OrganizationFilter, page: Page) {
  let query = db.selectFrom('organizations as o').where('o.region_id', 'like', `${f.regionId ?? f.scope}%`);
  if (f.kind) query = query.where('o.kind', '=', f.kind);
  if (f.status) query = query.where('o.status', '=', f.status);
  if (f.q) query = query.where('o.name', 'like', `%${escapeLike(f.q)}%`);
  const ids = query.select('o.id');
  const [{ n }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    organizationQuery(db)
      .where('o.id', 'in', ids)
      .orderBy('o.status')
      .orderBy('o.region_id')
      .orderBy('o.kind')
      .orderBy('o.name')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
  ]);
  return { total: Number(n), items: rows };
}

/** Active organizations of a district a worker may join. */
export async function listChoices(db: Db, districtId: string, f: { kind?: OrganizationKind | undefined; q?: string | undefined }, page: Page) {
  let query = db.selectFrom('organizations as o').where('o.region_id', 'like', `${districtId}%`).where('o.status', '=', 'active');
  if (f.kind) query = query.where('o.kind', '=', f.kind);
  if (f.q) query = query.where('o.name', 'like', `%${escapeLike(f.q)}%`);
  const [{ n }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    organizationQuery(db)
      .where('o.id', 'in', query.select('o.id'))
      .orderBy('o.region_id')
      .orderBy('o.name')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
  ]);
  return { total: Number(n), items: rows };
}

export function staffOf(db: Db, organizationIds: string[]) {
  if (organizationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('organization_staff as os')
    .innerJoin('users as u', 'u.id', 'os.user_id')
    .select(['os.organization_id', 'os.user_id', 'os.role', 'u.name'])
    .where('os.organization_id', 'in', organizationIds)
    .orderBy('os.role', 'desc')
    .orderBy('os.created_at')
    .execute();
}

export async function isDesignated(db: Db, organizationId: string, userId: string, role: 'leader' | 'guide'): Promise<boolean> {
  const row = await db.selectFrom('organization_staff').select('user_id').where('organization_id', '=', organizationId).where('user_id', '=', userId).where('role', '=', role).executeTakeFirst();
  return Boolean(row);
}

export async function replaceStaff(db: Db, organizationId: string, regionId: string, staff: { userId: string; role: 'leader' | 'guide' }[]) {
  await db.deleteFrom('organization_staff').where('organization_id', '=', organizationId).execute();
  if (staff.length === 0) return;
  await db
    .insertInto('organization_staff')
    .values(staff.map((s) => ({ organization_id: organizationId, user_id: s.userId, region_id: regionId, role: s.role })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Staff accounts among `ids` (active, not workers), with their regions. */
export function staffUsers(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'region_id', 'role']).where('id', 'in', ids).where('role', '<>', 'worker').where('status', '=', 'active').execute();
}

// ---- memberships ----

export function memberQuery(db: Db) {
  return db
    .selectFrom('organization_members as m')
    .innerJoin('organizations as o', 'o.id', 'm.organization_id')
    .innerJoin('regions as r', 'r.id', 'o.region_id')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .leftJoin('regions as hr', 'hr.id', 'u.region_id')
    .leftJoin('users as d', 'd.id', 'm.decided_by')
    .selectAll('m')
    .select(['o.name as organization_name', 'o.status as organization_status', 'r.name as region_name', 'u.name as user_name', 'u.phone as user_phone', 'hr.name as home_community_name', 'd.name as decided_by_name']);
}
export type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['executeTakeFirstOrThrow']>>;

export function findMember(db: Db, id: string) {
  return memberQuery(db).where('m.id', '=', id).executeTakeFirst();
}

export function lockMember(db: Db, id: string) {
  return db.selectFrom('organization_members').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface MemberFilter {
  /** The region subtree shown; null: only the organizations in `organizationIds`. */
  scope: string | null;
  /** Organizations the caller leads, shown wherever they are. */
  organizationIds: string[];
  organizationId?: string | undefined;
  kind?: OrganizationKind | undefined;
  status?: string | undefined;
  partyStatus?: string | undefined;
  regionId?: string | undefined;
  q?: string | undefined;
}

export async function listMembers(db: Db, f: MemberFilter, page: Page) {
  let query = db.selectFrom('organization_members as m').innerJoin('users as u', 'u.id', 'm.user_id');
  query = query.where((eb) => {
    const visible = [];
    if (f.scope !== null) visible.push(eb('m.region_id', 'like', `${f.scope}%`));
    if (f.organizationIds.length > 0) visible.push(eb('m.organization_id', 'in', f.organizationIds));
    return visible.length > 0 ? eb.or(visible) : eb.val(false);
  });
  if (f.regionId) query = query.where('m.region_id', 'like', `${f.regionId}%`);
  if (f.organizationId) query = query.where('m.organization_id', '=', f.organizationId);
  if (f.kind) query = query.where('m.kind', '=', f.kind);
  if (f.status) query = query.where('m.status', '=', f.status as 'pending');
  if (f.partyStatus) query = query.where('m.party_status', '=', f.partyStatus as 'formal');
  if (f.q) query = query.where((eb) => eb.or([eb('u.name', 'like', `%${escapeLike(f.q!)}%`), eb('u.phone', 'like', `%${escapeLike(f.q!)}`)]));
  const [{ n }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    memberQuery(db)
      .where('m.id', 'in', query.select('m.id'))
      // The queue first (oldest waiting on top), then the rest newest first.
      .orderBy(sql`m.status = 'pending'`, 'desc')
      .orderBy(sql`case when m.status = 'pending' then m.created_at end`, 'asc')
      .orderBy('m.updated_at', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
  ]);
  return { total: Number(n), items: rows };
}

export function membershipsOf(db: Db, userId: string) {
  return memberQuery(db).where('m.user_id', '=', userId).orderBy('m.created_at', 'desc').limit(50).execute();
}

/** The open (pending or verified) membership that blocks a new one: same organization, or any party branch. */
export function openMembership(db: Db, userId: string, organizationId: string, kind: OrganizationKind) {
  return db
    .selectFrom('organization_members')
    .selectAll()
    .where('user_id', '=', userId)
    .where('status', 'in', ['pending', 'verified'])
    .where((eb) => (kind === 'party_branch' ? eb.or([eb('organization_id', '=', organizationId), eb('kind', '=', 'party_branch')]) : eb('organization_id', '=', organizationId)))
    .executeTakeFirst();
}

// ---- grid members ----

export function gridMemberQuery(db: Db) {
  return db
    .selectFrom('grid_members as g')
    .innerJoin('regions as c', 'c.id', 'g.community_id')
    .leftJoin('regions as gr', 'gr.id', 'g.grid_id')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .leftJoin('worker_profiles as wp', 'wp.user_id', 'g.user_id')
    .leftJoin('users as d', 'd.id', 'g.decided_by')
    .selectAll('g')
    .select(['c.name as community_name', 'gr.name as grid_name', 'u.name as user_name', 'u.phone as user_phone', 'wp.occupation', 'd.name as decided_by_name']);
}
export type GridMemberRow = Awaited<ReturnType<ReturnType<typeof gridMemberQuery>['executeTakeFirstOrThrow']>>;

export function findGridMember(db: Db, id: string) {
  return gridMemberQuery(db).where('g.id', '=', id).executeTakeFirst();
}

export function lockGridMember(db: Db, id: string) {
  return db.selectFrom('grid_members').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function latestGridMember(db: Db, userId: string) {
  return gridMemberQuery(db).where('g.user_id', '=', userId).orderBy(sql`g.status in ('applied', 'appointed')`, 'desc').orderBy('g.created_at', 'desc').limit(1).executeTakeFirst();
}

export async function listGridMembers(db: Db, f: { scope: string; status?: string | undefined; regionId?: string | undefined; q?: string | undefined }, page: Page) {
  let query = db.selectFrom('grid_members as g').innerJoin('users as u', 'u.id', 'g.user_id').where('g.region_id', 'like', `${f.scope}%`);
  if (f.regionId) query = query.where('g.region_id', 'like', `${f.regionId}%`);
  if (f.status) query = query.where('g.status', '=', f.status as 'applied');
  if (f.q) query = query.where((eb) => eb.or([eb('u.name', 'like', `%${escapeLike(f.q!)}%`), eb('u.phone', 'like', `%${escapeLike(f.q!)}`), eb('g.certificate_no', 'like', `%${escapeLike(f.q!)}%`)]));
  const [{ n }, rows] = await Promise.all([
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    gridMemberQuery(db)
      .where('g.id', 'in', query.select('g.id'))
      .orderBy(sql`g.status = 'applied'`, 'desc')
      .orderBy('g.updated_at', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
  ]);
  return { total: Number(n), items: rows };
}

/** The next certificate number of a grid in a year: 网格码-年份-序号. */
export async function nextCertificateNo(db: Db, gridId: string, year: string): Promise<string> {
  const prefix = `${gridId}-${year}-`;
  const { n } = await db.selectFrom('grid_members').select((eb) => eb.fn.countAll<number>().as('n')).where('certificate_no', 'like', `${prefix}%`).executeTakeFirstOrThrow();
  return `${prefix}${String(Number(n) + 1).padStart(3, '0')}`;
}

// ---- counts ----

/** Counts per child region of `regionId` (or for the region itself when it has no children). */
export async function statsByRegion(db: Db, regionId: string) {
  const depth = regionId.length + 3;
  const children = await db.selectFrom('regions').select(['id', 'name']).where('parent_id', '=', regionId).where('level', '<>', 'grid').orderBy('id').execute();
  // A literal, not a parameter: GROUP BY must see the same expression as the select list.
  const prefix = sql<string>`left(region_id, ${sql.lit(depth)})`;
  const [orgs, members, grid] = await Promise.all([
    db
      .selectFrom('organizations')
      .select([prefix.as('key'), 'kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('region_id', 'like', `${regionId}%`)
      .where('status', '=', 'active')
      .groupBy([prefix, 'kind'])
      .execute(),
    db
      .selectFrom('organization_members')
      .select([prefix.as('key'), 'kind', 'status', 'party_status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('region_id', 'like', `${regionId}%`)
      .where('status', 'in', ['pending', 'verified'])
      .groupBy([prefix, 'kind', 'status', 'party_status'])
      .execute(),
    db
      .selectFrom('grid_members')
      .select([prefix.as('key'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('region_id', 'like', `${regionId}%`)
      .where('status', '=', 'appointed')
      .groupBy(prefix)
      .execute(),
  ]);
  return { children, orgs, members, grid };
}
