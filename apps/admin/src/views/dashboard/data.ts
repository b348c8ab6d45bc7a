import { dashboardRoutes, type DashboardBreakdown, type DashboardHeat, type DashboardStations, type DashboardSummary, type DashboardTrend, type Kpi, type TrendBucket } from '@nuanxin/shared';
import { call } from '../../api/index.ts';
import type { ChartOption } from './echarts.ts';

export interface DashboardData {
  summary: DashboardSummary;
  received: DashboardTrend;
  closed: DashboardTrend;
  category: DashboardBreakdown;
  department: DashboardBreakdown;
  community: DashboardBreakdown;
  heat: DashboardHeat;
  stations: DashboardStations;
}

/** Day points up to two months, weeks up to half a year, months beyond. */
export function bucketFor(from: string, to: string): TrendBucket {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  return days <= 62 ? 'day' : days <= 183 ? 'week' : 'month';
}

/** Everything one dashboard screen shows, in parallel. */
export async function loadDashboard(regionId: string | undefined, from: string, to: string): Promise<DashboardData> {
  const q = { ...(regionId ? { regionId } : {}), from, to };
  const bucket = bucketFor(from, to);
  const [summary, received, closed, category, department, community, heat, stations] = await Promise.all([
    call(dashboardRoutes.summary, { query: q }),
    call(dashboardRoutes.trend, { query: { ...q, metric: 'cases.received', bucket } }),
    call(dashboardRoutes.trend, { query: { ...q, metric: 'cases.closed', bucket } }),
    call(dashboardRoutes.breakdown, { query: { ...q, dimension: 'category' } }),
    call(dashboardRoutes.breakdown, { query: { ...q, dimension: 'department' } }),
    call(dashboardRoutes.breakdown, { query: { ...q, dimension: 'community' } }),
    call(dashboardRoutes.heat, { query: q }),
    call(dashboardRoutes.stations, { query: q }),
  ]);
  return { summary, received, closed, category, department, community, heat, stations };
}

export type Preset = 'month' | 'quarter' | 'year';
/**
 * This month, quarter or year up to today, in China time: the dashboard's days are China days
 * (the server's), whatever zone the browser is in — at 00:30 in Beijing a UTC browser is still on
 * yesterday, and would leave out today's cases.
 */
export function presetRange(preset: Preset, now = new Date()): [string, string] {
  const cst = new Date(now.getTime() + 8 * 3_600_000);
  const month = cst.getUTCMonth();
  const first = preset === 'month' ? month : preset === 'quarter' ? month - (month % 3) : 0;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return [day(new Date(Date.UTC(cst.getUTCFullYear(), first, 1))), day(cst)];
}

type Format = 'count' | 'rate' | 'minutes';
export interface CardDef {
  key: string;
  kpi: (s: DashboardSummary) => Kpi | number | null;
  format: Format;
  /** Lower is better (rework, extension, time): a fall is shown green. */
  lowerIsBetter?: boolean;
}

