import ExcelJS from 'exceljs';
import type { BreakdownItem, DashboardStations, DashboardSummary, DashboardTrend, Kpi } from '@nuanxin/shared';
import type { DashboardService } from './dashboard.service.ts';

type Monthly = Awaited<ReturnType<DashboardService['monthly']>>;
type Cell = string | number | null;
export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 1000) / 10);
const STATION_STATUS: Record<string, string> = { planned: '规划', built: '已建', accepted: '已验收', suspended: '暂停', closed: '关闭' };
const POINT_CATEGORY: Record<string, string> = {
  volunteer: '志愿服务',
  civility: '文明实践',
  activity: '活动参与',
  report: '随手拍报事',
  patrol: '微网格巡查',
  publicity: '政策宣传',
  care: '关爱帮扶',
  honor: '荣誉表彰',
};

/** The KPI cards as rows: figure, this period, previous period, change. */
export function cardsTable(s: DashboardSummary): Table {
  const row = (name: string, k: Kpi | null, rate = false): Cell[] =>
    k ? [name, rate ? pct(k.value) : k.value, rate ? pct(k.previous) : k.previous, k.change === null ? null : rate ? pct(k.change) : pct(k.change)] : [name, null, null, null];
  return {
    title: `概览 ${s.from} 至 ${s.to}`,
    columns: ['指标', `本期（${s.from}~${s.to}）`, `上期（${s.previous.from}~${s.previous.to}）`, '变化（%/百分点）'],
    rows: [
      ['驿站·规划', s.stations.planned, null, null],
      ['驿站·已建', s.stations.built, null, null],
      ['驿站·已验收', s.stations.accepted, null, null],
      row('驿站·到访人次', s.stations.visits),
      row('案件·受理', s.cases.received),
      row('案件·立案', s.cases.accepted),
      row('案件·派遣', s.cases.dispatched),
      row('案件·结案', s.cases.closed),
      row('结案率(%)', s.cases.closeRate, true),
      row('按期结案率(%)', s.cases.onTimeRate, true),
      row('返工率(%)', s.cases.reworkRate, true),
      row('延期率(%)', s.cases.extensionRate, true),
      row('满意率(%)', s.cases.satisfactionRate, true),
      row('派遣用时中位数(分钟)', s.cases.medianDispatchMinutes),
      row('结案用时中位数(分钟)', s.cases.medianCloseMinutes),
      row('积分·发放', s.points.issued),
      row('积分·兑换', s.points.redeemed),
      ['积分·未兑余额', s.points.outstanding, null, null],
      row('兑换·核销', s.rewards.fulfilled),
      row('新就业群体·新注册', s.workers.registered),
      ['新就业群体·累计注册', s.workers.total, null, null],
      ['新就业群体·30天活跃', s.workers.active30, null, null],
      row('暖新·微心愿圆梦', s.community.wishesFulfilled),
      row('暖新·开展活动', s.community.activitiesHeld),
      row('暖新·活动覆盖人数', s.community.peopleCovered),
      row('暖新·志愿服务时长(小时)', s.community.volunteerHours),
      row('暖新·新授牌商家单位', s.community.partnersJoined),
      ['暖新·在册商家单位', s.community.partnersCertified, null, null],
      ['暖新·流动党员党支部', s.community.partyBranches, null, null],
      ['暖新·兼职网格员', s.community.gridMembers, null, null],
    ],
  };
}

export function breakdownTable(title: string, keyName: string, items: BreakdownItem[]): Table {
  const community = items.some((i) => i.pointsIssued !== undefined);
  return {
    title,
    columns: [keyName, '受理', '派遣', '结案', '按期结案', '返工', '延期', '评价', '满意', '结案率(%)', '按期结案率(%)', '返工率(%)', '延期率(%)', '满意率(%)', '平均评分', ...(community ? ['积分发放', '新注册'] : [])],
    rows: items.map((i) => [
      i.name,
      i.received,
      i.dispatched,
      i.closed,
      i.closedOnTime,
      i.reworked,
      i.extended,
      i.rated,
      i.satisfied,
      pct(i.closeRate),
      pct(i.onTimeRate),
      pct(i.reworkRate),
      pct(i.extensionRate),
      pct(i.satisfactionRate),
      i.averageRating,
      ...(community ? [i.pointsIssued ?? 0, i.workersRegistered ?? 0] : []),
    ]),
  };
}

export function trendTable(t: DashboardTrend): Table {
  return { title: `${t.metric}（${t.bucket}）`, columns: ['日期', t.metric], rows: t.points.map((p) => [p.at, p.value]) };
}

export function stationsTable(s: DashboardStations): Table {
  return { title: '驿站', columns: ['驿站', '状态', '区域编码', '纬度', '经度', '到访人次'], rows: s.items.map((i) => [i.name, STATION_STATUS[i.status] ?? i.status, i.regionId, i.lat, i.lng, i.visits]) };
}

function pointsTable(s: DashboardSummary): Table {
  return {
    title: '积分',
    columns: ['类别', '发放积分'],
    rows: [...s.points.byCategory.map((c): Cell[] => [POINT_CATEGORY[c.category] ?? c.category, c.issued]), ['合计发放', s.points.issued.value], ['兑换', s.points.redeemed.value], ['未兑余额', s.points.outstanding]],
  };
}

// A leading quote keeps a spreadsheet from running text that starts like a formula.
const csvCell = (v: Cell) => {
  if (v === null) return '';
  let text = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** CSV with a BOM, so Excel opens the Chinese headers as UTF-8. */
export function toCsv(table: Table): string {
  return `\uFEFF${[table.columns, ...table.rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, table: Table) {
  const sheet = workbook.addWorksheet(name);
  sheet.addRow([table.title]).font = { bold: true, size: 13 };
  sheet.addRow(table.columns).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 28 : 14;
  });
}

/** The monthly report: one workbook, one sheet per domain. */
export async function monthlyWorkbook(report: Monthly): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(0);
  const s = report.summary;
  addSheet(workbook, '概览', { ...cardsTable(s), title: `${report.region.name} ${report.month} 月报` });
  addSheet(workbook, '案件-类别', breakdownTable('案件（按类别）', '类别', report.category.items));
  addSheet(workbook, '案件-部门', breakdownTable('部门考核（按派遣部门）', '部门', report.department.items));
  addSheet(workbook, '社区', breakdownTable('社区', '社区', report.community.items));
  addSheet(workbook, '案件-每日', trendTable(report.received));
  addSheet(workbook, '积分', pointsTable(s));
  addSheet(workbook, '驿站', stationsTable(report.stations));
  addSheet(workbook, '人员', {
    title: '新就业群体',
    columns: ['指标', '数值'],
    rows: [
      ['本月新注册', s.workers.registered.value],
      ['累计注册', s.workers.total],
      ['30天活跃', s.workers.active30],
    ],
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
