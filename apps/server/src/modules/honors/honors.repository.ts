import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A round with its region name, active nominees and votes cast. */
export function roundQuery(db: Db) {
  return db
    .selectFrom('honor_rounds as r')
    .innerJoin('regions as g', 'g.id', 'r.region_id')
    .selectAll('r')
    .select((eb) => [
      'g.name as region_name',
      eb.selectFrom('honor_nominees as n').select(eb.fn.countAll<number>().as('n')).whereRef('n.round_id', '=', 'r.id').where('n.status', '=', 'active').as('nominee_count'),
      eb.selectFrom('honor_votes as v').select(eb.fn.countAll<number>().as('n')).whereRef('v.round_id', '=', 'r.id').as('vote_count'),
    ]);
}
export type RoundRow = Awaited<ReturnType<ReturnType<typeof roundQuery>['executeTakeFirstOrThrow']>>;

export function findRound(db: Db, id: string) {
  return roundQuery(db).where('r.id', '=', id).executeTakeFirst();
}

/** Locks the round row: moves take it FOR UPDATE, votes FOR SHARE (so closing waits for votes in flight). */
export function lockRound(db: Db, id: string, mode: 'update' | 'share') {
  const q = db.selectFrom('honor_rounds').selectAll().where('id', '=', id);
  return (mode === 'update' ? q.forUpdate() : q.forShare()).executeTakeFirst();
}

export interface RoundFilter {
  regionPrefix: string;
  status?: string | undefined;
  q?: string | undefined;
}

export async function listRounds(db: Db, f: RoundFilter, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('honor_rounds as r').where('r.region_id', 'like', `${f.regionPrefix}%`);
  if (f.status) base = base.where('r.status', '=', f.status as never);
  if (f.q) base = base.where('r.title', 'like', `%${escapeLike(f.q)}%`);
  const ids = base.select('r.id');
  const [rows, total] = await Promise.all([
    roundQuery(db)
      .where('r.id', 'in', ids)
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Nominees of a round with the worker's name, phone and community. */
export function nomineeQuery(db: Db) {
  return db
    .selectFrom('honor_nominees as n')
    .innerJoin('users as u', 'u.id', 'n.worker_id')
    .innerJoin('regions as c', 'c.id', 'n.region_id')
    .selectAll('n')
    .select(['u.name as worker_name', 'u.phone as worker_phone', 'c.name as community_name']);
}
export type NomineeRow = Awaited<ReturnType<ReturnType<typeof nomineeQuery>['executeTakeFirstOrThrow']>>;

export function nomineesOf(db: Db, roundIds: readonly string[], options: { activeOnly?: boolean; honoredOnly?: boolean } = {}) {
  if (roundIds.length === 0) return Promise.resolve([] as NomineeRow[]);
  let q = nomineeQuery(db).where('n.round_id', 'in', [...roundIds]);
  if (options.activeOnly) q = q.where('n.status', '=', 'active');
  if (options.honoredOnly) q = q.where('n.honored', '=', true);
  return q.orderBy(sql`n.rank nulls last`).orderBy('n.votes', 'desc').orderBy('n.created_at').execute();
}

/** Rounds open to a worker of this community: nominating or voting, covering the community. */
export function currentRoundsFor(db: Db, communityId: string) {
  return roundQuery(db)
    .where('r.status', 'in', ['nominating', 'voting'])
    .where((eb) => eb(sql.val(communityId), 'like', sql<string>`r.region_id || '%'`))
    .orderBy('r.voting_ends_at')
    .limit(20)
    .execute();
}

export function votesOf(db: Db, voterId: string, roundIds: readonly string[]) {
  if (roundIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('honor_votes').select(['round_id', 'nominee_id']).where('voter_id', '=', voterId).where('round_id', 'in', [...roundIds]).execute();
}

/** Inserts the vote unless this voter already voted in the round; returns whether it was inserted. */
export async function insertVote(db: Db, v: { roundId: string; voterId: string; nomineeId: string; regionId: string }): Promise<boolean> {
  const row = await db
    .insertInto('honor_votes')
    .values({ round_id: v.roundId, voter_id: v.voterId, nominee_id: v.nomineeId, region_id: v.regionId })
    .onConflict((oc) => oc.columns(['round_id', 'voter_id']).doNothing())
    .returning('round_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countVote(db: Db, nomineeId: string): Promise<number> {
  const row = await db.updateTable('honor_nominees').set({ votes: sql`votes + 1` }).where('id', '=', nomineeId).returning('votes').executeTakeFirstOrThrow();
  return row.votes;
}

export async function publishedRolls(db: Db, f: { regionPrefix?: string | undefined; q?: string | undefined }, page: { page: number; pageSize: number }) {
  let base = db.selectFrom('honor_rounds as r').where('r.status', '=', 'published');
  if (f.regionPrefix) base = base.where('r.region_id', 'like', `${f.regionPrefix}%`);
  if (f.q) base = base.where('r.title', 'like', `%${escapeLike(f.q)}%`);
  const ids = base.select('r.id');
  const [rows, total] = await Promise.all([
    roundQuery(db).where('r.id', 'in', ids).orderBy('r.published_at', 'desc').orderBy('r.id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

// ---- stories ----

export function storyQuery(db: Db) {
  return db
    .selectFrom('stories as s')
    .innerJoin('regions as g', 'g.id', 's.region_id')
    .leftJoin('users as u', 'u.id', 's.worker_id')
    .leftJoin('regions as c', 'c.id', 'u.region_id')
    .selectAll('s')
    .select(['g.name as region_name', 'u.name as worker_name', 'c.name as community_name']);
}
export type StoryRow = Awaited<ReturnType<ReturnType<typeof storyQuery>['executeTakeFirstOrThrow']>>;

export interface StoryFilter {
  regionPrefix?: string | undefined;
  status?: string | undefined;
  kind?: string | undefined;
  q?: string | undefined;
}

export async function listStories(db: Db, f: StoryFilter, page: { page: number; pageSize: number }, order: 'created' | 'published') {
  let base = db.selectFrom('stories as s');
  if (f.regionPrefix) base = base.where('s.region_id', 'like', `${f.regionPrefix}%`);
  if (f.status) base = base.where('s.status', '=', f.status as never);
  if (f.kind) base = base.where('s.kind', '=', f.kind as never);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    base = base.where((eb) => eb.or([eb('s.title', 'like', like), eb('s.body', 'like', like)]));
  }
  const ids = base.select('s.id');
  const [rows, total] = await Promise.all([
    storyQuery(db)
      .where('s.id', 'in', ids)
      .orderBy(order === 'published' ? 's.published_at' : 's.created_at', 'desc')
      .orderBy('s.id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Counts a view of a published story; nothing for any other state. */
export async function countView(db: Db, id: string): Promise<boolean> {
  const row = await db.updateTable('stories').set({ views: sql`views + 1` }).where('id', '=', id).where('status', '=', 'published').returning('id').executeTakeFirst();
  return row !== undefined;
}