export const CARD_GROUPS: { section: 'cases' | 'stations' | 'points' | 'workers' | 'life'; cards: CardDef[] }[] = [
  {
    section: 'cases',
    cards: [
      { key: 'received', kpi: (s) => s.cases.received, format: 'count' },
      { key: 'closed', kpi: (s) => s.cases.closed, format: 'count' },
      { key: 'closeRate', kpi: (s) => s.cases.closeRate, format: 'rate' },
      { key: 'onTimeRate', kpi: (s) => s.cases.onTimeRate, format: 'rate' },
      { key: 'reworkRate', kpi: (s) => s.cases.reworkRate, format: 'rate', lowerIsBetter: true },
      { key: 'extensionRate', kpi: (s) => s.cases.extensionRate, format: 'rate', lowerIsBetter: true },
      { key: 'satisfactionRate', kpi: (s) => s.cases.satisfactionRate, format: 'rate' },
      { key: 'medianDispatchMinutes', kpi: (s) => s.cases.medianDispatchMinutes, format: 'minutes', lowerIsBetter: true },
      { key: 'medianCloseMinutes', kpi: (s) => s.cases.medianCloseMinutes, format: 'minutes', lowerIsBetter: true },
    ],
  },
  {
    section: 'stations',
    cards: [
      { key: 'stationsPlanned', kpi: (s) => s.stations.planned, format: 'count' },
      { key: 'stationsBuilt', kpi: (s) => s.stations.built, format: 'count' },
      { key: 'stationsAccepted', kpi: (s) => s.stations.accepted, format: 'count' },
      { key: 'visits', kpi: (s) => s.stations.visits, format: 'count' },
    ],
  },
  {
    section: 'points',
    cards: [
      { key: 'issued', kpi: (s) => s.points.issued, format: 'count' },
      { key: 'redeemed', kpi: (s) => s.points.redeemed, format: 'count' },
      { key: 'outstanding', kpi: (s) => s.points.outstanding, format: 'count' },
      { key: 'fulfilled', kpi: (s) => s.rewards.fulfilled, format: 'count' },
    ],
  },
  {
    section: 'workers',
    cards: [
      { key: 'registered', kpi: (s) => s.workers.registered, format: 'count' },
      { key: 'total', kpi: (s) => s.workers.total, format: 'count' },
      { key: 'active30', kpi: (s) => s.workers.active30, format: 'count' },
    ],
  },
  {
    section: 'life',
    cards: [
      { key: 'wishesFulfilled', kpi: (s) => s.community.wishesFulfilled, format: 'count' },
      { key: 'activitiesHeld', kpi: (s) => s.community.activitiesHeld, format: 'count' },
      { key: 'peopleCovered', kpi: (s) => s.community.peopleCovered, format: 'count' },
      { key: 'volunteerHours', kpi: (s) => s.community.volunteerHours, format: 'count' },
      { key: 'partnersJoined', kpi: (s) => s.community.partnersJoined, format: 'count' },
      { key: 'partnersCertified', kpi: (s) => s.community.partnersCertified, format: 'count' },
      { key: 'partyBranches', kpi: (s) => s.community.partyBranches, format: 'count' },
      { key: 'gridMembers', kpi: (s) => s.community.gridMembers, format: 'count' },
    ],
  },
];

type T = (key: string, named?: Record<string, unknown>) => string;

export function formatValue(value: number | null, format: Format, t: T, lang: string): string {
  if (value === null) return t('dashboard.noChange');
  if (format === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (format === 'minutes') {
    if (value < 120) return `${Math.round(value)} ${t('dashboard.units.minutes')}`;
    if (value < 2880) return `${(value / 60).toFixed(1)} ${t('dashboard.units.hours')}`;
    return `${(value / 1440).toFixed(1)} ${t('dashboard.units.days')}`;
  }
  return value.toLocaleString(lang);
}

/** "▲ 12.5%" for counts, "▲ 3.1 pts" (百分点) for rates; the tone says whether it is good news. */
export function formatChange(kpi: Kpi, def: CardDef): { text: string; tone: 'up' | 'down' | 'flat' } | null {
  if (kpi.change === null) return null;
  const pts = def.format === 'rate';
  const magnitude = Math.abs(kpi.change * 100).toFixed(1);
  const arrow = kpi.change > 0 ? '▲' : kpi.change < 0 ? '▼' : '';
  const good = kpi.change === 0 ? 'flat' : (kpi.change > 0) !== Boolean(def.lowerIsBetter) ? 'up' : 'down';
  return { text: `${arrow} ${magnitude}${pts ? ' pp' : '%'}`, tone: good };
}

export function isKpi(v: Kpi | number | null): v is Kpi {
  return typeof v === 'object' && v !== null;
}

export function trendOption(data: DashboardData, labels: { received: string; closed: string }, dark = false): ChartOption {
  const text = dark ? '#cfd8e3' : '#606266';
  return {
    backgroundColor: 'transparent',
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [labels.received, labels.closed], textStyle: { color: text } },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: data.received.points.map((p) => p.at.slice(5)), axisLabel: { color: text } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { color: text } },
    series: [
      { name: labels.received, type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: data.received.points.map((p) => p.value) },
      { name: labels.closed, type: 'line', smooth: true, data: data.closed.points.map((p) => p.value) },
    ],
  };
}

/** Horizontal bars, the largest at the top (at most `limit`). */
export function barOption(items: { name: string; value: number }[], name: string, limit = 10, dark = false): ChartOption {
  const top = [...items].sort((a, b) => b.value - a.value).slice(0, limit).reverse();
  const text = dark ? '#cfd8e3' : '#606266';
  return {
    backgroundColor: 'transparent',
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: text } },
    yAxis: { type: 'category', data: top.map((i) => i.name), axisLabel: { color: text, width: 140, overflow: 'truncate' } },
    series: [{ name, type: 'bar', data: top.map((i) => i.value), itemStyle: { color: '#e6763a', borderRadius: [0, 4, 4, 0] }, barMaxWidth: 18 }],
  };
}
