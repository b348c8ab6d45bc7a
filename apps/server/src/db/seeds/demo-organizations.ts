import { withTransaction, type Database } from '../client.ts';

type Kind = 'party_branch' | 'volunteer_team' | 'pioneer_post';

/** Branches, teams and a pioneer post of the demo district; leaders are staff of the same region. */
const ORGANIZATIONS: ReadonlyArray<{ region: string; kind: Kind; name: string; description: string; leaders: string[]; guides?: string[]; station?: string }> = [
  { region: '440114001', kind: 'party_branch', name: '新华街道新就业群体流动党员党支部', description: '面向辖区外卖骑手、快递员的流动党员党支部，每月第一个周四开展主题党日。', leaders: ['xinhua'], guides: ['district'] },
  { region: '440114001001', kind: 'party_branch', name: '三华社区骑手党支部', description: '三华社区骑手党员“亮身份、当先锋”，参与社区微治理。', leaders: ['grid01'], guides: ['sanhua'] },
  { region: '440114002', kind: 'party_branch', name: '新雅街道流动党员党支部', description: '新雅街道新就业群体流动党员之家。', leaders: ['xinya'] },
  { region: '440114001001', kind: 'volunteer_team', name: '三华骑手志愿服务队', description: '文明劝导、政策宣传、关爱帮扶，每周末开展志愿服务。', leaders: ['grid01'] },
  { region: '440114002001', kind: 'volunteer_team', name: '广塘小哥志愿服务队', description: '雨天护学、暖心送餐，欢迎骑手兄弟加入。', leaders: ['guangtang'] },
  { region: '440114001001', kind: 'pioneer_post', name: '三华驿站党员先锋岗', description: '驿站党员轮值，为骑手提供政策咨询和应急帮助。', leaders: ['sanhua'], station: '三华社区暖新驿站' },
];

/** [phone, organization, status, party status, joined on]. */
const MEMBERS: ReadonlyArray<readonly [string, string, 'pending' | 'verified', 'formal' | 'probationary' | 'activist' | null, string | null]> = [
  ['13900000005', '三华社区骑手党支部', 'verified', 'formal', '2015-07-01'],
  ['13900000002', '新华街道新就业群体流动党员党支部', 'pending', 'probationary', '2025-12-20'],
  ['13900000006', '新华街道新就业群体流动党员党支部', 'verified', 'activist', '2026-03-15'],
  ['13900000003', '新雅街道流动党员党支部', 'verified', 'formal', '2012-06-18'],
  ['13900000001', '三华骑手志愿服务队', 'verified', null, null],
  ['13900000007', '广塘小哥志愿服务队', 'pending', null, null],
];

/** Loads the demo organizations; names and open memberships make a second run add nothing. */
export async function seedDemoOrganizations(database: Database): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const users = new Map((await tx.selectFrom('users').select(['id', 'username', 'phone', 'region_id']).execute()).flatMap((u) => [...(u.username ? [[u.username, u] as const] : []), ...(u.phone ? [[u.phone, u] as const] : [])]));
    const district = users.get('district')!;
    const stations = new Map((await tx.selectFrom('stations').select(['id', 'name']).execute()).map((s) => [s.name, s.id]));
    for (const o of ORGANIZATIONS) {
      const created = await tx
        .insertInto('organizations')
        .values({ region_id: o.region, kind: o.kind, name: o.name, description: o.description, station_id: o.station ? (stations.get(o.station) ?? null) : null, created_by: district.id })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!created) continue;
      const staff = [...o.leaders.map((u) => ({ u, role: 'leader' as const })), ...(o.guides ?? []).map((u) => ({ u, role: 'guide' as const }))];
      await tx
        .insertInto('organization_staff')
        .values(staff.map((s) => ({ organization_id: created.id, user_id: users.get(s.u)!.id, region_id: o.region, role: s.role })))
        .execute();
    }
    const orgs = new Map((await tx.selectFrom('organizations').select(['id', 'name', 'region_id', 'kind']).execute()).map((o) => [o.name, o]));
    const now = new Date();
    for (const [phone, orgName, status, partyStatus, joinedOn] of MEMBERS) {
      const org = orgs.get(orgName)!;
      const user = users.get(phone)!;
      const leader = await tx.selectFrom('organization_staff').select('user_id').where('organization_id', '=', org.id).where('role', '=', 'leader').executeTakeFirstOrThrow();
      await tx
        .insertInto('organization_members')
        .values({
          organization_id: org.id,
          region_id: org.region_id,
          kind: org.kind,
          user_id: user.id,
          status,
          party_status: partyStatus,
          joined_on: joinedOn,
          note: '',
          ...(status === 'verified' ? { decided_by: leader.user_id, decided_at: now, verified_at: now } : {}),
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // 陈静 is the part-time grid member of 三华第一网格; 刘洋 has applied in 清布社区.
    const chen = users.get('13900000005')!;
    const sanhua = users.get('sanhua')!;
    await tx
      .insertInto('grid_members')
      .values({ region_id: '440114001001001', community_id: '440114001001', user_id: chen.id, status: 'appointed', note: '在三华跑单五年，熟悉街巷', grid_id: '440114001001001', certificate_no: '440114001001001-2026-001', appointed_on: '2026-03-01', term_ends_on: '2028-02-29', appointed_at: now, decided_by: sanhua.id, decided_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const liu = users.get('13900000004')!;
    await tx
      .insertInto('grid_members')
      .values({ region_id: liu.region_id, community_id: liu.region_id, user_id: liu.id, status: 'applied', note: '愿意利用送餐间隙巡查身边问题' })
      .onConflict((oc) => oc.doNothing())
      .execute();
  });
}
