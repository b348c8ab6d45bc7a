import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAR_THRESHOLDS, starsFor } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { createStation } from './registry.fixtures.ts';

const GONGYI = '440114001002';
const ITEMS = [
  { key: 'signage', label: '标识标牌', weight: 10 },
  { key: 'area', label: '场地面积', weight: 15 },
  { key: 'facilities', label: '基础设施', weight: 20 },
  { key: 'water', label: '饮水', weight: 10 },
  { key: 'aircon', label: '空调', weight: 10 },
  { key: 'charging', label: '充电', weight: 10 },
  { key: 'hygiene', label: '卫生', weight: 15 },
  { key: 'hours', label: '开放时间', weight: 10 },
];
/** Scores that add up to `total` (full marks, then points off the biggest items). */
function scoresFor(total: number) {
  let off = 100 - total;
  return ITEMS.map((i) => {
    const take = Math.min(off, i.weight);
    off -= take;
    return { key: i.key, score: i.weight - take };
  });
}

describe('stars from the total score', () => {
  it('follows the documented thresholds', () => {
    const cases: Array<[number, number]> = [[100, 5], [90, 5], [89, 4], [80, 4], [79, 3], [70, 3], [69, 2], [60, 2], [59, 1], [0, 1]];
    for (const [total, stars] of cases) expect(starsFor(total), String(total)).toBe(stars);
    expect(STAR_THRESHOLDS.map((t) => t.min)).toEqual([90, 80, 70, 60, 0]);
  });
});

