import { randomUUID } from 'node:crypto';
import { withTransaction, type Database } from '../client.ts';
import { addDays } from '../../modules/stations/sessions.calendar.ts';
import { cstDayHour } from '../../modules/stations/visits.access.ts';
import * as visits from '../../modules/stations/visits.repository.ts';

/** Sessions the demo stations offer: 义诊 every Thursday afternoon as the city reports describe. */
const SESSIONS = [
  { station: '三华社区暖新驿站', title: '义诊', service: 'clinic', provider: '花都区人民医院', description: '量血压、测血糖、健康咨询，请带上医保卡', capacity: 20, weekday: 4, start: '14:00', end: '17:00' },
  { station: '三华社区暖新驿站', title: '法律咨询', service: 'legal', provider: '花都区法律援助处', description: '劳动合同、工伤、欠薪问题现场解答', capacity: 8, weekday: 2, start: '19:00', end: '21:00' },
  { station: '公益路骑手之家', title: '心理咨询', service: 'counselling', provider: '花都区心理卫生协会', description: '一对一倾听与疏导，每人约30分钟', capacity: 6, weekday: 6, start: '10:00', end: '12:00' },
] as const;

/** Past visits [phone, station, days ago, hour, stars?, feedback?]: the dashboard and the station page have something to show. */
const VISITS: ReadonlyArray<readonly [string, string, number, number, number?, string?]> = [
  ['13900000001', '三华社区暖新驿站', 1, 12, 5, '空调凉快，还能给电动车充电'],
  ['13900000003', '三华社区暖新驿站', 1, 13, 4, '热水方便，就是中午人有点多'],
  ['13900000004', '三华社区暖新驿站', 2, 18],
  ['13900000005', '三华社区暖新驿站', 3, 11, 5],
  ['13900000001', '公益路骑手之家', 2, 23, 4, '半夜也开着，很贴心'],
  ['13900000006', '公益路骑手之家', 3, 2],
  ['13900000007', '三华工会驿站', 1, 15, 3, '饮水机坏了，希望尽快修'],
  ['13900000008', '广塘社区暖新驿站', 2, 12, 5],
];

/** Loads demo sessions and visits; keys and names make a second run add nothing. */
export async function seedDemoVisits(database: Database, now = new Date()): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const stations = new Map((await tx.selectFrom('stations').select(['id', 'name', 'region_id']).execute()).map((s) => [s.name, s]));
    const keeper = await tx.selectFrom('users').select('id').where('username', '=', 'keeper01').executeTakeFirstOrThrow();
    const today = cstDayHour(now).day;
    for (const s of SESSIONS) {
      const station = stations.get(s.station)!;
      const exists = await tx.selectFrom('station_sessions').select('id').where('station_id', '=', station.id).where('title', '=', s.title).executeTakeFirst();
      if (exists) continue;
      // Started last week on its weekday, running on with no end date.
      const back = (new Date(`${today}T00:00:00Z`).getUTCDay() - s.weekday + 7) % 7;
      await tx
        .insertInto('station_sessions')
        .values({ region_id: station.region_id, station_id: station.id, title: s.title, service: s.service, provider: s.provider, description: s.description, capacity: s.capacity, recurrence: 'weekly', starts_on: addDays(today, -back - 7), until_on: null, start_time: s.start, end_time: s.end, created_by: keeper.id })
        .execute();
    }
    for (const [index, [phone, name, daysAgo, hour, stars, feedback]] of VISITS.entries()) {
      const worker = await tx.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
      if (!worker) continue;
      const key = `demo-visit-${index}`;
      if (await visits.visitByKey(tx, worker.id, key)) continue;
      const station = stations.get(name)!;
      const day = addDays(today, -daysAgo);
      const at = new Date(`${day}T${String(hour).padStart(2, '0')}:20:00+08:00`);
      const id = randomUUID();
      await visits.insertVisit(tx, { id, regionId: station.region_id, stationId: station.id, workerId: worker.id, at, step: 0, key, windowStart: new Date(at.getTime() - 7_200_000) });
      await visits.countVisit(tx, station, day, hour);
      if (stars) {
        await visits.insertRating(tx, { visitId: id, regionId: station.region_id, stationId: station.id, workerId: worker.id, stars, feedback: feedback ?? '' });
        await visits.addToTotals(tx, station.id, stars);
      }
    }
  });
}
