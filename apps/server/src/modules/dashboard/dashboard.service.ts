import {
  DASHBOARD_MAX_DAILY_DAYS,
  HEAT_CELL_DEGREES,
  POINT_CATEGORIES,
  type BreakdownDimension,
  type BreakdownItem,
  type DashboardBreakdown,
  type DashboardHeat,
  type DashboardQuery,
  type DashboardStations,
  type DashboardSummary,
  type DashboardTrend,
  type Kpi,
  type TrendBucket,
  type TrendMetric,
} from '@nuanxin/shared';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../common/context.ts';
import { requireScope } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import * as repo from './dashboard.repository.ts';
import { communityPeriodFigures, communityStanding } from './community.repository.ts';
import { addDays, monthPeriod, previousPeriod, requestedPeriod, upTo, type Period } from './period.ts';

const HEAT_CELL_LIMIT = 5_000;
const MAP_STATION_LIMIT = 2_000;

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
/** The same ratio case-rates.ts reports: part / whole to 4 places, null without a whole. */
const ratio = (part: number, whole: number) => (whole > 0 ? round4(part / whole) : null);

function countKpi(value: number | null, previous: number | null): Kpi {
  return { value, previous, change: value !== null && previous ? round4((value - previous) / previous) : null };
}
function rateKpi(value: number | null, previous: number | null): Kpi {
  return { value, previous, change: value !== null && previous !== null ? round4(value - previous) : null };
}

/** The rates of case-rates.ts (结案率, 按期结案率, 返工率, 延期率, 满意率) over rollup sums. */
function caseFigures(s: repo.CaseSums) {
  return {
    received: s.received,
    dispatched: s.dispatched,
    closed: s.closed,
    closedOnTime: s.closed_on_time,
    reworked: s.reworked,
    extended: s.extended,
    rated: s.rated,
    satisfied: s.satisfied,
    closeRate: ratio(s.closed, s.dispatched),
    onTimeRate: ratio(s.closed_on_time, s.closed),
    reworkRate: ratio(s.reworked, s.dispatched),
    extensionRate: ratio(s.extended, s.dispatched),
    satisfactionRate: ratio(s.satisfied, s.rated),
    averageRating: s.rated > 0 ? Math.round((s.rating_sum / s.rated) * 100) / 100 : null,
  };
}

/** The lower median (the value at position ⌈n/2⌉, as percentile_disc(0.5)) from histogram buckets. */
export function histogramMedian(buckets: { bucket: number; n: number }[]): number | null {
  const total = buckets.reduce((sum, b) => sum + b.n, 0);
  if (total <= 0) return null;
  const target = Math.ceil(total / 2);
  let seen = 0;
  for (const b of [...buckets].sort((x, y) => x.bucket - y.bucket)) {
    seen += b.n;
    if (seen >= target) return bucketFloor(b.bucket);
  }
  return null;
}
/** Lower bound in minutes of a histogram bucket (dash_bucket_floor in SQL). */
export const bucketFloor = (bucket: number) => Math.round((Math.exp(bucket / 5) - 1) * 10) / 10;

const TREND_SOURCES: Record<TrendMetric, repo.TrendSource> = {
  'cases.received': { table: 'dash_cases', column: 'received' },
  'cases.accepted': { table: 'dash_cases', column: 'accepted' },
  'cases.dispatched': { table: 'dash_cases', column: 'dispatched' },
  'cases.closed': { table: 'dash_cases', column: 'closed' },
  'points.issued': { table: 'dash_points', kind: 'earn', column: 'amount' },
  'points.redeemed': { table: 'dash_points', kind: 'post', column: 'amount' },
  'rewards.fulfilled': { table: 'dash_points', kind: 'post', column: 'n' },
  'workers.registered': { table: 'dash_workers', column: 'registered' },
};

