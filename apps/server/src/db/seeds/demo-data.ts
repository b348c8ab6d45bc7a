/**
 * Demo data: a fictional but plausible district (places named after 广州市花都区; shops, people and
 * phone numbers are invented). Coordinates are WGS-84.
 */
export const DEMO_PASSWORD = 'Nuanxin@2026';

export const REGIONS = [
  { id: '440114', parent: null, level: 'district', name: '花都区' },
  { id: '440114001', parent: '440114', level: 'street', name: '新华街道' },
  { id: '440114002', parent: '440114', level: 'street', name: '新雅街道' },
  { id: '440114001001', parent: '440114001', level: 'community', name: '三华社区' },
  { id: '440114001002', parent: '440114001', level: 'community', name: '公益社区' },
  { id: '440114002001', parent: '440114002', level: 'community', name: '广塘社区' },
  { id: '440114002002', parent: '440114002', level: 'community', name: '清布社区' },
  ...['440114001001', '440114001002', '440114002001', '440114002002'].flatMap((community) => [
    { id: `${community}001`, parent: community, level: 'grid', name: '第一网格' },
    { id: `${community}002`, parent: community, level: 'grid', name: '第二网格' },
  ]),
] as const;

export const DEPARTMENTS = [
  { region: '440114', name: '区城市管理和综合执法局', kind: '城管' },
  { region: '440114', name: '区住房和城乡建设局', kind: '市政' },
  { region: '440114', name: '区市场监督管理局', kind: '市场监管' },
  { region: '440114', name: '区交通运输局', kind: '交通' },
  { region: '440114001', name: '新华街道综合行政执法队', kind: '城管' },
  { region: '440114002', name: '新雅街道综合行政执法队', kind: '城管' },
] as const;

export const PARTNERS = [
  { region: '440114001001', name: '暖心理发（三华店）', kind: '暖新商家', lat: 23.4012, lng: 113.2161, address: '新华街三华路18号' },
  { region: '440114001002', name: '粤味快餐（公益路店）', kind: '暖新商家', lat: 23.3968, lng: 113.2235, address: '新华街公益路52号' },
  { region: '440114001', name: '新华社区卫生服务中心', kind: '医院', lat: 23.3991, lng: 113.2197, address: '新华街建设北路101号' },
  { region: '440114002001', name: '安居物业·广塘小站', kind: '物业小站', lat: 23.3702, lng: 113.2289, address: '新雅街广塘西路6号' },
  { region: '440114', name: '花都新就业群体学院', kind: '学院', lat: 23.3925, lng: 113.2152, address: '新华街迎宾大道168号' },
  { region: '440114002', name: '顺达物流爱心企业', kind: '爱心企业', lat: 23.3651, lng: 113.2402, address: '新雅街清布路88号' },
] as const;

const ALL_AMENITIES = ['aircon', 'water', 'microwave', 'fridge', 'charging', 'toilet', 'reading', 'medkit', 'wifi'];
const pick = (list: string[], ...indexes: number[]) => indexes.map((i) => list[i]!);

