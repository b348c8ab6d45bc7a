import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { phoneJpeg } from '../../../test/images.ts';
import { RateLimiter } from '../../common/rate-limit.ts';
import { AppError } from '../../common/errors.ts';
import { actorByUsername, bulkWorkers } from '../stations/visits.fixtures.ts';
import { nextRoundStatus, nextStoryStatus, topByVotes } from './honors-workflow.ts';
import { HonorsService } from './honors.service.ts';

const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
/** Nomination ran last week, voting runs from yesterday for a week. */
const OPEN_NOW = { nominationStartsAt: at(-72 * HOUR), nominationEndsAt: at(-48 * HOUR), votingStartsAt: at(-24 * HOUR), votingEndsAt: at(7 * 24 * HOUR) };
const ROUND = { regionId: '440114001', title: '2026年第四季度金牌先锋', periodKind: 'quarter', year: 2026, quarter: 4, honorees: 2, description: '新华街道季度评选', ...OPEN_NOW } as const;

describe('honors workflow', () => {
  it('allows only the moves of the machine', () => {
    expect(nextRoundStatus('draft', 'open_nomination')).toBe('nominating');
    expect(nextRoundStatus('nominating', 'open_voting')).toBe('voting');
    expect(nextRoundStatus('voting', 'close')).toBe('closed');
    expect(nextRoundStatus('closed', 'publish')).toBe('published');
    expect(nextRoundStatus('draft', 'open_voting')).toBeNull();
    expect(nextRoundStatus('voting', 'publish')).toBeNull();
    expect(nextRoundStatus('published', 'cancel')).toBeNull();
    expect(nextRoundStatus('cancelled', 'open_nomination')).toBeNull();
    expect(nextStoryStatus('draft', 'publish')).toBe('published');
    expect(nextStoryStatus('draft', 'withdraw')).toBeNull();
    expect(nextStoryStatus('withdrawn', 'publish')).toBe('published');
  });

  it('picks the top N by votes, and leaves a tie at the last place to staff', () => {
    const n = (id: string, votes: number) => ({ id, votes });
    expect(topByVotes([n('a', 1), n('b', 5), n('c', 3)], 2)).toEqual({ picked: [n('b', 5), n('c', 3)] });
    expect(topByVotes([n('a', 3), n('b', 5), n('c', 3)], 2)).toEqual({ tieAt: 2 });
    expect(topByVotes([n('a', 5), n('b', 5)], 2)).toEqual({ picked: [n('a', 5), n('b', 5)] });
    expect(topByVotes([n('a', 5)], 3)).toEqual({ picked: [n('a', 5)] });
  });
});

