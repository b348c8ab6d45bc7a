import { randomBytes } from 'node:crypto';
import { withTransaction, type Database } from '../client.ts';
import { newCheckinSecret } from '../../modules/stations/checkin-code.ts';

type Seeded = {
  region: string;
  kind: 'care_visit' | 'volunteer' | 'training' | 'health_day';
  title: string;
  description: string;
  station?: string;
  address?: string;
  lat?: number;
  lng?: number;
  /** Days from today (China time) and the hours of the day. */
  day: number;
  from: number;
  to: number;
  capacity: number;
  rule?: string;
  status: 'draft' | 'published' | 'finished';
  /** Demo workers by phone (living inside the activity's region), in sign-up order; past the capacity they wait. */
  signups: string[];
  /** Those who came (finished activities): confirmed minutes. */
  attended?: Record<string, number>;
};

/** Activities as the city reports describe them: a care visit done, volunteering and a class ahead. 张伟 (…001) is left free to sign up. */
const ACTIVITIES: Seeded[] = [
  {
    region: '440114001',
    kind: 'care_visit',
    title: '冬日送温暖 · 骑手慰问',
    description: '为新就业群体送上棉手套、护膝和热姜茶，现场体检咨询。',
    station: '三华社区暖新驿站',
    day: -14,
    from: 10,
    to: 12,
    capacity: 30,
    status: 'finished',
    signups: ['13900000001', '13900000002', '13900000005', '13900000006'],
    attended: { '13900000001': 90, '13900000002': 120, '13900000005': 60 },
  },
  {
    region: '440114001001',
    kind: 'volunteer',
    title: '三华社区文明交通劝导',
    description: '在三华路口协助劝导电动车不戴头盔、闯红灯，发放安全骑行宣传单。',
    station: '三华社区暖新驿站',
    day: 7,
    from: 15,
    to: 17,
    capacity: 10,
    rule: '参加暖新活动',
    status: 'published',
    signups: ['13900000005'],
  },
  {
    region: '440114001',
    kind: 'training',
    title: '暖新学院：电动车安全与应急救护',
    description: '交警讲解电动车安全，红十字会教心肺复苏和止血包扎，结业发证书。',
    address: '新华街道党群服务中心三楼',
    lat: 23.4046,
    lng: 113.2206,
    day: 10,
    from: 19,
    to: 21,
    capacity: 2,
    rule: '参加暖新活动',
    status: 'published',
    signups: ['13900000002', '13900000005', '13900000006'],
  },
  {
    region: '440114002',
    kind: 'health_day',
    title: '新雅街道骑手健康日',
    description: '免费体检：血压、血糖、视力、颈腰椎评估。',
    address: '新雅街道社区卫生服务中心',
    lat: 23.4286,
    lng: 113.1986,
    day: 12,
    from: 9,
    to: 12,
    capacity: 50,
    status: 'published',
    signups: ['13900000003', '13900000008'],
  },
  {
    region: '440114001001',
    kind: 'volunteer',
    title: '三华驿站周末义务维修（草稿）',
    description: '为骑手免费检修电动车刹车和灯光。',
    station: '三华社区暖新驿站',
    day: 20,
    from: 9,
    to: 12,
    capacity: 15,
    status: 'draft',
    signups: [],
  },
];

const cstDay = (now: Date, days: number) => new Date(now.getTime() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
const at = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

/** Loads the demo activities; titles make a second run add nothing. */
export async function seedDemoActivities(database: Database, now = new Date()): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const staff = await tx.selectFrom('users').select('id').where('username', '=', 'xinhua').executeTakeFirstOrThrow();
    for (const a of ACTIVITIES) {
      const exists = await tx.selectFrom('activities').select('id').where('title', '=', a.title).where('region_id', '=', a.region).executeTakeFirst();
      if (exists) continue;
      const station = a.station ? await tx.selectFrom('stations').select('id').where('name', '=', a.station).executeTakeFirstOrThrow() : null;
      const rule = a.rule ? await tx.selectFrom('points_rules').select('id').where('name', '=', a.rule).where('region_id', '=', '440114001').executeTakeFirst() : null;
      const day = cstDay(now, a.day);
      const enrolled = Math.min(a.signups.length, a.capacity);
      const { id } = await tx
        .insertInto('activities')
        .values({
          region_id: a.region,
          kind: a.kind,
          title: a.title,
          description: a.description,
          station_id: station?.id ?? null,
          address: a.address ?? '',
          lat: a.lat ?? null,
          lng: a.lng ?? null,
          starts_at: at(day, a.from),
          ends_at: at(day, a.to),
          capacity: a.capacity,
          enrolled,
          audience: 'all',
          occupations: [],
          points_rule_id: rule?.id ?? null,
          status: 'draft',
          checkin_secret: newCheckinSecret(),
          created_by: staff.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (a.status !== 'draft') await tx.updateTable('activities').set({ status: a.status }).where('id', '=', id).execute();
      for (const [i, phone] of a.signups.entries()) {
        const worker = await tx.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
        if (!worker) continue;
        const queuedAt = new Date(at(day, a.from).getTime() - (7 - i * 0.1) * 86_400_000);
        const signup = await tx
          .insertInto('activity_signups')
          .values({ region_id: a.region, activity_id: id, worker_id: worker.id, status: i < a.capacity ? 'enrolled' : 'waitlisted', queued_at: queuedAt, pass_token: randomBytes(18).toString('base64url') })
          .returning('id')
          .executeTakeFirstOrThrow();
        const minutes = a.attended?.[phone];
        if (minutes !== undefined) {
          const inAt = new Date(at(day, a.from).getTime() - 5 * 60_000);
          await tx
            .insertInto('activity_attendance')
            .values({
              signup_id: signup.id,
              region_id: a.region,
              activity_id: id,
              worker_id: worker.id,
              checked_in_at: inAt,
              checked_in_by: 'worker',
              checked_out_at: new Date(inAt.getTime() + (minutes + 5) * 60_000),
              checked_out_by: 'worker',
              minutes,
              confirmed_at: at(day, a.to),
              confirmed_by: staff.id,
            })
            .execute();
        }
      }
    }
  });
}