export const STATIONS = [
  { region: '440114001001001', name: '三华社区暖新驿站', type: 'nuanxin', status: 'accepted', lat: 23.4021, lng: 113.2149, address: '新华街三华路26号一楼', amenities: pick(ALL_AMENITIES, 0, 1, 2, 3, 4, 5, 8), services: ['legal', 'employment'], hours: '08:00-22:00' },
  { region: '440114001001002', name: '三华工会驿站', type: 'union', status: 'accepted', lat: 23.4049, lng: 113.2188, address: '新华街三华北街9号', amenities: pick(ALL_AMENITIES, 0, 1, 4, 5, 6), services: ['counselling'], hours: '09:00-21:00' },
  { region: '440114001002001', name: '公益路骑手之家', type: 'nuanxin', status: 'accepted', lat: 23.3962, lng: 113.2241, address: '新华街公益路60号', amenities: pick(ALL_AMENITIES, 0, 1, 2, 4, 5, 7, 8), services: ['clinic', 'legal'], hours: '24小时' },
  { region: '440114001002002', name: '新华党群服务中心暖新驿站', type: 'party', status: 'accepted', lat: 23.3979, lng: 113.2206, address: '新华街建设北路88号', amenities: pick(ALL_AMENITIES, 0, 1, 2, 3, 5, 6, 8), services: ['employment', 'matchmaking', 'housing'], hours: '08:30-21:30' },
  { region: '440114001002001', name: '粤味快餐爱心点', type: 'merchant', status: 'built', lat: 23.3969, lng: 113.2233, address: '新华街公益路52号', amenities: pick(ALL_AMENITIES, 1, 2, 4), services: [], hours: '10:00-22:00' },
  { region: '440114001001001', name: '迎宾大道户外劳动者驿站', type: 'union', status: 'built', lat: 23.3931, lng: 113.2139, address: '新华街迎宾大道150号', amenities: pick(ALL_AMENITIES, 0, 1, 5), services: [], hours: '07:00-19:00' },
  { region: '440114002001001', name: '广塘社区暖新驿站', type: 'nuanxin', status: 'accepted', lat: 23.3711, lng: 113.2277, address: '新雅街广塘路12号', amenities: pick(ALL_AMENITIES, 0, 1, 2, 3, 4, 5, 8), services: ['clinic', 'counselling'], hours: '08:00-22:00' },
  { region: '440114002001002', name: '广塘物业小站', type: 'merchant', status: 'accepted', lat: 23.3698, lng: 113.2294, address: '新雅街广塘西路6号', amenities: pick(ALL_AMENITIES, 1, 4, 5), services: ['housing'], hours: '09:00-18:00' },
  { region: '440114002002001', name: '清布工会驿站', type: 'union', status: 'accepted', lat: 23.3642, lng: 113.2391, address: '新雅街清布路70号', amenities: pick(ALL_AMENITIES, 0, 1, 2, 4, 5, 6, 7), services: ['legal'], hours: '08:00-20:00' },
  { region: '440114002002002', name: '新雅党群服务中心暖新驿站', type: 'party', status: 'built', lat: 23.3669, lng: 113.2352, address: '新雅街镜湖大道33号', amenities: pick(ALL_AMENITIES, 0, 1, 2, 3, 5, 8), services: ['employment', 'clinic'], hours: '08:30-21:00' },
  { region: '440114002002001', name: '清布路充电驿站', type: 'nuanxin', status: 'planned', lat: 23.3627, lng: 113.2418, address: '新雅街清布路120号', amenities: pick(ALL_AMENITIES, 4), services: [], hours: '24小时' },
  { region: '440114002001001', name: '镜湖大道爱心点', type: 'merchant', status: 'planned', lat: 23.3684, lng: 113.2331, address: '新雅街镜湖大道8号', amenities: pick(ALL_AMENITIES, 1), services: [], hours: '10:00-20:00' },
] as const;

export const REWARDS = [
  { partner: '暖心理发（三华店）', name: '理发一次', description: '男士/女士剪发一次，不含烫染', points: 30, stock: 50, limit: 2 },
  { partner: '粤味快餐（公益路店）', name: '午餐套餐', description: '两荤一素配例汤', points: 50, stock: 100, limit: 4 },
  { partner: '新华社区卫生服务中心', name: '基础体检', description: '血压、血糖、心电图', points: 200, stock: 20, limit: 1 },
  { partner: '安居物业·广塘小站', name: '电动车检修', description: '刹车、灯光、轮胎检查', points: 40, stock: 30, limit: 2 },
  { partner: '花都新就业群体学院', name: '技能培训课程', description: '电工、育婴师等职业技能课一期', points: 100, stock: 40, limit: 1 },
] as const;

