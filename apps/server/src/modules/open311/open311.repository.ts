import { sql } from 'kysely';
import type { CaseStatus } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

/** SQL only: the reads behind Open311 and the one row it adds beside a case. */

/** Second-level categories in force (under a top level in force): Open311's services. */
export function services(db: Db, filter: { districtId?: string; code?: string }) {
  let query = db
    .selectFrom('case_categories as k')
    .innerJoin('case_categories as p', 'p.id', 'k.parent_id')
    .leftJoin('departments as d', 'd.id', 'k.department_id')
    .select(['k.id', 'k.region_id', 'k.code', 'k.name', 'k.limits', 'k.urgent_limits', 'k.working_hours', 'p.name as group_name', 'd.name as department_name'])
    .where('k.status', '=', 'active')
    .where('p.status', '=', 'active');
  if (filter.districtId) query = query.where('k.region_id', '=', filter.districtId);
  if (filter.code) query = query.where('k.code', '=', filter.code);
  return query.orderBy('k.region_id').orderBy('p.sort').orderBy('k.sort').orderBy('k.code').execute();
}
export type ServiceRow = Awaited<ReturnType<typeof services>>[number];

export function districtExists(db: Db, id: string) {
  return db.selectFrom('regions').select('id').where('id', '=', id).where('level', '=', 'district').executeTakeFirst();
}

/** The district whose station is nearest to a position (to tell apart services of the same code in two districts). */
export function nearestDistrict(db: Db, lat: number, lng: number) {
  const here = sql`ll_to_earth(${lat}, ${lng})`;
  return db
    .selectFrom('stations as s')
    .select(sql<string>`substr(s.region_id, 1, 6)`.as('district_id'))
    .orderBy(sql`ll_to_earth(s.lat, s.lng) <-> ${here}`)
    .limit(1)
    .executeTakeFirst();
}

/** Filed through Open311 by this key from this address since `since`: what the rate limit counts. */
export async function countRecent(db: Db, apiKeyHash: string, ip: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('open311_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('api_key_hash', '=', apiKeyHash)
    .where('ip', '=', ip)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface RequestFilter {
  ids?: string[];
  codes?: string[];
  districtId?: string;
  from?: Date;
  to?: Date;
  statuses?: readonly CaseStatus[];
  limit: number;
}

/**
 * Cases as Open311 requests: only the columns a public answer carries (no reporter, no assignee,
 * no notes), the department or grid that answers for it, and the latest refusal reason.
 */
export function requests(db: Db, f: RequestFilter) {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('case_categories as k', 'k.id', 'c.category_id')
    .leftJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('regions as grid', 'grid.id', 'c.grid_id')
    .select([
      'c.id',
      'c.status',
      'c.description',
      'c.address',
      'c.lat',
      'c.lng',
      'c.photo_ids',
      'c.urgent',
      'c.result',
      'c.outcome',
      'c.duplicate_of',
      'c.due_at',
      'c.handle_due_at',
      'c.created_at',
      'c.updated_at',
      'k.code',
      'k.name as service_name',
      'k.limits',
      'k.urgent_limits',
      'k.working_hours',
      sql<string | null>`coalesce(d.name, grid.name)`.as('agency'),
      sql<string | null>`(select e.detail->>'reason' from case_events e where e.case_id = c.id and e.action = 'reject' order by e.id desc limit 1)`.as('reject_reason'),
    ]);
  if (f.ids) query = query.where('c.id', 'in', f.ids);
  if (f.codes) query = query.where('k.code', 'in', f.codes);
  if (f.districtId) query = query.where('c.region_id', 'like', `${f.districtId}%`);
  if (f.from) query = query.where('c.created_at', '>=', f.from);
  if (f.to) query = query.where('c.created_at', '<=', f.to);
  if (f.statuses) query = query.where('c.status', 'in', [...f.statuses]);
  return query.orderBy('c.created_at', 'desc').orderBy('c.id').limit(f.limit).execute();
}
export type RequestRow = Awaited<ReturnType<typeof requests>>[number];

export function byToken(db: Db, token: string) {
  return db.selectFrom('open311_requests').select(['case_id', 'token']).where('token', '=', token).executeTakeFirst();
}
