import { withTransaction, type Database } from '../client.ts';

const DAY = 86_400_000;

/** Demo selections of 新华街道: last quarter's published honor roll, and this quarter's vote running now. */
const ROUNDS = [
  {
    title: '2026年第三季度金牌先锋',
    description: '表彰在急难险重任务和社区治理中表现突出的新就业群体。',
    quarter: 3,
    status: 'published' as const,
    // [nominee phone, reason, voter phones]
    nominees: [
      ['13900000001', '暴雨夜主动帮助迷路老人回家，随手拍上报积水点12处。', ['13900000006', '13900000002']],
      ['13900000005', '坚持清晨清扫三华路，带动同事参加志愿服务20余次。', ['13900000001']],
      ['13900000002', '热心为新来的快递员带路，讲解小区门岗规则。', []],
    ] as const,
    honorees: 2,
  },
  {
    title: '2026年第四季度金牌先锋',
    description: '请为身边的暖新先锋投上一票：每人每轮一票，投出后不能更改。',
    quarter: 4,
    status: 'voting' as const,
    nominees: [
      ['13900000005', '台风天坚守岗位，清理倒伏树枝，保障骑手通行。', []],
      ['13900000006', '在驿站义务为同行修理电动车30余次。', []],
    ] as const,
    honorees: 1,
  },
];

const STORIES = [
  { kind: 'story' as const, title: '暴雨夜，他把迷路老人送回家', body: '十月的一个暴雨夜，外卖骑手张师傅在送餐途中发现一位迷路的老人。他放下订单，撑伞陪老人在附近寻找，又联系社区网格员，终于把老人平安送回家。\n\n“大家都是街坊，能帮就帮。”他说。', worker: '13900000001', region: '440114001001' },
  { kind: 'moment' as const, title: '驿站里的一杯热水', body: '三华社区暖新驿站的热水、微波炉和充电柜，成了骑手们午间歇脚的好去处。', worker: null, region: '440114001001' },
];

/** Loads the demo honors and stories; titles make a second run add nothing. */
export async function seedDemoHonors(database: Database, now = new Date()): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const staff = await tx.selectFrom('users').select('id').where('username', '=', 'xinhua').executeTakeFirstOrThrow();
    const workers = new Map((await tx.selectFrom('users').select(['id', 'phone', 'region_id']).where('role', '=', 'worker').where('phone', 'like', '139000000%').execute()).map((w) => [w.phone, w]));
    for (const r of ROUNDS) {
      const exists = await tx.selectFrom('honor_rounds').select('id').where('title', '=', r.title).where('region_id', '=', '440114001').executeTakeFirst();
      if (exists) continue;
      const published = r.status === 'published';
      // The published round ran last month; the running one voted from yesterday for a month.
      const base = now.getTime() + (published ? -40 * DAY : -3 * DAY);
      const { id } = await tx
        .insertInto('honor_rounds')
        .values({
          region_id: '440114001',
          title: r.title,
          description: r.description,
          period_kind: 'quarter',
          year: 2026,
          quarter: r.quarter,
          honorees: r.honorees,
          nomination_starts_at: new Date(base),
          nomination_ends_at: new Date(base + 2 * DAY),
          voting_starts_at: new Date(base + 2 * DAY),
          voting_ends_at: new Date(base + (published ? 10 : 30) * DAY),
          created_by: staff.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const [rank, [phone, reason, voters]] of r.nominees.entries()) {
        const worker = workers.get(phone)!;
        const honored = published && rank < r.honorees;
        const nominee = await tx
          .insertInto('honor_nominees')
          .values({ round_id: id, region_id: worker.region_id, worker_id: worker.id, reason, votes: voters.length, honored, rank: honored ? rank + 1 : null, nominated_by: staff.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (const voter of voters) {
          const v = workers.get(voter)!;
          await tx.insertInto('honor_votes').values({ round_id: id, voter_id: v.id, nominee_id: nominee.id, region_id: v.region_id }).execute();
        }
      }
      await tx
        .updateTable('honor_rounds')
        .set({ status: r.status, published_at: published ? new Date(base + 12 * DAY) : null })
        .where('id', '=', id)
        .execute();
    }
    for (const [index, s] of STORIES.entries()) {
      const exists = await tx.selectFrom('stories').select('id').where('title', '=', s.title).executeTakeFirst();
      if (exists) continue;
      const at = new Date(now.getTime() - (index + 2) * DAY);
      const { id } = await tx
        .insertInto('stories')
        .values({ region_id: s.region, kind: s.kind, title: s.title, body: s.body, cover_id: null, worker_id: s.worker ? workers.get(s.worker)!.id : null, consented: s.worker !== null, created_by: staff.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.updateTable('stories').set({ status: 'published', published_at: at, views: 12 + index * 7 }).where('id', '=', id).execute();
    }
  });
}