type StaffRole = 'district_admin' | 'street_admin' | 'community_admin' | 'grid_staff' | 'department_handler' | 'partner_staff' | 'station_keeper';
export const STAFF: ReadonlyArray<{ username: string; name: string; role: StaffRole; region: string; phone: string; department?: string; partner?: string; station?: string }> = [
  { username: 'district', name: '周建国', role: 'district_admin', region: '440114', phone: '13800000001' },
  { username: 'xinhua', name: '吴晓梅', role: 'street_admin', region: '440114001', phone: '13800000002' },
  { username: 'xinya', name: '郑志强', role: 'street_admin', region: '440114002', phone: '13800000003' },
  { username: 'sanhua', name: '孙丽华', role: 'community_admin', region: '440114001001', phone: '13800000004' },
  { username: 'guangtang', name: '马文斌', role: 'community_admin', region: '440114002001', phone: '13800000005' },
  { username: 'grid01', name: '林小燕', role: 'grid_staff', region: '440114001001001', phone: '13800000006' },
  { username: 'grid02', name: '何俊杰', role: 'grid_staff', region: '440114002001001', phone: '13800000007' },
  { username: 'chengguan', name: '高海涛', role: 'department_handler', region: '440114', phone: '13800000008', department: '区城市管理和综合执法局' },
  { username: 'barber', name: '罗美玲', role: 'partner_staff', region: '440114001001', phone: '13800000009', partner: '暖心理发（三华店）' },
  { username: 'keeper01', name: '谢国平', role: 'station_keeper', region: '440114001001001', phone: '13800000010', station: '三华社区暖新驿站' },
];

export const WORKERS = [
  { phone: '13900000001', name: '张伟', occupation: 'rider', company: '美团', vehicle: '电动车', community: '440114001001' },
  { phone: '13900000002', name: '李娜', occupation: 'courier', company: '顺丰', vehicle: '电动车', community: '440114001002' },
  { phone: '13900000003', name: '王强', occupation: 'driver', company: '滴滴出行', vehicle: '汽车', community: '440114002001' },
  { phone: '13900000004', name: '刘洋', occupation: 'rider', company: '饿了么', vehicle: '电动车', community: '440114002002' },
  { phone: '13900000005', name: '陈静', occupation: 'outdoor', company: '花都区环卫所', vehicle: null, community: '440114001001' },
  { phone: '13900000006', name: '杨帆', occupation: 'courier', company: '京东', vehicle: '电动三轮车', community: '440114001002' },
  { phone: '13900000007', name: '赵磊', occupation: 'trucker', company: '货拉拉', vehicle: '货车', community: '440114002001' },
  { phone: '13900000008', name: '黄敏', occupation: 'rider', company: '美团', vehicle: '电动车', community: '440114002002' },
] as const;

/** Points rules every street starts with (a street admin edits them). */
export const RULES = [
  { category: 'volunteer', name: '参加志愿服务', description: '每次服务不少于2小时，凭组织方证明申报', points: 10, monthlyCap: 100, claimable: true, needsApproval: true },
  { category: 'civility', name: '文明骑行示范', description: '被评为当日文明骑行示范', points: 5, dailyCap: 5 },
  { category: 'activity', name: '参加暖新活动', description: '活动签到后自动获得', points: 5 },
  { category: 'report', name: '随手拍被立案', description: '报事被受理立案', points: 5 },
  { category: 'report', name: '随手拍结案奖励', description: '报事处置结案后追加', points: 5 },
  { category: 'patrol', name: '微网格巡查', description: '按网格员安排完成一次巡查', points: 3, dailyCap: 9, claimable: true, needsApproval: true },
  { category: 'publicity', name: '政策宣传', description: '向同行宣传政策，凭照片申报', points: 5, claimable: true, needsApproval: false },
  { category: 'care', name: '关爱帮扶', description: '帮助困难同行或群众', points: 10, claimable: true, needsApproval: true },
  { category: 'honor', name: '金牌先锋表彰', description: '季度评选获评金牌先锋', points: 100 },
  { category: 'activity', name: '报名活动未到场', description: '负面清单：报名后无故缺席', points: 5, kind: 'deduct', suspendAfter: 3 },
] as const;

/** Points the demo workers start with: [phone, rule name] per award. */
export const DEMO_AWARDS: ReadonlyArray<readonly [string, string]> = [
  ['13900000001', '参加志愿服务'],
  ['13900000001', '随手拍被立案'],
  ['13900000001', '随手拍结案奖励'],
  ['13900000001', '关爱帮扶'],
  ['13900000001', '金牌先锋表彰'],
  ['13900000002', '参加暖新活动'],
  ['13900000002', '参加志愿服务'],
  ['13900000003', '金牌先锋表彰'],
  ['13900000004', '微网格巡查'],
  ['13900000005', '参加志愿服务'],
  ['13900000005', '政策宣传'],
];

