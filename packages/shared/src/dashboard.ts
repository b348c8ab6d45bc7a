import { z } from 'zod';
import { caseRateFields } from './cases.ts';
import { regionIdSchema } from './identity.ts';
import { POINT_CATEGORIES } from './points.ts';
import { STATION_STATUSES } from './stations.ts';
import { dateSchema } from './text.ts';

/** Longest period one dashboard request may span, in days (3 years: a year beside the one before, and some). */
export const DASHBOARD_MAX_DAYS = 1096;
/** Longest period a daily trend may span: a year of points on one chart. */
export const DASHBOARD_MAX_DAILY_DAYS = 366;
/** Size of a heat-map cell in degrees (~500 m): fixed by the rollup. */
export const HEAT_CELL_DEGREES = 0.005;

/** The region subtree and period every figure is limited to (defaults: the caller's scope, this month). */
export const dashboardQuery = z.strictObject({
  regionId: regionIdSchema.optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
});
export type DashboardQuery = z.infer<typeof dashboardQuery>;

export const TREND_METRICS = ['cases.received', 'cases.accepted', 'cases.dispatched', 'cases.closed', 'points.issued', 'points.redeemed', 'rewards.fulfilled', 'workers.registered'] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];
export const TREND_BUCKETS = ['day', 'week', 'month'] as const;
export type TrendBucket = (typeof TREND_BUCKETS)[number];
export const trendQuery = dashboardQuery.extend({ metric: z.enum(TREND_METRICS), bucket: z.enum(TREND_BUCKETS).default('day') });

export const BREAKDOWN_DIMENSIONS = ['category', 'department', 'community'] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const breakdownQuery = dashboardQuery.extend({ dimension: z.enum(BREAKDOWN_DIMENSIONS) });

export const CSV_TABLES = ['cards', 'category', 'department', 'community', 'trend', 'stations'] as const;
export const csvQuery = dashboardQuery.extend({ table: z.enum(CSV_TABLES), metric: z.enum(TREND_METRICS).optional(), bucket: z.enum(TREND_BUCKETS).optional() });

/** The monthly report: one workbook, one sheet per domain. */
export const reportQuery = z.strictObject({ regionId: regionIdSchema.optional(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM').optional() });

/**
 * One figure beside the same figure over the previous period of equal length. `change` is relative
 * for counts and minutes ((value − previous) / previous) and a difference for rates.
 */
export const kpiSchema = z.object({ value: z.number().nullable(), previous: z.number().nullable(), change: z.number().nullable() });
export type Kpi = z.infer<typeof kpiSchema>;

export const summarySchema = z.object({
  regionId: regionIdSchema,
  regionName: z.string(),
  from: dateSchema,
  to: dateSchema,
  previous: z.object({ from: dateSchema, to: dateSchema }),
  stations: z.object({
    planned: z.number().int(),
    built: z.number().int(),
    accepted: z.number().int(),
    suspended: z.number().int(),
    closed: z.number().int(),
    /** Check-in visits in the period (null where visits are not recorded). */
    visits: kpiSchema.nullable(),
  }),
  cases: z.object({
    received: kpiSchema,
    accepted: kpiSchema,
    dispatched: kpiSchema,
    closed: kpiSchema,
    closeRate: kpiSchema,
    onTimeRate: kpiSchema,
    reworkRate: kpiSchema,
    extensionRate: kpiSchema,
    satisfactionRate: kpiSchema,
    averageRating: kpiSchema,
    /** Medians from a histogram with ~20% wide buckets: the lower bound of the median's bucket. */
    medianDispatchMinutes: kpiSchema,
    medianCloseMinutes: kpiSchema,
  }),
  points: z.object({
    issued: kpiSchema,
    redeemed: kpiSchema,
    /** Worker balances at the end of the period. */
    outstanding: z.number(),
    byCategory: z.array(z.object({ category: z.enum(POINT_CATEGORIES), issued: z.number() })),
  }),
  rewards: z.object({ fulfilled: kpiSchema }),
  workers: z.object({
    registered: kpiSchema,
    /** Registered up to the end of the period. */
    total: z.number().int(),
    /** Logged in or reported in the 30 days up to the end of the period (by each worker's latest activity). */
    active30: z.number().int(),
  }),
  /** Community life: wishes (微心愿), activities, partners, organizations. */
  community: z.object({
    wishesFulfilled: kpiSchema,
    activitiesHeld: kpiSchema,
    /** Distinct workers who came to at least one activity in the period. */
    peopleCovered: kpiSchema,
    /** From check-in to check-out (or as staff confirmed), in hours with one decimal. */
    volunteerHours: kpiSchema,
    /** Partners certified (授牌) in the period. */
    partnersJoined: kpiSchema,
    /** Standing now: certified partners, active party branches, appointed part-time grid members. */
    partnersCertified: z.number().int(),
    partyBranches: z.number().int(),
    gridMembers: z.number().int(),
  }),
});
export type DashboardSummary = z.infer<typeof summarySchema>;

export const trendSchema = z.object({
  metric: z.enum(TREND_METRICS),
  bucket: z.enum(TREND_BUCKETS),
  from: dateSchema,
  to: dateSchema,
  /** One point per bucket (its first day), zeros included. */
  points: z.array(z.object({ at: dateSchema, value: z.number() })),
});
export type DashboardTrend = z.infer<typeof trendSchema>;

export const breakdownItemSchema = z.object({
  key: z.string(),
  name: z.string(),
  /** The community, for dimension=community. */
  regionId: regionIdSchema.optional(),
  received: z.number().int(),
  ...caseRateFields,
  averageRating: z.number().nullable(),
  /** For dimension=community: points issued and workers registered there. */
  pointsIssued: z.number().optional(),
  workersRegistered: z.number().int().optional(),
});
export type BreakdownItem = z.infer<typeof breakdownItemSchema>;
export const breakdownSchema = z.object({ dimension: z.enum(BREAKDOWN_DIMENSIONS), from: dateSchema, to: dateSchema, items: z.array(breakdownItemSchema) });
export type DashboardBreakdown = z.infer<typeof breakdownSchema>;

/** Reported cases per cell (WGS-84 centre): counts only, nobody's position or identity. */
export const heatSchema = z.object({
  from: dateSchema,
  to: dateSchema,
  cellDegrees: z.number(),
  max: z.number().int(),
  cells: z.array(z.object({ lat: z.number(), lng: z.number(), count: z.number().int() })),
});
export type DashboardHeat = z.infer<typeof heatSchema>;

export const dashboardStationsSchema = z.object({
  items: z.array(
    z.object({ id: z.uuid(), regionId: regionIdSchema, name: z.string(), status: z.enum(STATION_STATUSES), lat: z.number(), lng: z.number(), visits: z.number().int().nullable() }),
  ),
});
export type DashboardStations = z.infer<typeof dashboardStationsSchema>;
