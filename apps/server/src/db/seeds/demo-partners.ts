import { sql } from 'kysely';
import { maskName } from '@nuanxin/shared';
import { withTransaction, type Database } from '../client.ts';
import { hashPassword } from '../../modules/identity/password.ts';
import { DEMO_PASSWORD } from './demo-data.ts';

/** Benefits, hours and a line about each demo partner (the base seed names and places them). */
const PROFILES: Record<string, { kind: string; hours: string; description: string; benefits: Array<{ type: string; text: string; schedule: string | null }> }> = {
  '暖心理发（三华店）': {
    kind: 'merchant',
    hours: '09:00-21:00',
    description: '社区老店，骑手凭工作证理发优惠，可在店内歇脚充电。',
    benefits: [
      { type: 'discount', text: '骑手理发八折', schedule: null },
      { type: 'free_service', text: '免费饮水、手机充电', schedule: '营业时间内' },
    ],
  },
  '粤味快餐（公益路店）': {
    kind: 'merchant',
    hours: '10:00-次日02:00',
    description: '夜间窗口为晚归骑手供应热饭热汤。',
    benefits: [
      { type: 'night_window', text: '夜间窗口：骑手套餐 15 元', schedule: '每天 22:00-次日02:00' },
      { type: 'discount', text: '凭积分券兑换午餐套餐', schedule: null },
    ],
  },
  新华社区卫生服务中心: {
    kind: 'hospital',
    hours: '08:00-17:30',
    description: '为新就业群体开设错峰就诊通道，每周四下午义诊。',
    benefits: [
      { type: 'off_peak_lane', text: '骑手错峰就诊通道', schedule: '工作日 14:00-16:00' },
      { type: 'booking', text: '体检可线上预约', schedule: null },
      { type: 'free_service', text: '免费测血压、血糖', schedule: '每周四下午' },
    ],
  },
  '安居物业·广塘小站': {
    kind: 'property',
    hours: '08:00-20:00',
    description: '物业小站：小区楼栋指引、电动车临时停放。',
    benefits: [
      { type: 'free_service', text: '小区楼栋指引、临时停车', schedule: null },
      { type: 'off_peak_lane', text: '外卖快递专用通行口', schedule: '11:00-13:30, 17:00-19:30' },
    ],
  },
  花都新就业群体学院: {
    kind: 'academy',
    hours: '09:00-18:00',
    description: '暖新学院：职业技能、权益保障和安全骑行课程。',
    benefits: [{ type: 'booking', text: '技能课程预约报名', schedule: '每月第一周开课' }],
  },
  顺达物流爱心企业: {
    kind: 'enterprise',
    hours: '08:30-18:00',
    description: '为社区捐赠共享单车和防暑物资。',
    benefits: [{ type: 'free_service', text: '夏季防暑饮品免费领取', schedule: '6-9月' }],
  },
};

const PLEDGE_TEXT = `为共建友好街区，社区、物业服务企业和新就业群体共同约定：
一、物业为骑手、快递员提供明确的楼栋指引和通行口，高峰时段快速放行；
二、社区设置临时停车点，协调解决“进门难、停车难、找路难”；
三、骑手文明骑行、规范停放，不逆行、不闯红灯，主动参与随手拍；
四、三方定期沟通，共同维护安全、整洁、有温度的街区环境。`;

/**
 * Demo partners' profiles and certificates, one property company's staff account (`anju`), a
 * donation and the 三方公约 of 广塘社区 with its first signatures. A second run adds nothing.
 */
export async function seedDemoPartners(database: Database): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await withTransaction(database.db, async (tx) => {
    for (const [name, p] of Object.entries(PROFILES)) {
      await tx
        .updateTable('partners')
        .set({ kind: p.kind, hours: p.hours, description: p.description, benefits: JSON.stringify(p.benefits) })
        .where('name', '=', name)
        .where('description', '=', '')
        .execute();
    }
    // Certified before the certificate existed: a number and a year from today.
    await sql`update partners set certified_at = coalesce(certified_at, now()),
        valid_until = coalesce(valid_until, (now() at time zone 'Asia/Shanghai')::date + 365),
        certificate_no = 'NX-' || left(region_id, 6) || '-' || to_char(now(), 'YYYY') || '-' || upper(left(replace(id::text, '-', ''), 8))
      where status = 'certified' and certificate_no is null`.execute(tx);

    const property = await tx.selectFrom('partners').select(['id', 'region_id', 'name']).where('name', '=', '安居物业·广塘小站').executeTakeFirst();
    if (!property) return;
    await tx
      .insertInto('users')
      .values({ username: 'anju', name: '陈志远', role: 'partner_staff', region_id: property.region_id, phone: '13800000011', password_hash: passwordHash, department_id: null, partner_id: property.id, station_id: null })
      .onConflict((oc) => oc.doNothing())
      .execute();

    const bikes = await tx.selectFrom('partner_donations').select('id').where('item', '=', '共享单车').executeTakeFirst();
    const donor = await tx.selectFrom('partners').select('id').where('name', '=', '顺达物流爱心企业').executeTakeFirst();
    if (!bikes && donor) {
      await tx
        .insertInto('partner_donations')
        .values({ region_id: '440114002001', partner_id: donor.id, item: '共享单车', quantity: 20, unit: '辆', recipient: '广塘花园小区', donated_on: '2026-10-15', note: '供骑手在小区内短驳使用', recorded_by: null })
        .execute();
    }

    const existing = await tx.selectFrom('pledges').select('id').where('region_id', '=', '440114002001').executeTakeFirst();
    if (existing) return;
    const admin = await tx.selectFrom('users').select('id').where('username', '=', 'guangtang').executeTakeFirst();
    const pledge = await tx
      .insertInto('pledges')
      .values({ region_id: '440114002001', version: 1, title: '广塘社区友好街区三方公约', body: PLEDGE_TEXT, published_by: admin?.id ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const anju = await tx.selectFrom('users').select('id').where('username', '=', 'anju').executeTakeFirst();
    const worker = await tx.selectFrom('users').select(['id', 'name']).where('phone', '=', '13900000003').executeTakeFirst();
    await tx
      .insertInto('pledge_signatures')
      .values([
        { pledge_id: pledge.id, region_id: '440114002001', kind: 'community', signer_key: 'community:440114002001', user_id: admin?.id ?? null, partner_id: null, display_name: '广塘社区居委会' },
        { pledge_id: pledge.id, region_id: '440114002001', kind: 'property', signer_key: `partner:${property.id}`, user_id: anju?.id ?? null, partner_id: property.id, display_name: property.name },
        ...(worker ? [{ pledge_id: pledge.id, region_id: '440114002001', kind: 'worker' as const, signer_key: `worker:${worker.id}`, user_id: worker.id, partner_id: null, display_name: maskName(worker.name) }] : []),
      ])
      .execute();
  });
}