/** Minutes per step: 立案+派遣 from the report, 签收 and 处置 from dispatch, 核查 from the handling report. */
const LIMITS = { dispatch: 30, acknowledge: 60, handle: 1440, verify: 240 };
const URGENT = { dispatch: 10, acknowledge: 15, handle: 240, verify: 60 };
const CG = '区城市管理和综合执法局';
const ZJ = '区住房和城乡建设局';
const SJ = '区市场监督管理局';
const JT = '区交通运输局';

/** The district's two-level catalogue after the usual 部件/事件 classes; each 小类 may override its 大类's department and limits. */
export const CASE_CATEGORIES: ReadonlyArray<{
  code: string;
  name: string;
  department: string | null;
  children: ReadonlyArray<{ code: string; name: string; department?: string | null; limits?: Partial<typeof LIMITS>; urgentLimits?: Partial<typeof URGENT>; workingHours?: boolean }>;
}> = [
  {
    code: 'env',
    name: '市容环境',
    department: CG,
    children: [
      // 暴露垃圾: handled within 4 working hours.
      { code: 'env.garbage', name: '暴露垃圾', limits: { acknowledge: 30, handle: 240, verify: 120 }, urgentLimits: { handle: 120 }, workingHours: true },
      { code: 'env.vending', name: '占道经营' },
      { code: 'env.posters', name: '乱张贴乱涂画' },
      { code: 'env.dirty_road', name: '道路不洁' },
    ],
  },
  {
    code: 'traffic',
    name: '道路交通',
    department: JT,
    children: [
      { code: 'traffic.bikes', name: '共享单车乱停放', department: CG, limits: { handle: 240 } },
      { code: 'traffic.flooding', name: '道路积水', department: ZJ, limits: { handle: 180 }, urgentLimits: { handle: 60 } },
      { code: 'traffic.road_damage', name: '道路破损', department: ZJ },
      { code: 'traffic.signals', name: '交通信号灯故障', limits: { handle: 240 } },
    ],
  },
  {
    code: 'facility',
    name: '公共设施',
    department: ZJ,
    children: [
      { code: 'facility.manhole', name: '井盖缺失', limits: { handle: 120 }, urgentLimits: { handle: 60 } },
      { code: 'facility.streetlight', name: '路灯不亮' },
      { code: 'facility.railing', name: '护栏损坏' },
    ],
  },
  {
    code: 'safety',
    name: '安全隐患',
    department: CG,
    children: [
      { code: 'safety.ebike_charging', name: '电动车违规充电', limits: { handle: 240 } },
      { code: 'safety.fire_lane', name: '消防通道堵塞', limits: { handle: 240 } },
      { code: 'safety.falling', name: '高空坠物隐患' },
    ],
  },
  {
    code: 'food',
    name: '食品安全',
    department: SJ,
    children: [
      { code: 'food.unlicensed', name: '无证经营', workingHours: true },
      { code: 'food.expired', name: '过期变质食品', workingHours: true },
    ],
  },
  {
    code: 'civility',
    name: '文明创建',
    department: CG,
    children: [
      { code: 'civility.ads', name: '违规户外广告' },
      { code: 'civility.behaviour', name: '不文明行为' },
    ],
  },
  {
    code: 'opinion',
    name: '社情民意',
    department: null,
    children: [
      { code: 'opinion.suggestion', name: '意见建议', limits: { handle: 4320 }, workingHours: true },
      { code: 'opinion.dispute', name: '矛盾纠纷', limits: { handle: 2880 } },
    ],
  },
];
export const CASE_LIMITS = { normal: LIMITS, urgent: URGENT };

/**
 * Demo cases, each taken through the workflow to `steps` by the accounts that would take them
 * (see seeds/demo-cases.ts). Positions are beside the demo stations, so each lands in that community.
 */