describe.each(DB_KINDS)('acceptance inspections on %s', (kind) => {
  let t: TestApp;
  type Who = 'xinhua' | 'xinya' | 'sanhua' | 'district';
  const token = {} as Record<Who, string>;
  let checklistId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    for (const name of ['xinhua', 'xinya', 'sanhua', 'district'] as const) token[name] = await t.loginStaff(name);
    const res = await t.request('POST', '/api/v1/stations/checklists', { token: token.district, body: { regionId: '440114', name: `测试验收标准${kind}`, items: ITEMS, passMark: 70 } });
    expect(res.statusCode, res.body).toBe(200);
    checklistId = res.json().id;
  });
  afterAll(async () => t?.close());

  const inspect = (who: Who, stationId: string, total: number, extra: Record<string, unknown> = {}) =>
    t.request('POST', `/api/v1/stations/manage/${stationId}/inspections`, {
      token: token[who],
      body: { checklistId, kind: 'acceptance', inspectedOn: '2026-03-01', scores: scoresFor(total), remarks: '现场检查', ...extra },
    });
  const stationRow = (id: string) => t.database.db.selectFrom('stations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('keeps templates per district: the district admin edits them, street admins read them', async () => {
    const list = (await t.request('GET', '/api/v1/stations/checklists', { token: token.xinhua })).json().items;
    expect(list.map((c: { name: string }) => c.name)).toContain('花都区暖新驿站验收标准');
    const bad = [
      { regionId: '440114', name: '权重不对', items: ITEMS.slice(1), passMark: 70 },
      { regionId: '440114', name: '重复项', items: [...ITEMS.slice(0, 7), { ...ITEMS[7]!, key: 'signage' }], passMark: 70 },
      { regionId: '440114', name: '及格线', items: ITEMS, passMark: 120 },
    ];
    for (const body of bad) expect((await t.request('POST', '/api/v1/stations/checklists', { token: token.district, body })).json().error.code).toBe('VALIDATION_FAILED');
    const street = await t.request('POST', '/api/v1/stations/checklists', { token: token.district, body: { regionId: '440114001', name: '街道模板', items: ITEMS, passMark: 70 } });
    expect(street.json().error.code).toBe('CHECKLIST_REGION_INVALID');
    expect((await t.request('POST', '/api/v1/stations/checklists', { token: token.xinhua, body: { regionId: '440114', name: '街道不能改', items: ITEMS, passMark: 70 } })).statusCode).toBe(403);
    const renamed = await t.request('PUT', `/api/v1/stations/checklists/${checklistId}`, { token: token.district, body: { regionId: '440114', name: `测试验收标准${kind}`, items: ITEMS, passMark: 70 } });
    expect(renamed.statusCode).toBe(200);
  });

  it('a failing inspection leaves the station built; a passing one accepts it with stars and a history row', async () => {
    const id = await createStation(t, token.xinhua, GONGYI, true);
    const failed = await inspect('xinhua', id, 65);
    expect(failed.statusCode, failed.body).toBe(200);
    expect(failed.json().inspection).toMatchObject({ total: 65, passed: false, stars: 2, passMark: 70, inspectorName: '吴晓梅' });
    expect(failed.json().station).toMatchObject({ status: 'built', stars: null });

    const passed = await inspect('district', id, 92, { inspectedOn: '2026-03-08' });
    expect(passed.json().inspection).toMatchObject({ total: 92, passed: true, stars: 5 });
    expect(passed.json().station).toMatchObject({ status: 'accepted', stars: 5, lastInspectedOn: '2026-03-08', acceptedInspectionId: passed.json().inspection.id });
    // Re-inspection history: newest first, each with its own copy of the items.
    const list = (await t.request('GET', `/api/v1/stations/manage/${id}/inspections`, { token: token.xinhua })).json().items;
    expect(list.map((i: { total: number }) => i.total)).toEqual([92, 65]);
    expect(list[1].items[2]).toMatchObject({ key: 'facilities', weight: 20 });
    const history = (await t.request('GET', `/api/v1/stations/manage/${id}/history`, { token: token.xinhua })).json().items;
    expect(history[0]).toMatchObject({ fromStatus: 'built', toStatus: 'accepted', inspectionId: passed.json().inspection.id, actorName: '周建国' });
    // Accepted now: a second acceptance is refused.
    expect((await inspect('district', id, 95)).json().error.code).toBe('STATION_ILLEGAL_MOVE');

    // Suspended and reopened, it is accepted again (its inspection still holds).
    await t.request('POST', `/api/v1/stations/manage/${id}/moves`, { token: token.xinhua, body: { move: 'suspend', reason: '整改' } });
    const reopened = await t.request('POST', `/api/v1/stations/manage/${id}/moves`, { token: token.xinhua, body: { move: 'reopen', reason: '整改完成' } });
    expect(reopened.json().status).toBe('accepted');
  });

  it('the database refuses "accepted" without a passing acceptance inspection, whoever writes it', async () => {
    const id = await createStation(t, token.xinhua, GONGYI, true);
    const db = t.database.db;
    await expect(db.updateTable('stations').set({ status: 'accepted' }).where('id', '=', id).execute()).rejects.toThrow(/passing acceptance inspection/);
    // A failing inspection of it, or a passing one of another station, does not do either.
    const failing = (await inspect('xinhua', id, 50)).json().inspection.id;
    await expect(db.updateTable('stations').set({ status: 'accepted', accepted_inspection_id: failing }).where('id', '=', id).execute()).rejects.toThrow(/passing acceptance inspection/);
    const other = await createStation(t, token.xinhua, GONGYI, true);
    const othersPass = (await inspect('xinhua', other, 80)).json().inspection.id;
    await expect(db.updateTable('stations').set({ status: 'accepted', accepted_inspection_id: othersPass }).where('id', '=', id).execute()).rejects.toThrow(/passing acceptance inspection/);
    await expect(sql`insert into stations (region_id, name, type, status, address, lat, lng) values (${GONGYI}, ${`直接插入${kind}`}, 'nuanxin', 'accepted', '某路', 23.4, 113.2)`.execute(db)).rejects.toThrow(/passing acceptance inspection/);
    expect((await stationRow(id)).status).toBe('built');
    // Stars must agree with the total, and an inspection is never edited afterwards.
    await expect(db.updateTable('station_inspections').set({ passed: true } as never).where('id', '=', failing).execute()).rejects.toThrow(/append-only/);
    const wrongStars = sql`insert into station_inspections (region_id, station_id, checklist_id, kind, items, total, pass_mark, passed, stars, inspector_id, inspected_on)
      select region_id, id, ${checklistId}::uuid, 'acceptance', '[]', 50, 70, false, 5, (select id from users where username = 'district'), '2026-01-01' from stations where id = ${id}::uuid`;
    await expect(wrongStars.execute(db)).rejects.toThrow(/check constraint/);
  });

  it('a yearly review re-rates an accepted station and can downgrade its stars', async () => {
    const id = await createStation(t, token.xinhua, GONGYI, true);
    // Accepted more than a year ago: the list marks it as due for review.
    await inspect('district', id, 91, { inspectedOn: '2024-05-01' });
    const due = (await t.request('GET', `/api/v1/stations/manage/${id}`, { token: token.xinhua })).json();
    expect(due).toMatchObject({ stars: 5, reviewDue: true });
    // A review on a station that is only built is refused.
    const built = await createStation(t, token.xinhua, GONGYI, true);
    expect((await inspect('district', built, 90, { kind: 'annual' })).json().error.code).toBe('STATION_ILLEGAL_MOVE');

    const review = await inspect('xinhua', id, 66, { kind: 'annual', inspectedOn: '2026-02-01' });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json().inspection).toMatchObject({ kind: 'annual', passed: false, stars: 2 });
    expect(review.json().station).toMatchObject({ status: 'accepted', stars: 2, reviewDue: false });
    const better = await inspect('xinhua', id, 84, { kind: 'annual', inspectedOn: '2026-02-02' });
    expect(better.json().station.stars).toBe(4);
  });

  it('refuses bad inspections with a 4xx and writes nothing', async () => {
    const id = await createStation(t, token.xinhua, GONGYI, true);
    const planned = await createStation(t, token.xinhua, GONGYI);
    const count = async () => Number((await t.database.db.selectFrom('station_inspections').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const tooHigh = scoresFor(100).map((s) => (s.key === 'signage' ? { ...s, score: 11 } : s));
    const cases: Array<[Who, string, Record<string, unknown>, string]> = [
      ['xinhua', id, { scores: tooHigh }, 'INSPECTION_SCORES_INVALID'],
      ['xinhua', id, { scores: scoresFor(100).slice(1) }, 'INSPECTION_SCORES_INVALID'],
      ['xinhua', id, { scores: [...scoresFor(100).slice(1), { key: 'unknown', score: 1 }] }, 'INSPECTION_SCORES_INVALID'],
      ['xinhua', id, { inspectedOn: '2999-01-01' }, 'INSPECTION_DATE_INVALID'],
      ['xinhua', id, { checklistId: '00000000-0000-4000-8000-000000000000' }, 'CHECKLIST_NOT_FOUND'],
      ['xinhua', id, { scores: [{ key: 'signage', score: -1 }] }, 'VALIDATION_FAILED'],
      ['xinhua', planned, {}, 'STATION_ILLEGAL_MOVE'],
      ['xinya', id, {}, 'OUT_OF_SCOPE'],
      ['sanhua', id, {}, 'FORBIDDEN'],
    ];
    for (const [who, station, extra, code] of cases) {
      const res = await inspect(who, station, 90, extra);
      expect(res.statusCode, `${code}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().error.code).toBe(code);
    }
    expect(await count()).toBe(before);
    expect((await stationRow(id)).status).toBe('built');
  });

  it('shows stars on the demo’s accepted stations', async () => {
    const rows = await t.database.db.selectFrom('stations').select(['name', 'stars', 'status']).where('status', '=', 'accepted').where('name', 'not like', '测试%').execute();
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every((r) => r.stars !== null && r.stars >= 3)).toBe(true);
    expect(new Set(rows.map((r) => r.stars)).size).toBeGreaterThan(1);
  });
});
