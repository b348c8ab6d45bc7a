import { isWithin, maskName, maskPhone, regionLevelOf, type HonorRoll, type HonorRound, type HonorRoundDetail, type PublicNominee, type RoundMove, type StaffNominee, type WorkerRound } from '@nuanxin/shared';
import type { z } from 'zod';
import type { roundInput } from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { audit } from '../../common/audit.ts';
import { requireScope } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import type { Limit, RateLimiter } from '../../common/rate-limit.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import type { PointsService } from '../points/points.service.ts';
import { findRule } from '../points/points.repository.ts';
import { findRegion } from '../identity/identity.repository.ts';
import { deliver } from '../notices/inbox.ts';
import { NOMINATION_OPEN, ROUND_EDITABLE, nextRoundStatus, topByVotes } from './honors-workflow.ts';
import * as repo from './honors.repository.ts';

type RoundInput = z.output<typeof roundInput>;

/** Votes per worker: a person taps a few times, a script far more often. */
export const VOTE_LIMIT: Limit = { hits: 10, windowSeconds: 60 };

const iso = (d: Date) => d.toISOString();

function toRound(r: repo.RoundRow): HonorRound {
  return {
    id: r.id,
    regionId: r.region_id,
    regionName: r.region_name,
    title: r.title,
    description: r.description,
    periodKind: r.period_kind,
    year: r.year,
    quarter: r.quarter,
    honorees: r.honorees,
    nominationStartsAt: iso(r.nomination_starts_at),
    nominationEndsAt: iso(r.nomination_ends_at),
    votingStartsAt: iso(r.voting_starts_at),
    votingEndsAt: iso(r.voting_ends_at),
    status: r.status,
    nominees: Number(r.nominee_count ?? 0),
    votes: Number(r.vote_count ?? 0),
    publishedAt: r.published_at ? iso(r.published_at) : null,
    createdAt: iso(r.created_at),
  };
}

function checkWindows(input: RoundInput): void {
  const [a, b, c, d] = [input.nominationStartsAt, input.nominationEndsAt, input.votingStartsAt, input.votingEndsAt].map((s) => Date.parse(s)) as [number, number, number, number];
  const periodOk = (input.periodKind === 'quarter') === (input.quarter !== null);
  if (!(a < b && b <= c && c < d) || !periodOk) throw new AppError('HONOR_WINDOWS_INVALID');
}

/** 金牌先锋 selections: rounds, nominations, one vote per worker per round, publication with points. */
export class HonorsService {
  private readonly clock: () => Date;

  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
    private readonly points: PointsService,
    private readonly limiter: RateLimiter,
    options: { clock?: () => Date } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  private toStaffNominee(n: repo.NomineeRow): StaffNominee {
    return {
      id: n.id,
      roundId: n.round_id,
      regionId: n.region_id,
      communityName: n.community_name,
      workerId: n.worker_id,
      workerName: n.worker_name ?? maskName(null),
      phoneMasked: maskPhone(n.worker_phone),
      reason: n.reason,
      photos: this.media.links(n.photo_ids),
      votes: n.votes,
      status: n.status,
      honored: n.honored,
      rank: n.rank,
      points: n.points,
      createdAt: iso(n.created_at),
    };
  }

  private toPublicNominee(n: repo.NomineeRow): PublicNominee {
    return { id: n.id, maskedName: maskName(n.worker_name), communityName: n.community_name, reason: n.reason, photos: this.media.links(n.photo_ids), votes: n.votes, rank: n.rank };
  }

  // ---- staff: rounds ----

  async list(actor: Actor, query: { regionId?: string | undefined; status?: string | undefined; q?: string | undefined; page: number; pageSize: number }) {
    if (query.regionId) requireScope(actor, query.regionId);
    const { rows, total } = await repo.listRounds(this.database.db, { regionPrefix: query.regionId ?? actor.scopeId, status: query.status, q: query.q }, query);
    return { items: rows.map(toRound), total, page: query.page, pageSize: query.pageSize };
  }

  private async checkRegion(db: Db, actor: Actor, regionId: string) {
    requireScope(actor, regionId);
    const region = await findRegion(db, regionId);
    if (!region) throw new AppError('REGION_NOT_FOUND');
    const level = regionLevelOf(regionId);
    if (level !== 'street' && level !== 'district') throw new AppError('HONOR_REGION_INVALID');
  }