/** Figures the city reports quote, limited to the caller's subtree, read from the rollups. */
export class DashboardService {
  private visitsRecorded: boolean | null = null;

  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /** The region asked for (default: the caller's scope), which must exist and lie in the scope. */
  async scope(actor: Actor, regionId: string | undefined): Promise<{ id: string; name: string }> {
    const id = regionId ?? actor.scopeId;
    requireScope(actor, id);
    const region = await repo.region(this.db, id);
    if (!region) throw new AppError('REGION_NOT_FOUND');
    return region;
  }

  private async hasVisits(): Promise<boolean> {
    // Checked once per process: the visits migration lands while servers run only by a restart.
    this.visitsRecorded ??= await repo.hasVisitRollup(this.db);
    return this.visitsRecorded;
  }

  private async periodFigures(scope: string, p: Period) {
    const [cases, histogram, points, registered, visits] = await Promise.all([
      repo.caseTotals(this.db, scope, p),
      repo.minuteHistogram(this.db, scope, p),
      repo.pointTotals(this.db, scope, p),
      repo.workersRegistered(this.db, scope, p),
      this.hasVisits().then((has) => (has ? repo.visitTotal(this.db, scope, p.from, p.to) : null)),
    ]);
    const sumPoints = (kind: string, field: 'amount' | 'n') => points.filter((r) => r.kind === kind).reduce((sum, r) => sum + r[field], 0);
    const byCategory = new Map<string, number>();
    for (const r of points) if (r.kind === 'earn' && r.category) byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + r.amount);
    return {
      cases: caseFigures(cases),
      accepted: cases.accepted,
      medianDispatch: histogramMedian(histogram.filter((h) => h.measure === 'dispatch')),
      medianClose: histogramMedian(histogram.filter((h) => h.measure === 'close')),
      issued: sumPoints('earn', 'amount'),
      redeemed: sumPoints('post', 'amount'),
      fulfilled: sumPoints('post', 'n'),
      byCategory,
      registered,
      visits,
    };
  }

  async summary(actor: Actor, query: DashboardQuery): Promise<DashboardSummary> {
    const region = await this.scope(actor, query.regionId);
    const p = requestedPeriod(query);
    const before = previousPeriod(p);
    const [now, prev, stations, outstanding, total, active30, life, lifeBefore, standing] = await Promise.all([
      this.periodFigures(region.id, p),
      this.periodFigures(region.id, before),
      repo.stationCounts(this.db, region.id),
      repo.outstandingPoints(this.db, region.id, upTo(p)),
      repo.workersRegistered(this.db, region.id, upTo(p)),
      repo.activeWorkers(this.db, region.id, p.to),
      communityPeriodFigures(this.db, region.id, p),
      communityPeriodFigures(this.db, region.id, before),
      communityStanding(this.db, region.id),
    ]);
    const station = (status: string) => stations.find((s) => s.status === status)?.n ?? 0;
    const c = now.cases;
    const b = prev.cases;
    return {
      regionId: region.id,
      regionName: region.name,
      from: p.from,
      to: p.to,
      previous: { from: before.from, to: before.to },
      stations: {
        planned: station('planned'),
        built: station('built'),
        accepted: station('accepted'),
        suspended: station('suspended'),
        closed: station('closed'),
        visits: now.visits === null ? null : countKpi(now.visits, prev.visits),
      },
      cases: {
        received: countKpi(c.received, b.received),
        accepted: countKpi(now.accepted, prev.accepted),
        dispatched: countKpi(c.dispatched, b.dispatched),
        closed: countKpi(c.closed, b.closed),
        closeRate: rateKpi(c.closeRate, b.closeRate),
        onTimeRate: rateKpi(c.onTimeRate, b.onTimeRate),
        reworkRate: rateKpi(c.reworkRate, b.reworkRate),
        extensionRate: rateKpi(c.extensionRate, b.extensionRate),
        satisfactionRate: rateKpi(c.satisfactionRate, b.satisfactionRate),
        averageRating: rateKpi(c.averageRating, b.averageRating),
        medianDispatchMinutes: countKpi(now.medianDispatch, prev.medianDispatch),
        medianCloseMinutes: countKpi(now.medianClose, prev.medianClose),
      },
      points: {
        issued: countKpi(now.issued, prev.issued),
        redeemed: countKpi(now.redeemed, prev.redeemed),
        outstanding,
        byCategory: POINT_CATEGORIES.filter((k) => now.byCategory.has(k)).map((category) => ({ category, issued: now.byCategory.get(category)! })),
      },
      rewards: { fulfilled: countKpi(now.fulfilled, prev.fulfilled) },
      workers: { registered: countKpi(now.registered, prev.registered), total, active30 },
      community: {
        wishesFulfilled: countKpi(life.wishesFulfilled, lifeBefore.wishesFulfilled),
        activitiesHeld: countKpi(life.activitiesHeld, lifeBefore.activitiesHeld),
        peopleCovered: countKpi(life.peopleCovered, lifeBefore.peopleCovered),
        volunteerHours: countKpi(life.volunteerHours, lifeBefore.volunteerHours),
        partnersJoined: countKpi(life.partnersJoined, lifeBefore.partnersJoined),
        ...standing,
      },
    };
  }

  async trend(actor: Actor, query: DashboardQuery & { metric: TrendMetric; bucket: TrendBucket }): Promise<DashboardTrend> {
    const region = await this.scope(actor, query.regionId);
    const p = requestedPeriod(query, query.bucket === 'day' ? DASHBOARD_MAX_DAILY_DAYS : undefined);
    // Day and week buckets cut months: read every day from the daily rows.
    const read = query.bucket === 'month' ? p : { ...p, monthFrom: addDays(p.to, 1), monthTo: addDays(p.to, 1) };
    const rows = await repo.trend(this.db, region.id, read, query.bucket, TREND_SOURCES[query.metric]);
    const values = new Map(rows.map((r) => [r.at, r.value]));
    return { metric: query.metric, bucket: query.bucket, from: p.from, to: p.to, points: bucketStarts(p, query.bucket).map((at) => ({ at: at < p.from ? p.from : at, value: values.get(at) ?? 0 })) };
  }

  async breakdown(actor: Actor, query: DashboardQuery & { dimension: BreakdownDimension }): Promise<DashboardBreakdown> {
    const region = await this.scope(actor, query.regionId);
    const p = requestedPeriod(query);
    const rows = (await repo.caseBreakdown(this.db, region.id, p, query.dimension)).filter((r) => r.key !== null && (r.received > 0 || r.dispatched > 0));
    const keys = rows.map((r) => r.key!);
    let names: Map<string, string>;
    let items: BreakdownItem[];
    if (query.dimension === 'community') {
      const [regions, points, workers] = await Promise.all([
        repo.regionNames(this.db, keys),
        repo.pointsIssuedByCommunity(this.db, region.id, p),
        repo.workersByCommunity(this.db, region.id, p),
      ]);
      names = new Map(regions.map((r) => [r.id, r.name]));
      const issued = new Map(points.map((r) => [r.key, r.amount]));
      const registered = new Map(workers.map((r) => [r.key, r.n]));
      items = rows.map((r) => ({
        key: r.key!,
        name: names.get(r.key!) ?? r.key!,
        regionId: r.key!,
        ...caseFigures(r),
        pointsIssued: issued.get(r.key!) ?? 0,
        workersRegistered: registered.get(r.key!) ?? 0,
      }));
    } else {
      if (query.dimension === 'category') {
        names = new Map((await repo.categoryNames(this.db, keys)).map((k) => [k.id, k.parent_name ? `${k.parent_name} / ${k.name}` : k.name]));
      } else {
        names = new Map((await repo.departmentNames(this.db, keys)).map((d) => [d.id, d.name]));
      }
      items = rows.map((r) => ({ key: r.key!, name: names.get(r.key!) ?? r.key!, ...caseFigures(r) }));
    }
    // League order: the most dispatched (or received) first, then by name for a stable table.
    items.sort((x, y) => y.dispatched - x.dispatched || y.received - x.received || x.name.localeCompare(y.name, 'zh-CN'));
    return { dimension: query.dimension, from: p.from, to: p.to, items };
  }

  async heat(actor: Actor, query: DashboardQuery): Promise<DashboardHeat> {
    const region = await this.scope(actor, query.regionId);
    const p = requestedPeriod(query);
    const rows = await repo.heatCells(this.db, region.id, p, HEAT_CELL_LIMIT);
    const centre = (i: number) => Math.round((i + 0.5) * HEAT_CELL_DEGREES * 1e6) / 1e6;
    return {
      from: p.from,
      to: p.to,
      cellDegrees: HEAT_CELL_DEGREES,
      max: rows.reduce((m, r) => Math.max(m, r.n), 0),
      cells: rows.map((r) => ({ lat: centre(r.cy), lng: centre(r.cx), count: r.n })),
    };
  }

  async stations(actor: Actor, query: DashboardQuery): Promise<DashboardStations> {
    const region = await this.scope(actor, query.regionId);
    const p = requestedPeriod(query);
    const [rows, visits] = await Promise.all([
      repo.stationsOnMap(this.db, region.id, MAP_STATION_LIMIT),
      this.hasVisits().then((has) => (has ? repo.visitsByStation(this.db, region.id, p.from, p.to) : null)),
    ]);
    const byStation = visits ? new Map(visits.map((v) => [v.station_id, v.v])) : null;
    return {
      items: rows.map((s) => ({ id: s.id, regionId: s.region_id, name: s.name, status: s.status, lat: s.lat, lng: s.lng, visits: byStation ? (byStation.get(s.id) ?? 0) : null })),
    };
  }

  /** Everything the monthly workbook shows, for one region and month (default: this month). */
  async monthly(actor: Actor, query: { regionId?: string | undefined; month?: string | undefined }) {
    const region = await this.scope(actor, query.regionId);
    const month = query.month ?? requestedPeriod({}).from.slice(0, 7);
    const p = monthPeriod(month);
    const range = { regionId: region.id, from: p.from, to: p.to };
    const [summary, category, department, community, stations, received] = await Promise.all([
      this.summary(actor, range),
      this.breakdown(actor, { ...range, dimension: 'category' }),
      this.breakdown(actor, { ...range, dimension: 'department' }),
      this.breakdown(actor, { ...range, dimension: 'community' }),
      this.stations(actor, range),
      this.trend(actor, { ...range, metric: 'cases.received', bucket: 'day' }),
    ]);
    return { month, region, summary, category, department, community, stations, received };
  }

  /** Moves the case log into the street and district rows (the `dashboard.levels` job). */
  compactLevels(): Promise<number> {
    return repo.compactLevels(this.db);
  }

  /** Recomputes every rollup from the base tables. */
  rebuild(): Promise<void> {
    return repo.rebuild(this.db);
  }
}

/** The first day of every bucket that meets [from, to] (ISO weeks start on Monday). */
export function bucketStarts(p: Period, bucket: TrendBucket): string[] {
  const out: string[] = [];
  let at = p.from;
  if (bucket === 'week') {
    const weekday = (new Date(`${p.from}T00:00:00Z`).getUTCDay() + 6) % 7;
    at = addDays(p.from, -weekday);
  } else if (bucket === 'month') at = `${p.from.slice(0, 7)}-01`;
  while (at <= p.to) {
    out.push(at);
    if (bucket === 'day') at = addDays(at, 1);
    else if (bucket === 'week') at = addDays(at, 7);
    else {
      const d = new Date(`${at}T00:00:00Z`);
      at = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
    }
  }
  return out;
}