describe.each(DB_KINDS)('honors and stories on %s', (kind) => {
  let t: TestApp;
  let xinhua: string;
  let xinya: string;
  let district: string;
  let sanhua: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    xinhua = await t.loginStaff('xinhua');
    xinya = await t.loginStaff('xinya');
    district = await t.loginStaff('district');
    sanhua = await t.loginStaff('sanhua');
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const createRound = async (token: string, body: object = ROUND) => {
    const res = await t.request('POST', '/api/v1/honors/rounds', { token, body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { id: string; status: string };
  };
  const move = (token: string, id: string, m: string) => t.request('POST', `/api/v1/honors/rounds/${id}/moves`, { token, body: { move: m } });
  const nominate = (token: string, id: string, workerId: string, extra: object = {}) =>
    t.request('POST', `/api/v1/honors/rounds/${id}/nominees`, { token, body: { workerId, reason: '风雨无阻，热心帮助同行', ...extra } });
  const vote = (token: string, id: string, nomineeId: string) => t.request('POST', `/api/v1/honors/rounds/${id}/votes`, { token, body: { nomineeId } });
  /** A round in voting with the given workers nominated; returns the round and nominee ids. */
  async function votingRound(workerIds: string[], body: object = ROUND) {
    const round = await createRound(xinhua, body);
    expect((await move(xinhua, round.id, 'open_nomination')).statusCode).toBe(200);
    const nominees: string[] = [];
    for (const w of workerIds) {
      const res = await nominate(xinhua, round.id, w);
      expect(res.statusCode, res.body).toBe(200);
      nominees.push(res.json().id);
    }
    expect((await move(xinhua, round.id, 'open_voting')).statusCode).toBe(200);
    return { roundId: round.id, nominees };
  }

  it('runs a round draft → nominating → voting → closed → published and refuses illegal moves with 409', async () => {
    const round = await createRound(xinhua);
    expect(round.status).toBe('draft');
    for (const m of ['open_voting', 'close']) {
      const res = await move(xinhua, round.id, m);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('HONOR_ILLEGAL_MOVE');
    }
    expect((await move(xinhua, round.id, 'open_nomination')).json().status).toBe('nominating');
    // No nominee, no vote.
    expect((await move(xinhua, round.id, 'open_voting')).json().error.code).toBe('HONOR_NO_NOMINEES');
    const a = await t.newWorker('440114001001');
    const nominee = await nominate(xinhua, round.id, a.userId);
    expect(nominee.json()).toMatchObject({ workerName: '测试骑手', votes: 0, status: 'active' });
    expect(nominee.json().phoneMasked).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect((await nominate(xinhua, round.id, a.userId)).json().error.code).toBe('HONOR_ALREADY_NOMINATED');
    const told = await db().selectFrom('messages').select(['topic', 'title', 'link']).where('user_id', '=', a.userId).execute();
    expect(told).toEqual([{ topic: 'honor', title: '您被提名为金牌先锋候选人', link: '/honors' }]);
    expect((await move(xinhua, round.id, 'open_voting')).json().status).toBe('voting');
    expect((await nominate(xinhua, round.id, (await t.newWorker()).userId)).json().error.code).toBe('HONOR_ILLEGAL_MOVE');
    expect((await t.request('PUT', `/api/v1/honors/rounds/${round.id}`, { token: xinhua, body: ROUND })).json().error.code).toBe('HONOR_ILLEGAL_MOVE');
    expect((await t.request('POST', `/api/v1/honors/rounds/${round.id}/publish`, { token: xinhua, body: {} })).json().error.code).toBe('HONOR_ILLEGAL_MOVE');
    expect((await move(xinhua, round.id, 'close')).json().status).toBe('closed');
    const published = await t.request('POST', `/api/v1/honors/rounds/${round.id}/publish`, { token: xinhua, body: {} });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('published');
    expect((await move(xinhua, round.id, 'cancel')).json().error.code).toBe('HONOR_ILLEGAL_MOVE');
    const actions = await db().selectFrom('audit_log').select('action').where('entity_id', '=', round.id).orderBy('id').execute();
    expect(actions.map((x) => x.action)).toEqual(expect.arrayContaining(['honor.round.create', 'honor.round.open_nomination', 'honor.round.open_voting', 'honor.round.close', 'honor.round.publish']));
  });

  it('refuses bad rounds: community region, windows out of order, quarter mismatch, other region, wrong role', async () => {
    const bad = async (token: string, body: object, code: string, status: number) => {
      const res = await t.request('POST', '/api/v1/honors/rounds', { token, body });
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await bad(xinhua, { ...ROUND, regionId: '440114001001' }, 'HONOR_REGION_INVALID', 400);
    await bad(xinhua, { ...ROUND, votingStartsAt: at(-60 * HOUR) }, 'HONOR_WINDOWS_INVALID', 400);
    await bad(xinhua, { ...ROUND, periodKind: 'year' }, 'HONOR_WINDOWS_INVALID', 400);
    await bad(xinhua, { ...ROUND, regionId: '440114002' }, 'OUT_OF_SCOPE', 403);
    await bad(xinhua, { ...ROUND, honorees: 0 }, 'VALIDATION_FAILED', 400);
    await bad(xinhua, { ...ROUND, title: '<script>' }, 'VALIDATION_FAILED', 400);
    await bad(sanhua, ROUND, 'FORBIDDEN', 403);
    await bad((await t.newWorker()).token, ROUND, 'FORBIDDEN', 403);
    const round = await createRound(xinhua);
    // Another street's admin can neither see nor move it.
    expect((await move(xinya, round.id, 'open_nomination')).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/honors/rounds/${round.id}`, { token: xinya })).json().error.code).toBe('OUT_OF_SCOPE');
    const list = (await t.request('GET', '/api/v1/honors/rounds?status=draft', { token: xinya })).json();
    expect(list.items.every((r: { regionId: string }) => r.regionId.startsWith('440114002'))).toBe(true);
    // The district sees it, and searches by title.
    const found = (await t.request('GET', `/api/v1/honors/rounds?q=${encodeURIComponent('第四季度')}&regionId=440114001`, { token: district })).json();
    expect(found.items.map((r: { id: string }) => r.id)).toContain(round.id);
    expect((await t.request('GET', '/api/v1/honors/rounds?regionId=440114002', { token: xinhua })).json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('nominates only workers of the round’s region, with photos; workers see masked names and no phone', async () => {
    const round = await createRound(xinhua);
    await move(xinhua, round.id, 'open_nomination');
    const outsider = await t.newWorker('440114002001');
    expect((await nominate(xinhua, round.id, outsider.userId)).json().error.code).toBe('HONOR_NOMINEE_INVALID');
    const staffUser = await db().selectFrom('users').select('id').where('username', '=', 'grid01').executeTakeFirstOrThrow();
    expect((await nominate(xinhua, round.id, staffUser.id)).json().error.code).toBe('HONOR_NOMINEE_INVALID');
    const photo = await t.request('POST', '/api/v1/media', { token: xinhua, body: await phoneJpeg(), headers: { 'content-type': 'image/jpeg' } });
    const a = await t.newWorker('440114001002');
    const res = await nominate(xinhua, round.id, a.userId, { photoIds: [photo.json().id] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().photos).toHaveLength(1);
    expect((await nominate(xinhua, round.id, (await t.newWorker()).userId, { photoIds: [photo.json().id] })).json().error.code).toBe('PHOTO_NOT_USABLE');
    await move(xinhua, round.id, 'open_voting');
    const current = await t.request('GET', '/api/v1/honors/current', { token: a.token });
    const mine = current.json().items.find((r: { id: string }) => r.id === round.id);
    expect(mine.votingOpen).toBe(true);
    expect(mine.nominees[0]).toMatchObject({ maskedName: '测**手', communityName: '公益社区', votes: 0 });
    expect(current.body).not.toContain(a.phone);
    expect(current.body).not.toMatch(/phone|workerId/i);
    // A worker of 新雅街道 does not see 新华街道's round.
    expect((await t.request('GET', '/api/v1/honors/current', { token: outsider.token })).json().items.map((r: { id: string }) => r.id)).not.toContain(round.id);
  });

  it('counts one vote per worker per round: the same vote again is answered as before, another is refused', async () => {
    const [a, b] = [await t.newWorker(), await t.newWorker('440114001002')];
    const { roundId, nominees } = await votingRound([a.userId, b.userId]);
    const voter = await t.newWorker();
    const first = await vote(voter.token, roundId, nominees[0]!);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().votes).toBe(1);
    const again = await vote(voter.token, roundId, nominees[0]!);
    expect(again.statusCode).toBe(200);
    expect(again.json().votes).toBe(1);
    const other = await vote(voter.token, roundId, nominees[1]!);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('HONOR_ALREADY_VOTED');
    const english = await t.request('POST', `/api/v1/honors/rounds/${roundId}/votes`, { token: voter.token, body: { nomineeId: nominees[1] }, headers: { 'accept-language': 'en' } });
    expect(english.json().error.message).toContain('cannot be changed');
    // A nominee of another round is not there.
    expect((await vote((await t.newWorker()).token, roundId, '00000000-0000-4000-8000-000000000000')).json().error.code).toBe('NOT_FOUND');
    const current = (await t.request('GET', '/api/v1/honors/current', { token: voter.token })).json().items.find((r: { id: string }) => r.id === roundId);
    expect(current.myVote).toBe(nominees[0]);
    expect(current.nominees.find((n: { id: string }) => n.id === nominees[0]).votes).toBe(1);
  });

  it('refuses votes outside the window, outside the region, and from staff', async () => {
    const a = await t.newWorker();
    const later = { ...ROUND, votingStartsAt: at(24 * HOUR), votingEndsAt: at(48 * HOUR) };
    const { roundId, nominees } = await votingRound([a.userId], later);
    const res = await vote(a.token, roundId, nominees[0]!);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('HONOR_VOTING_CLOSED');
    const open = await votingRound([a.userId]);
    const outsider = await t.newWorker('440114002001');
    const out = await vote(outsider.token, open.roundId, open.nominees[0]!);
    expect(out.statusCode).toBe(403);
    expect(out.json().error.code).toBe('HONOR_VOTE_OUT_OF_REGION');
    expect((await vote(xinhua, open.roundId, open.nominees[0]!)).json().error.code).toBe('FORBIDDEN');
    await move(xinhua, open.roundId, 'close');
    expect((await vote(a.token, open.roundId, open.nominees[0]!)).json().error.code).toBe('HONOR_VOTING_CLOSED');
    const votes = await db().selectFrom('honor_votes').select('voter_id').where('round_id', 'in', [roundId, open.roundId]).execute();
    expect(votes).toHaveLength(0);
  });

  it('rate-limits voting per worker', async () => {
    const limited = new HonorsService(t.database, t.app.services.media, t.app.services.points, new RateLimiter(db(), 1));
    const [voter] = await bulkWorkers(db(), 1);
    let refused: unknown = null;
    for (let i = 0; i < 12 && !refused; i += 1) {
      await limited.vote(voter!, '00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000000').catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'TOO_MANY_REQUESTS') refused = err;
      });
    }
    expect(refused).not.toBeNull();
  });

  it('keeps counts exact under many concurrent votes, with no double votes', async () => {
    const voters = await bulkWorkers(db(), 40);
    const [a, b] = await bulkWorkers(db(), 2);
    const { roundId, nominees } = await votingRound([a!.userId, b!.userId]);
    const service = new HonorsService(t.database, t.app.services.media, t.app.services.points, new RateLimiter(db(), 1000));
    // Each voter sends its vote twice at once (a double tap), and half of them also try the other nominee.
    const attempts = voters.flatMap((v, i) => {
      const pick = nominees[i % 2]!;
      const calls = [service.vote(v, roundId, pick), service.vote(v, roundId, pick)];
      if (i % 2 === 0) calls.push(service.vote(v, roundId, nominees[1]!));
      return calls;
    });
    const results = await Promise.allSettled(attempts);
    const refusals = results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as AppError).code);
    expect(refusals.every((c) => c === 'HONOR_ALREADY_VOTED'), refusals.join()).toBe(true);
    const rows = await db().selectFrom('honor_votes').select(['voter_id', 'nominee_id']).where('round_id', '=', roundId).execute();
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.voter_id)).size).toBe(40);
    const counts = await db().selectFrom('honor_nominees').select(['id', 'votes']).where('round_id', '=', roundId).execute();
    for (const c of counts) expect(c.votes).toBe(rows.filter((r) => r.nominee_id === c.id).length);
    expect(counts.reduce((s, c) => s + c.votes, 0)).toBe(40);
  });

  it('publishes the top N by votes, awards honor points once per honoree, and the public roll shows no personal data', async () => {
    const workers = [await t.newWorker(), await t.newWorker(), await t.newWorker('440114001002')];
    const { roundId, nominees } = await votingRound(workers.map((w) => w.userId));
    // 3 votes for the first nominee, 2 for the third, 1 for the second.
    const tally = [3, 1, 2];
    for (const [i, n] of tally.entries()) for (let k = 0; k < n; k += 1) expect((await vote((await t.newWorker()).token, roundId, nominees[i]!)).statusCode).toBe(200);
    await move(xinhua, roundId, 'close');
    const rule = await db().selectFrom('points_rules').select('id').where('region_id', '=', '440114001').where('category', '=', 'honor').executeTakeFirstOrThrow();
    const otherRule = await db().selectFrom('points_rules').select('id').where('region_id', '=', '440114001').where('category', '=', 'care').executeTakeFirstOrThrow();
    const wrongRule = await t.request('POST', `/api/v1/honors/rounds/${roundId}/publish`, { token: xinhua, body: { ruleId: otherRule.id } });
    expect(wrongRule.json().error.code).toBe('HONOR_RULE_INVALID');
    const tooMany = await t.request('POST', `/api/v1/honors/rounds/${roundId}/publish`, { token: xinhua, body: { honoreeIds: nominees } });
    expect(tooMany.json().error.code).toBe('HONOR_PICK_INVALID');
    const res = await t.request('POST', `/api/v1/honors/rounds/${roundId}/publish`, { token: xinhua, body: { ruleId: rule.id } });
    expect(res.statusCode, res.body).toBe(200);
    const honored = res.json().items.filter((n: { honored: boolean }) => n.honored);
    const congratulated = await db().selectFrom('messages').select('user_id').where('topic', '=', 'honor').where('title', '=', '恭喜您获评金牌先锋').where('user_id', 'in', workers.map((w) => w.userId)).execute();
    expect(congratulated.map((m) => m.user_id).sort()).toEqual([workers[0]!.userId, workers[2]!.userId].sort());
    expect(honored.map((n: { id: string; rank: number; points: number }) => [n.id, n.rank, n.points])).toEqual([
      [nominees[0], 1, 100],
      [nominees[2], 2, 100],
    ]);
    // One award per honoree: the ledger's source key holds even if the award ran again.
    const transfers = await db().selectFrom('points_transfers').select('source_id').where('source_type', '=', 'honor').where('source_id', 'in', nominees).execute();
    expect(transfers.map((x) => x.source_id).sort()).toEqual([nominees[0], nominees[2]].sort());
    const service = t.app.services.points;
    const { findRule } = await import('../points/points.repository.ts');
    const ruleRow = (await findRule(db(), rule.id))!;
    const w0 = await db().selectFrom('users').select(['id', 'region_id']).where('id', '=', workers[0]!.userId).executeTakeFirstOrThrow();
    await service.award(db(), { worker: { userId: w0.id, regionId: w0.region_id }, rule: ruleRow, sourceType: 'honor', sourceId: nominees[0]! }).catch(() => null);
    expect(await db().selectFrom('points_transfers').select('id').where('source_type', '=', 'honor').where('source_id', '=', nominees[0]!).execute()).toHaveLength(1);
    expect((await t.request('POST', `/api/v1/honors/rounds/${roundId}/publish`, { token: xinhua, body: { ruleId: rule.id } })).json().error.code).toBe('HONOR_ILLEGAL_MOVE');

    const roll = await t.request('GET', `/api/v1/honors/rolls/${roundId}`);
    expect(roll.statusCode).toBe(200);
    expect(roll.json().honorees.map((h: { rank: number; maskedName: string; communityName: string }) => [h.rank, h.maskedName, h.communityName])).toEqual([
      [1, '测**手', '三华社区'],
      [2, '测**手', '公益社区'],
    ]);
    const rolls = await t.request('GET', '/api/v1/honors/rolls?regionId=440114001');
    expect(rolls.json().items.map((r: { id: string }) => r.id)).toContain(roundId);
    for (const body of [roll.body, rolls.body]) {
      for (const w of workers) {
        expect(body).not.toContain(w.phone);
        expect(body).not.toContain(w.userId);
      }
      expect(body).not.toMatch(/phone|workerId|workerName|测试骑手/);
    }
    // A round that is not published has no public roll.
    const draft = await createRound(xinhua);
    expect((await t.request('GET', `/api/v1/honors/rolls/${draft.id}`)).statusCode).toBe(404);
  });

  it('leaves a tie at the last place to staff, who pick the honorees', async () => {
    const workers = [await t.newWorker(), await t.newWorker(), await t.newWorker()];
    const { roundId, nominees } = await votingRound(workers.map((w) => w.userId));
    for (const n of [nominees[0]!, nominees[1]!, nominees[2]!, nominees[0]!]) await vote((await t.newWorker()).token, roundId, n);
    await move(xinhua, roundId, 'close');
    const tie = await t.request('POST', `/api/v1/honors/rounds/${roundId}/publish`, { token: xinhua, body: {} });
    expect(tie.statusCode).toBe(409);
    expect(tie.json().error.code).toBe('HONOR_TIE');
    const picked = await t.request('POST', `/api/v1/honors/rounds/${roundId}/publish`, { token: xinhua, body: { honoreeIds: [nominees[0], nominees[2]] } });
    expect(picked.statusCode, picked.body).toBe(200);
    expect(picked.json().items.filter((n: { honored: boolean }) => n.honored).map((n: { id: string }) => n.id)).toEqual([nominees[0], nominees[2]]);
    // Without a rule, no points.
    expect(await db().selectFrom('points_transfers').select('id').where('source_type', '=', 'honor').where('source_id', 'in', nominees).execute()).toHaveLength(0);
  });

  it('runs stories draft → published → withdrawn, with photos, consent, view counts and no personal data in public', async () => {
    const w = await t.newWorker();
    const photo = (await t.request('POST', '/api/v1/media', { token: sanhua, body: await phoneJpeg(), headers: { 'content-type': 'image/jpeg' } })).json();
    const body = { regionId: '440114001001', kind: 'story', title: '暴雨夜里的外卖小哥', body: '他把老人送回了家。', coverId: photo.id, photoIds: [photo.id], workerId: w.userId, consented: false };
    const noConsent = await t.request('POST', '/api/v1/stories/manage', { token: sanhua, body });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json().error.code).toBe('STORY_CONSENT_REQUIRED');
    const created = await t.request('POST', '/api/v1/stories/manage', { token: sanhua, body: { ...body, consented: true } });
    expect(created.statusCode, created.body).toBe(200);
    const story = created.json();
    expect(story).toMatchObject({ status: 'draft', workerName: '测**手', consented: true });
    expect(story.cover.id).toBe(photo.id);
    // Not public before publication.
    expect((await t.request('GET', `/api/v1/stories/${story.id}`)).statusCode).toBe(404);
    expect((await t.request('POST', `/api/v1/stories/manage/${story.id}/moves`, { token: sanhua, body: { move: 'withdraw' } })).json().error.code).toBe('STORY_ILLEGAL_MOVE');
    expect((await t.request('POST', `/api/v1/stories/manage/${story.id}/moves`, { token: xinya, body: { move: 'publish' } })).json().error.code).toBe('OUT_OF_SCOPE');
    const published = await t.request('POST', `/api/v1/stories/manage/${story.id}/moves`, { token: sanhua, body: { move: 'publish' } });
    expect(published.json().status).toBe('published');
    const read = await t.request('GET', `/api/v1/stories/${story.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ title: '暴雨夜里的外卖小哥', workerName: '测**手', communityName: '三华社区', views: 1 });
    expect((await t.request('GET', `/api/v1/stories/${story.id}`)).json().views).toBe(2);
    const list = await t.request('GET', `/api/v1/stories?regionId=440114001&q=${encodeURIComponent('暴雨')}`);
    expect(list.json().items.map((s: { id: string }) => s.id)).toContain(story.id);
    for (const text of [read.body, list.body]) {
      expect(text).not.toContain(w.phone);
      expect(text).not.toContain(w.userId);
      expect(text).not.toContain('测试骑手');
    }
    // Staff list with filters; another street sees nothing of it.
    expect((await t.request('GET', '/api/v1/stories/manage?status=published&kind=story', { token: xinhua })).json().items.map((s: { id: string }) => s.id)).toContain(story.id);
    expect((await t.request('GET', '/api/v1/stories/manage', { token: xinya })).json().items.map((s: { id: string }) => s.id)).not.toContain(story.id);
    // Edit (unlink the worker), then withdraw: gone from the public list.
    const edited = await t.request('PUT', `/api/v1/stories/manage/${story.id}`, { token: xinhua, body: { ...body, workerId: null, title: '暴雨夜里的骑手' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ workerId: null, workerName: null, title: '暴雨夜里的骑手', status: 'published' });
    expect((await t.request('POST', `/api/v1/stories/manage/${story.id}/moves`, { token: sanhua, body: { move: 'withdraw' } })).json().status).toBe('withdrawn');
    expect((await t.request('GET', `/api/v1/stories/${story.id}`)).statusCode).toBe(404);
    expect((await t.request('GET', '/api/v1/stories')).json().items.map((s: { id: string }) => s.id)).not.toContain(story.id);
    const outsider = await t.newWorker('440114002001');
    expect((await t.request('POST', '/api/v1/stories/manage', { token: sanhua, body: { ...body, workerId: outsider.userId, consented: true } })).json().error.code).toBe('STORY_WORKER_INVALID');
    expect((await t.request('POST', '/api/v1/stories/manage', { token: sanhua, body: { ...body, regionId: '440114002001' } })).json().error.code).toBe('OUT_OF_SCOPE');
    const actions = await db().selectFrom('audit_log').select('action').where('entity_id', '=', story.id).execute();
    expect(actions.map((x) => x.action)).toEqual(expect.arrayContaining(['story.create', 'story.publish', 'story.update', 'story.withdraw']));
  });

  it('lets a district admin act on a street round and audits the staff read of nominees', async () => {
    const round = await createRound(district);
    const res = await t.request('GET', `/api/v1/honors/rounds/${round.id}`, { token: xinhua });
    expect(res.statusCode).toBe(200);
    const audited = await db().selectFrom('audit_log').select('action').where('entity_id', '=', round.id).where('action', '=', 'honor.round.read').execute();
    expect(audited).toHaveLength(1);
    const actor = await actorByUsername(db(), 'xinya');
    expect(actor.scopeId).toBe('440114002');
  });
});