  async create(actor: Actor, ctx: RequestContext, input: RoundInput): Promise<HonorRound> {
    checkWindows(input);
    return withTransaction(this.database.db, async (tx) => {
      await this.checkRegion(tx, actor, input.regionId);
      const { id } = await tx
        .insertInto('honor_rounds')
        .values({ ...this.columns(input), created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(tx, actor, ctx, { action: 'honor.round.create', entity: 'honor_round', entityId: id, regionId: input.regionId, detail: { title: input.title } });
      return toRound((await repo.findRound(tx, id))!);
    });
  }

  private columns(input: RoundInput) {
    return {
      region_id: input.regionId,
      title: input.title,
      description: input.description,
      period_kind: input.periodKind,
      year: input.year,
      quarter: input.quarter,
      honorees: input.honorees,
      nomination_starts_at: new Date(input.nominationStartsAt),
      nomination_ends_at: new Date(input.nominationEndsAt),
      voting_starts_at: new Date(input.votingStartsAt),
      voting_ends_at: new Date(input.votingEndsAt),
    };
  }

  async update(actor: Actor, ctx: RequestContext, id: string, input: RoundInput): Promise<HonorRound> {
    checkWindows(input);
    return withTransaction(this.database.db, async (tx) => {
      const round = await repo.lockRound(tx, id, 'update');
      if (!round) throw new AppError('NOT_FOUND');
      requireScope(actor, round.region_id);
      if (!ROUND_EDITABLE.includes(round.status)) throw new AppError('HONOR_ILLEGAL_MOVE');
      await this.checkRegion(tx, actor, input.regionId);
      // Nominees must stay inside the round's region.
      if (input.regionId !== round.region_id) {
        const outside = await tx.selectFrom('honor_nominees').select('id').where('round_id', '=', id).where('status', '=', 'active').where('region_id', 'not like', `${input.regionId}%`).executeTakeFirst();
        if (outside) throw new AppError('HONOR_REGION_INVALID');
      }
      await tx.updateTable('honor_rounds').set({ ...this.columns(input), updated_at: this.clock() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: 'honor.round.update', entity: 'honor_round', entityId: id, regionId: input.regionId, detail: { title: input.title } });
      return toRound((await repo.findRound(tx, id))!);
    });
  }

  /** Staff see names (need-to-know) and masked phones; the read is audited. */
  async detail(actor: Actor, ctx: RequestContext, id: string): Promise<HonorRoundDetail> {
    const db = this.database.db;
    const round = await repo.findRound(db, id);
    if (!round) throw new AppError('NOT_FOUND');
    requireScope(actor, round.region_id);
    const nominees = await repo.nomineesOf(db, [id]);
    await withTransaction(db, (tx) => audit(tx, actor, ctx, { action: 'honor.round.read', entity: 'honor_round', entityId: id, regionId: round.region_id, detail: { nominees: nominees.length } }));
    return { ...toRound(round), items: nominees.map((n) => this.toStaffNominee(n)) };
  }

  async move(actor: Actor, ctx: RequestContext, id: string, input: { move: RoundMove; reason: string }): Promise<HonorRound> {
    return withTransaction(this.database.db, async (tx) => {
      const round = await repo.lockRound(tx, id, 'update');
      if (!round) throw new AppError('NOT_FOUND');
      requireScope(actor, round.region_id);
      const to = nextRoundStatus(round.status, input.move);
      if (!to) throw new AppError('HONOR_ILLEGAL_MOVE', { status: round.status, move: input.move });
      if (input.move === 'open_voting') {
        const any = await tx.selectFrom('honor_nominees').select('id').where('round_id', '=', id).where('status', '=', 'active').executeTakeFirst();
        if (!any) throw new AppError('HONOR_NO_NOMINEES');
      }
      await tx.updateTable('honor_rounds').set({ status: to, updated_at: this.clock() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: `honor.round.${input.move}`, entity: 'honor_round', entityId: id, regionId: round.region_id, detail: { from: round.status, to, reason: input.reason } });
      return toRound((await repo.findRound(tx, id))!);
    });
  }

  // ---- staff: nominations ----

  async nominate(actor: Actor, ctx: RequestContext, roundId: string, input: { workerId: string; reason: string; photoIds: string[] }): Promise<StaffNominee> {
    return withTransaction(this.database.db, async (tx) => {
      const round = await repo.lockRound(tx, roundId, 'update');
      if (!round) throw new AppError('NOT_FOUND');
      requireScope(actor, round.region_id);
      if (!NOMINATION_OPEN.includes(round.status)) throw new AppError('HONOR_ILLEGAL_MOVE', { status: round.status, move: 'nominate' });
      const worker = await tx.selectFrom('users').select(['id', 'region_id', 'role', 'status']).where('id', '=', input.workerId).executeTakeFirst();
      if (!worker || worker.role !== 'worker' || worker.status !== 'active' || !isWithin(worker.region_id, round.region_id)) throw new AppError('HONOR_NOMINEE_INVALID');
      const earlier = await tx.selectFrom('honor_nominees').select(['id', 'status', 'photo_ids']).where('round_id', '=', roundId).where('worker_id', '=', worker.id).executeTakeFirst();
      if (earlier?.status === 'active') throw new AppError('HONOR_ALREADY_NOMINATED');
      let id: string;
      if (earlier) {
        // A withdrawn nomination comes back with the new reason.
        id = earlier.id;
        await tx.updateTable('honor_nominees').set({ status: 'active', reason: input.reason, photo_ids: input.photoIds, region_id: worker.region_id, nominated_by: actor.userId }).where('id', '=', id).execute();
        await this.media.attach(tx, actor.userId, input.photoIds.filter((p) => !earlier.photo_ids.includes(p)), `honor:${id}`);
      } else {
        ({ id } = await tx
          .insertInto('honor_nominees')
          .values({ round_id: roundId, region_id: worker.region_id, worker_id: worker.id, reason: input.reason, photo_ids: input.photoIds, nominated_by: actor.userId })
          .returning('id')
          .executeTakeFirstOrThrow());
        await this.media.attach(tx, actor.userId, input.photoIds, `honor:${id}`);
      }
      await audit(tx, actor, ctx, { action: 'honor.nominate', entity: 'honor_nominee', entityId: id, regionId: round.region_id, detail: { roundId, workerId: worker.id } });
      await deliver(tx, [{ userId: worker.id, topic: 'honor', title: '您被提名为金牌先锋候选人', body: `您已被提名参加「${round.title}」评选，投票开始后同行们可以为您投票。`, link: '/honors', subject: { kind: 'honor_round', id: roundId }, key: `honor:${id}:nominated` }]);
      return this.toStaffNominee(await repo.nomineeQuery(tx).where('n.id', '=', id).executeTakeFirstOrThrow());
    });
  }

  async withdrawNominee(actor: Actor, ctx: RequestContext, nomineeId: string): Promise<StaffNominee> {
    return withTransaction(this.database.db, async (tx) => {
      const nominee = await tx.selectFrom('honor_nominees').select(['id', 'round_id', 'status']).where('id', '=', nomineeId).executeTakeFirst();
      if (!nominee) throw new AppError('NOT_FOUND');
      const round = (await repo.lockRound(tx, nominee.round_id, 'update'))!;
      requireScope(actor, round.region_id);
      if (!NOMINATION_OPEN.includes(round.status) || nominee.status !== 'active') throw new AppError('HONOR_ILLEGAL_MOVE', { status: round.status, move: 'withdraw' });
      await tx.updateTable('honor_nominees').set({ status: 'withdrawn' }).where('id', '=', nomineeId).execute();
      await audit(tx, actor, ctx, { action: 'honor.nominee.withdraw', entity: 'honor_nominee', entityId: nomineeId, regionId: round.region_id, detail: { roundId: round.id } });
      return this.toStaffNominee(await repo.nomineeQuery(tx).where('n.id', '=', nomineeId).executeTakeFirstOrThrow());
    });
  }

  // ---- workers: follow and vote ----

  private votingOpen(round: { status: string; voting_starts_at: Date; voting_ends_at: Date }, now = this.clock()): boolean {
    return round.status === 'voting' && round.voting_starts_at <= now && now < round.voting_ends_at;
  }

  /** Counts are shown live while voting runs (a public vote); nominees appear once voting opens. */
  async current(actor: Actor): Promise<{ items: WorkerRound[] }> {
    const db = this.database.db;
    const rounds = await repo.currentRoundsFor(db, actor.regionId);
    const voting = rounds.filter((r) => r.status === 'voting').map((r) => r.id);
    const [nominees, votes] = await Promise.all([repo.nomineesOf(db, voting, { activeOnly: true }), repo.votesOf(db, actor.userId, voting)]);
    return {
      items: rounds.map((r) => ({
        id: r.id,
        regionName: r.region_name,
        title: r.title,
        description: r.description,
        honorees: r.honorees,
        status: r.status,
        votingStartsAt: iso(r.voting_starts_at),
        votingEndsAt: iso(r.voting_ends_at),
        votingOpen: this.votingOpen(r),
        myVote: votes.find((v) => v.round_id === r.id)?.nominee_id ?? null,
        nominees: nominees.filter((n) => n.round_id === r.id).map((n) => this.toPublicNominee(n)),
      })),
    };
  }

  /**
   * One vote per worker per round, for an active nominee, inside the window; it cannot be changed.
   * The round is read FOR SHARE (a close waits for votes in flight); the primary key (round, voter)
   * refuses a second vote whatever the concurrency, and the nominee's counter moves in the same
   * transaction. The same vote sent again (a retry) is answered as the first time.
   */
  async vote(actor: Actor, roundId: string, nomineeId: string) {
    await this.limiter.take([[`honor-vote:${actor.userId}`, VOTE_LIMIT]]);
    return withTransaction(this.database.db, async (tx) => {
      const round = await repo.lockRound(tx, roundId, 'share');
      if (!round) throw new AppError('NOT_FOUND');
      if (!isWithin(actor.regionId, round.region_id)) throw new AppError('HONOR_VOTE_OUT_OF_REGION');
      if (!this.votingOpen(round)) throw new AppError('HONOR_VOTING_CLOSED');
      const nominee = await tx.selectFrom('honor_nominees').select(['id', 'votes']).where('id', '=', nomineeId).where('round_id', '=', roundId).where('status', '=', 'active').executeTakeFirst();
      if (!nominee) throw new AppError('NOT_FOUND');
      const inserted = await repo.insertVote(tx, { roundId, voterId: actor.userId, nomineeId, regionId: actor.regionId });
      if (!inserted) {
        const earlier = await tx.selectFrom('honor_votes').select(['nominee_id', 'created_at']).where('round_id', '=', roundId).where('voter_id', '=', actor.userId).executeTakeFirstOrThrow();
        if (earlier.nominee_id !== nomineeId) throw new AppError('HONOR_ALREADY_VOTED');
        const now = await tx.selectFrom('honor_nominees').select('votes').where('id', '=', nomineeId).executeTakeFirstOrThrow();
        return { roundId, nomineeId, votes: now.votes, createdAt: iso(earlier.created_at) };
      }
      const votes = await repo.countVote(tx, nomineeId);
      return { roundId, nomineeId, votes, createdAt: iso(this.clock()) };
    });
  }

  // ---- publication ----

  /**
   * Publishes a closed round: the honorees are the ones staff picked (in rank order) or the top N
   * by votes (a tie at the last place is refused, staff decide). With a rule of category 荣誉表彰,
   * each honoree is paid once (source `honor`, the nominee row id); a refusal by the ledger (cap,
   * suspension) is recorded on the row and does not stop the publication.
   */
  async publish(actor: Actor, ctx: RequestContext, id: string, input: { honoreeIds?: string[] | undefined; ruleId: string | null }): Promise<HonorRoundDetail> {
    return withTransaction(this.database.db, async (tx) => {
      const round = await repo.lockRound(tx, id, 'update');
      if (!round) throw new AppError('NOT_FOUND');
      requireScope(actor, round.region_id);
      if (!nextRoundStatus(round.status, 'publish')) throw new AppError('HONOR_ILLEGAL_MOVE', { status: round.status, move: 'publish' });
      const nominees = await repo.nomineesOf(tx, [id], { activeOnly: true });
      let picked: repo.NomineeRow[];
      if (input.honoreeIds) {
        const byId = new Map(nominees.map((n) => [n.id, n]));
        if (input.honoreeIds.length > round.honorees || input.honoreeIds.some((h) => !byId.has(h))) throw new AppError('HONOR_PICK_INVALID', { max: round.honorees });
        picked = input.honoreeIds.map((h) => byId.get(h)!);
      } else {
        const top = topByVotes(nominees, round.honorees);
        if ('tieAt' in top) throw new AppError('HONOR_TIE', { rank: top.tieAt });
        picked = top.picked;
      }
      if (picked.length === 0) throw new AppError('HONOR_PICK_INVALID', { max: round.honorees });

      const rule = input.ruleId ? await findRule(tx, input.ruleId) : null;
      if (input.ruleId && (!rule || rule.category !== 'honor' || rule.kind !== 'earn' || rule.status !== 'active' || !round.region_id.startsWith(rule.region_id))) {
        throw new AppError('HONOR_RULE_INVALID');
      }

      for (const [index, n] of picked.entries()) {
        let points = 0;
        let refusal: string | null = null;
        if (rule) {
          const worker = await tx.selectFrom('users').select(['id', 'region_id']).where('id', '=', n.worker_id).executeTakeFirstOrThrow();
          const result = await this.points.awardOrSkip(tx, { worker: { userId: worker.id, regionId: worker.region_id }, rule, sourceType: 'honor', sourceId: n.id, actorId: actor.userId, reason: `${rule.name}：${round.title}` });
          if ('skipped' in result) refusal = result.skipped;
          else points = result.amount;
        }
        await tx.updateTable('honor_nominees').set({ honored: true, rank: index + 1, points, award_refusal: refusal }).where('id', '=', n.id).execute();
      }
      const now = this.clock();
      await tx.updateTable('honor_rounds').set({ status: 'published', published_at: now, updated_at: now }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: 'honor.round.publish', entity: 'honor_round', entityId: id, regionId: round.region_id, detail: { honoreeIds: picked.map((p) => p.id), ruleId: input.ruleId, picked: input.honoreeIds ? 'staff' : 'votes' } });
      await deliver(
        tx,
        picked.map((n) => ({ userId: n.worker_id, topic: 'honor' as const, title: '恭喜您获评金牌先锋', body: `您在「${round.title}」评选中获评金牌先锋，感谢您为社区作出的贡献！`, link: `/honors/rolls/${id}`, subject: { kind: 'honor_round', id }, key: `honor:${n.id}:honored` })),
      );
      const after = (await repo.findRound(tx, id))!;
      return { ...toRound(after), items: (await repo.nomineesOf(tx, [id])).map((n) => this.toStaffNominee(n)) };
    });
  }

  // ---- public honor rolls ----

  private toRoll(r: repo.RoundRow, honorees: repo.NomineeRow[]): HonorRoll {
    return {
      id: r.id,
      regionId: r.region_id,
      regionName: r.region_name,
      title: r.title,
      description: r.description,
      periodKind: r.period_kind,
      year: r.year,
      quarter: r.quarter,
      publishedAt: iso(r.published_at!),
      votes: Number(r.vote_count ?? 0),
      honorees: honorees.filter((n) => n.round_id === r.id).map((n) => ({ id: n.id, maskedName: maskName(n.worker_name), communityName: n.community_name, reason: n.reason, votes: n.votes, rank: n.rank })),
    };
  }

  async rolls(query: { regionId?: string | undefined; q?: string | undefined; page: number; pageSize: number }) {
    const db = this.database.db;
    const { rows, total } = await repo.publishedRolls(db, { regionPrefix: query.regionId, q: query.q }, query);
    const honorees = await repo.nomineesOf(db, rows.map((r) => r.id), { honoredOnly: true });
    return { items: rows.map((r) => this.toRoll(r, honorees)), total, page: query.page, pageSize: query.pageSize };
  }

  async roll(id: string): Promise<HonorRoll> {
    const db = this.database.db;
    const round = await repo.findRound(db, id);
    if (!round || round.status !== 'published') throw new AppError('NOT_FOUND');
    return this.toRoll(round, await repo.nomineesOf(db, [id], { honoredOnly: true }));
  }
}