export const DEMO_CASES: ReadonlyArray<{ key: string; phone: string; category: string; lat: number; lng: number; address: string; description: string; steps: readonly string[] }> = [
  { key: 'demo-case-01', phone: '13900000001', category: 'env.garbage', lat: 23.4024, lng: 113.2152, address: '三华路26号旁垃圾桶', description: '垃圾桶满溢，周边散落生活垃圾', steps: [] },
  { key: 'demo-case-02', phone: '13900000002', category: 'traffic.bikes', lat: 23.3965, lng: 113.2243, address: '公益路60号门口', description: '共享单车堆放堵住人行道', steps: [] },
  { key: 'demo-case-03', phone: '13900000003', category: 'traffic.flooding', lat: 23.3714, lng: 113.2280, address: '广塘路与广塘西路交叉口', description: '路口积水约20厘米，电动车难以通行', steps: ['accept'] },
  { key: 'demo-case-04', phone: '13900000004', category: 'env.vending', lat: 23.3645, lng: 113.2394, address: '清布路70号', description: '流动摊贩占道经营，影响骑手停车', steps: ['accept', 'dispatch'] },
  { key: 'demo-case-05', phone: '13900000005', category: 'facility.manhole', lat: 23.4046, lng: 113.2185, address: '三华北街9号对面', description: '井盖缺失，已用树枝临时标记', steps: ['accept:urgent', 'dispatch:grid', 'acknowledge'] },
  { key: 'demo-case-06', phone: '13900000006', category: 'facility.streetlight', lat: 23.4018, lng: 113.2146, address: '三华路30号', description: '连续三盏路灯夜间不亮', steps: ['accept', 'dispatch:grid', 'acknowledge', 'start'] },
  { key: 'demo-case-07', phone: '13900000007', category: 'safety.ebike_charging', lat: 23.3708, lng: 113.2274, address: '广塘路12号楼道', description: '楼道内飞线给电动车充电', steps: ['accept', 'dispatch', 'acknowledge', 'start', 'request_extension'] },
  { key: 'demo-case-08', phone: '13900000008', category: 'env.dirty_road', lat: 23.3640, lng: 113.2388, address: '清布路66号', description: '路面油污，雨天易滑倒', steps: ['accept', 'dispatch', 'acknowledge', 'defer'] },
  { key: 'demo-case-09', phone: '13900000001', category: 'env.posters', lat: 23.4023, lng: 113.2147, address: '三华路24号墙面', description: '墙面小广告密集', steps: ['accept', 'dispatch', 'acknowledge', 'start', 'handle'] },
  { key: 'demo-case-10', phone: '13900000002', category: 'safety.fire_lane', lat: 23.3960, lng: 113.2239, address: '公益路58号小区', description: '消防通道被杂物堵塞', steps: ['accept', 'dispatch', 'acknowledge', 'start', 'handle', 'verify'] },
  { key: 'demo-case-11', phone: '13900000003', category: 'civility.ads', lat: 23.3700, lng: 113.2290, address: '广塘西路6号', description: '店门口违规立牌广告', steps: ['accept', 'dispatch', 'acknowledge', 'start', 'handle', 'verify', 'close'] },
  { key: 'demo-case-12', phone: '13900000004', category: 'env.garbage', lat: 23.3644, lng: 113.2393, address: '清布路72号', description: '建筑垃圾堆放在路边', steps: ['accept', 'dispatch', 'acknowledge', 'start', 'handle', 'verify', 'close', 'rate'] },
  { key: 'demo-case-13', phone: '13900000005', category: 'opinion.suggestion', lat: 23.4020, lng: 113.2150, address: '三华社区暖新驿站', description: '希望驿站增加夜间开放时间', steps: ['reject'] },
  { key: 'demo-case-14', phone: '13900000006', category: 'traffic.bikes', lat: 23.3966, lng: 113.2244, address: '公益路60号', description: '门口单车乱停', steps: ['merge:demo-case-02'] },
  { key: 'demo-case-15', phone: '13900000001', category: 'env.vending', lat: 23.4022, lng: 113.2150, address: '三华路26号', description: '早餐摊占用非机动车道', steps: ['accept', 'dispatch', 'return'] },
];
