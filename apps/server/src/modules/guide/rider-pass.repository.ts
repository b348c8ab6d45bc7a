import { sql } from 'kysely';
import type { PassState } from '@nuanxin/shared';
import type { Db } from '../../db/client.ts';

/** A worker with their profile, verification and pass (if they have one yet). */
export function workerQuery(db: Db) {
  return db
    .selectFrom('users as u')
    .innerJoin('regions as r', 'r.id', 'u.region_id')
    .leftJoin('worker_profiles as w', 'w.user_id', 'u.id')
    .leftJoin('rider_passes as p', 'p.worker_id', 'u.id')
    .select([
      'u.id as worker_id',
      'u.region_id',
      'r.name as region_name',
      'u.name',
      'u.phone',
      'u.status',
      'w.occupation',
      'w.platform_company',
      'w.identity_verified_at',
      'p.pass_no',
      'p.secret',
      'p.photo_id',
      'p.delivery_station',
      'p.revoked_at',
      'p.revoked_reason',
    ])
    .where('u.role', '=', 'worker');
}
export type WorkerPassRow = Awaited<ReturnType<ReturnType<typeof workerQuery>['executeTakeFirstOrThrow']>>;

export function findWorker(db: Db, workerId: string) {
  return workerQuery(db).where('u.id', '=', workerId).executeTakeFirst();
}

export function findByPassNo(db: Db, passNo: string) {
  return workerQuery(db).where('p.pass_no', '=', passNo).executeTakeFirst();
}

/** Creates the worker's pass once (a race keeps the first). */
export async function ensurePass(db: Db, row: { workerId: string; regionId: string; passNo: string; secret: string }): Promise<void> {
  await db
    .insertInto('rider_passes')
    .values({ worker_id: row.workerId, region_id: row.regionId, pass_no: row.passNo, secret: row.secret })
    .onConflict((oc) => oc.column('worker_id').doNothing())
    .execute();
}

/** SQL for a worker's pass state, so lists can filter on it; `validDays` after verification it expires. */
function stateSql(validDays: number) {
  return sql<PassState>`case
    when w.identity_verified_at is null then 'unverified'
    when p.revoked_at is not null then 'revoked'
    when w.identity_verified_at + make_interval(days => ${validDays}) < now() then 'expired'
    else 'active' end`;
}

export async function passPage(
  db: Db,
  f: { regionPrefix: string; state?: PassState; q?: string; validDays: number },
  page: { page: number; pageSize: number },
) {
  let base = db
    .selectFrom('users as u')
    .leftJoin('worker_profiles as w', 'w.user_id', 'u.id')
    .leftJoin('rider_passes as p', 'p.worker_id', 'u.id')
    .where('u.role', '=', 'worker')
    .where('u.status', '=', 'active')
    .where('u.region_id', 'like', `${f.regionPrefix}%`);
  if (f.state) base = base.where(stateSql(f.validDays), '=', f.state);
  if (f.q) base = base.where((eb) => eb.or([eb('u.name', 'like', `%${f.q}%`), eb('u.phone', 'like', `%${f.q}%`), eb('p.pass_no', '=', f.q!.toUpperCase())]));
  const ids = base.select('u.id');
  const [rows, total] = await Promise.all([
    workerQuery(db).where('u.id', 'in', ids).orderBy('u.created_at', 'desc').orderBy('u.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Logs one scan; for an accepted one, null when this guard already accepted this code step (a replay). */
export async function logScan(
  db: Db,
  scan: { regionId: string; guardId: string; workerId: string | null; passNo: string | null; step: number | null; result: 'ok' | 'forged' | 'expired' | 'replayed' | 'revoked' | 'unverified'; compoundId: string | null; at: Date },
): Promise<string | null> {
  const row = await db
    .insertInto('rider_pass_scans')
    .values({ region_id: scan.regionId, guard_id: scan.guardId, worker_id: scan.workerId, pass_no: scan.passNo, code_step: scan.step, result: scan.result, compound_place_id: scan.compoundId, scanned_at: scan.at })
    .onConflict((oc) => oc.columns(['guard_id', 'worker_id', 'code_step']).where('result', '=', 'ok').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export function lastScan(db: Db, workerId: string, since: Date) {
  return db
    .selectFrom('rider_pass_scans as s')
    .innerJoin('users as g', 'g.id', 's.guard_id')
    .leftJoin('partners as pt', 'pt.id', 'g.partner_id')
    .innerJoin('regions as r', 'r.id', 's.region_id')
    .leftJoin('guide_places as c', 'c.id', 's.compound_place_id')
    .select(['s.scanned_at', 's.compound_place_id', 'c.name as compound_name', 'pt.name as partner_name', 'r.name as region_name'])
    .where('s.worker_id', '=', workerId)
    .where('s.result', '=', 'ok')
    .where('s.scanned_at', '>=', since)
    // A scan at a compound's gate is what the worker wants to open; a staff check elsewhere comes second.
    .orderBy(sql`s.compound_place_id is null`)
    .orderBy('s.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function scanPage(db: Db, f: { regionPrefix?: string; guardId?: string; result?: string }, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('rider_pass_scans as s');
  if (f.regionPrefix !== undefined) base = base.where('s.region_id', 'like', `${f.regionPrefix}%`);
  if (f.guardId) base = base.where('s.guard_id', '=', f.guardId);
  if (f.result) base = base.where('s.result', '=', f.result as 'ok');
  const [rows, total] = await Promise.all([
    base
      .innerJoin('users as g', 'g.id', 's.guard_id')
      .leftJoin('partners as pt', 'pt.id', 'g.partner_id')
      .leftJoin('users as w', 'w.id', 's.worker_id')
      .select(['s.id', 's.region_id', 's.pass_no', 's.result', 's.scanned_at', 'g.name as guard_name', 'pt.name as partner_name', 'w.name as holder_name'])
      .orderBy('s.id', 'desc')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}
