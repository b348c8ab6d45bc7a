import { withTransaction, type Database } from '../client.ts';
import type { CompoundGuide, GateInfo, GuideKind } from '@nuanxin/shared';
import { newCheckinSecret } from '../../modules/stations/checkin-code.ts';

interface DemoPlace {
  kind: GuideKind;
  region: string;
  name: string;
  notes: string;
  lat: number;
  lng: number;
  gate?: GateInfo;
  compound?: CompoundGuide;
  /** Contributed by this demo worker; verified unless `pending`. */
  by: string;
  pending?: boolean;
}

/** The street guide around 三华 and 广塘: where to park, charge, get in and find the building. */
const PLACES: DemoPlace[] = [
  { kind: 'parking', region: '440114001001', name: '三华路骑手临时停车区', notes: '路边划线区域，限停30分钟，勿占盲道', lat: 23.4017, lng: 113.2155, by: '13900000001' },
  { kind: 'parking', region: '440114001001', name: '三华北街地铁口停车点', notes: '共享单车区旁，晚高峰较满', lat: 23.4046, lng: 113.2179, by: '13900000003' },
  { kind: 'charging', region: '440114001001', name: '三华换电柜（铁塔能源）', notes: '24小时换电，支持美团/饿了么骑手专属套餐', lat: 23.4028, lng: 113.2168, by: '13900000001' },
  { kind: 'charging', region: '440114001002', name: '公益路充电桩', notes: '扫码充电 1元/小时，10个插座', lat: 23.3966, lng: 113.2232, by: '13900000004' },
  {
    kind: 'gate', region: '440114001001', name: '三华花园东门', notes: '门岗电话在岗亭窗口上', lat: 23.4033, lng: 113.2141, by: '13900000003',
    gate: { rules: ['walk_in', 'register'], opensAt: '07:00', closesAt: '23:00' },
  },
  {
    kind: 'gate', region: '440114001001', name: '三华花园北门', notes: '只出不进', lat: 23.4041, lng: 113.2133, by: '13900000005',
    gate: { rules: ['no_entry'], opensAt: null, closesAt: null },
  },
  {
    kind: 'compound', region: '440114001001', name: '三华花园', notes: '共12栋，东门进最近；地库可通各栋电梯', lat: 23.4036, lng: 113.2136, by: '13900000001',
    compound: {
      entrances: [{ label: '东门（可步行进入）', lat: 23.4033, lng: 113.2141 }, { label: '北门（只出）', lat: 23.4041, lng: 113.2133 }],
      buildings: [
        { label: '1栋', lat: 23.4035, lng: 113.2139, units: [{ label: '1单元', lat: 23.40352, lng: 113.21395 }, { label: '2单元', lat: 23.40355, lng: 113.21378 }] },
        { label: '5栋', lat: 23.4039, lng: 113.2131, units: [] },
        { label: '12栋', lat: 23.4031, lng: 113.2128, units: [] },
      ],
      garageRoute: '东门右侧坡道下地库，沿绿色箭头走，B区电梯到1—6栋，C区电梯到7—12栋',
    },
  },
  {
    kind: 'compound', region: '440114002001', name: '广塘花园', notes: '安居物业管理，门岗可出示通行码', lat: 23.3706, lng: 113.2293, by: '13900000008',
    compound: {
      entrances: [{ label: '南门（物业小站旁）', lat: 23.3702, lng: 113.2290 }],
      buildings: [{ label: 'A座', lat: 23.3708, lng: 113.2291, units: [] }, { label: 'B座', lat: 23.3709, lng: 113.2297, units: [] }],
      garageRoute: '南门左转下地库，A座电梯在入口右手边',
    },
  },
  { kind: 'parking', region: '440114001001', name: '三华市场后门空地', notes: '我看到很多骑手停这里', lat: 23.4009, lng: 113.2163, by: '13900000002', pending: true },
];

/** Loads the demo street guide, a guide points rule per street and 张伟's verified pass; names make a second run add nothing. */
export async function seedDemoGuide(database: Database, now = new Date()): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const reviewer = await tx.selectFrom('users').select('id').where('username', '=', 'grid01').executeTakeFirstOrThrow();
    for (const p of PLACES) {
      const exists = await tx.selectFrom('guide_places').select('id').where('region_id', '=', p.region).where('name', '=', p.name).executeTakeFirst();
      if (exists) continue;
      const author = await tx.selectFrom('users').select('id').where('phone', '=', p.by).executeTakeFirst();
      await tx
        .insertInto('guide_places')
        .values({
          region_id: p.region,
          kind: p.kind,
          state: p.pending ? 'pending' : 'verified',
          name: p.name,
          notes: p.notes,
          lat: p.lat,
          lng: p.lng,
          gate: p.gate ? JSON.stringify(p.gate) : null,
          compound: p.compound ? JSON.stringify(p.compound) : null,
          author_id: author?.id ?? null,
          reviewed_by: p.pending ? null : reviewer.id,
          reviewed_at: p.pending ? null : now,
        })
        .execute();
    }
    for (const street of ['440114001', '440114002']) {
      await tx
        .insertInto('points_rules')
        .values({ region_id: street, category: 'patrol', name: '贡献骑手指引', description: '提交的停车点、充电点、门岗或小区指引经核实', kind: 'earn', points: 5, daily_cap: 20, monthly_cap: null, needs_approval: false, claimable: false, suspend_after: null, valid_from: null, valid_to: null, status: 'active' })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // 张伟 (13900000001) had his identity checked by grid01: his 通行码 works in the demo.
    const zhang = await tx.selectFrom('users').select(['id', 'region_id']).where('phone', '=', '13900000001').executeTakeFirst();
    if (zhang) {
      await tx.updateTable('worker_profiles').set({ identity_verified_at: now, identity_verified_by: reviewer.id }).where('user_id', '=', zhang.id).where('identity_verified_at', 'is', null).execute();
      await tx
        .insertInto('rider_passes')
        .values({ worker_id: zhang.id, region_id: zhang.region_id, pass_no: 'ZW2826HD', secret: newCheckinSecret(), delivery_station: '美团外卖花都新华站' })
        .onConflict((oc) => oc.column('worker_id').doNothing())
        .execute();
    }
  });
}
