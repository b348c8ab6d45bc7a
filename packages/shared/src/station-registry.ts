import { z } from 'zod';
import { ADMIN_ROLES, regionIdSchema, type Role } from './identity.ts';
import { photoIds, photoSchema } from './media.ts';
import { AMENITIES, SERVICES, STATION_STATUSES, weeklyHoursSchema } from './stations.ts';
import { dateSchema, noteText, pageOf, pageQuery, phoneSchema, plainText } from './text.ts';

// The stations registry of the console: what staff keep about each station, its lifecycle, and
// the acceptance inspection (验收) that alone makes a station "accepted".

type Labels = { 'zh-CN': string; en: string };

/** Community, street and district admins keep the stations of their region subtree. */
export const STATION_MANAGER_ROLES = ADMIN_ROLES;
/** Acceptance inspections (验收) and yearly reviews: street and district admins. */
export const STATION_INSPECTOR_ROLES = ['street_admin', 'district_admin'] as const satisfies readonly Role[];
/** Checklist templates are the district's. */
export const CHECKLIST_EDITOR_ROLES = ['district_admin'] as const satisfies readonly Role[];
/** A station's page and its hours and offer: its managers, and the keeper of that station. */
export const STATION_PAGE_ROLES = ['station_keeper', ...ADMIN_ROLES] as const satisfies readonly Role[];

/** Kinds of station as the city reports name them; stored as these keys. */
export const STATION_TYPES = ['union', 'nuanxin', 'party', 'merchant', 'outdoor', 'other'] as const;
export type StationType = (typeof STATION_TYPES)[number];
export const STATION_TYPE_LABELS: Record<StationType, Labels> = {
  union: { 'zh-CN': '工会驿站', en: 'Trade-union station' },
  nuanxin: { 'zh-CN': '暖新驿站', en: 'Nuanxin station' },
  party: { 'zh-CN': '党群服务中心', en: 'Party-masses service centre' },
  merchant: { 'zh-CN': '商户爱心点', en: 'Merchant care point' },
  outdoor: { 'zh-CN': '户外劳动者服务站', en: 'Outdoor workers’ station' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

/** Someone on duty, or open for anyone with a code or key (自助). */
export const ACCESS_MODES = ['staffed', 'self_service'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];
export const ACCESS_MODE_LABELS: Record<AccessMode, Labels> = {
  staffed: { 'zh-CN': '有人值守', en: 'Staffed' },
  self_service: { 'zh-CN': '自助开放', en: 'Self-service' },
};

export type StationStatus = (typeof STATION_STATUSES)[number];
export const STATION_STATUS_LABELS: Record<StationStatus, Labels> = {
  planned: { 'zh-CN': '规划中', en: 'Planned' },
  built: { 'zh-CN': '已建成', en: 'Built' },
  accepted: { 'zh-CN': '已验收', en: 'Accepted' },
  suspended: { 'zh-CN': '暂停服务', en: 'Suspended' },
  closed: { 'zh-CN': '已关闭', en: 'Closed' },
};

/**
 * Lifecycle moves staff make by hand. "accepted" is not among them: only a passing acceptance
 * inspection gives it (and the database refuses it otherwise). Reopening returns a station to
 * "accepted" when an inspection accepted it before, else to "built".
 */
export const STATION_MOVES = {
  build: { from: ['planned'] },
  suspend: { from: ['built', 'accepted'] },
  close: { from: ['planned', 'built', 'accepted', 'suspended'] },
  reopen: { from: ['suspended', 'closed'] },
} as const satisfies Record<string, { from: readonly StationStatus[] }>;
export type StationMove = keyof typeof STATION_MOVES;
export const STATION_MOVE_KEYS = Object.keys(STATION_MOVES) as StationMove[];

export const INSPECTION_KINDS = ['acceptance', 'annual'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

/**
 * Stars from the total score (0–100): 90+ ★5, 80+ ★4, 70+ ★3, 60+ ★2, below ★1. The same
 * thresholds are a CHECK on the inspections table. Passing is the template's own pass mark.
 */
export const STAR_THRESHOLDS = [
  { min: 90, stars: 5 },
  { min: 80, stars: 4 },
  { min: 70, stars: 3 },
  { min: 60, stars: 2 },
  { min: 0, stars: 1 },
] as const;
export function starsFor(total: number): number {
  return STAR_THRESHOLDS.find((t) => total >= t.min)!.stars;
}
/** An accepted station is due for its yearly review this many days after the last inspection. */
export const REVIEW_INTERVAL_DAYS = 365;

const uniqueList = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((list) => new Set(list).size === list.length, { message: 'duplicate' });

/** Hours and offer: what a station keeper may change on their own station. */
export const stationOfferInput = z.strictObject({
  weeklyHours: weeklyHoursSchema,
  alwaysOpen: z.boolean().default(false),
  holidayOpen: z.boolean().default(false),
  extendedHours: z.boolean().default(false),
  amenities: uniqueList(z.enum(AMENITIES), AMENITIES.length).default([]),
  services: uniqueList(z.enum(SERVICES), SERVICES.length).default([]),
  photoIds: photoIds.default([]),
});
export type StationOfferInput = z.input<typeof stationOfferInput>;

export const stationInput = stationOfferInput.extend({
  regionId: regionIdSchema,
  name: plainText(60, 2),
  type: z.enum(STATION_TYPES),
  address: plainText(120, 2),
  /** WGS-84, as the map picker gives it. */
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  operator: plainText(60).nullable().default(null),
  coBuilders: uniqueList(plainText(60), 10).default([]),
  accessMode: z.enum(ACCESS_MODES).default('staffed'),
  areaM2: z.number().int().min(1).max(100_000).nullable().default(null),
  seats: z.number().int().min(0).max(10_000).nullable().default(null),
  keeperName: plainText(20).nullable().default(null),
  keeperPhone: phoneSchema.nullable().default(null),
});
export type StationInput = z.input<typeof stationInput>;

export const stationListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  status: z.enum(STATION_STATUSES).optional(),
  type: z.enum(STATION_TYPES).optional(),
  q: plainText(40).optional(),
});
/** The export takes the list's filters, without paging. */
export const stationExportQuery = stationListQuery.omit({ page: true, pageSize: true });

export const registryStationSummarySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  name: z.string(),
  type: z.enum(STATION_TYPES),
  status: z.enum(STATION_STATUSES),
  address: z.string(),
  lat: z.number(),
  lng: z.number(),
  accessMode: z.enum(ACCESS_MODES),
  stars: z.number().int().nullable(),
  keeperName: z.string().nullable(),
  /** Masked in the list; the station's page shows it whole to those who manage it. */
  keeperPhone: z.string().nullable(),
  /** Accepted and the last inspection older than REVIEW_INTERVAL_DAYS. */
  reviewDue: z.boolean(),
  lastInspectedOn: dateSchema.nullable(),
});
export type RegistryStationSummary = z.infer<typeof registryStationSummarySchema>;
export const stationListResponse = pageOf(registryStationSummarySchema);

export const registryStationSchema = registryStationSummarySchema.extend({
  operator: z.string().nullable(),
  coBuilders: z.array(z.string()),
  weeklyHours: weeklyHoursSchema,
  alwaysOpen: z.boolean(),
  holidayOpen: z.boolean(),
  extendedHours: z.boolean(),
  areaM2: z.number().int().nullable(),
  seats: z.number().int().nullable(),
  amenities: z.array(z.enum(AMENITIES)),
  services: z.array(z.enum(SERVICES)),
  photos: z.array(photoSchema),
  acceptedInspectionId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type RegistryStation = z.infer<typeof registryStationSchema>;

export const stationMoveRequest = z.strictObject({
  move: z.enum(STATION_MOVE_KEYS as [StationMove, ...StationMove[]]),
  reason: noteText(200, 2),
});

export const stationHistoryEntrySchema = z.object({
  id: z.number().int(),
  fromStatus: z.enum(STATION_STATUSES).nullable(),
  toStatus: z.enum(STATION_STATUSES),
  reason: z.string(),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  inspectionId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export const stationHistoryResponse = z.object({ items: z.array(stationHistoryEntrySchema) });

// ---- checklist templates (per district) ----

export const checklistItemSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, 'item key'),
  label: plainText(30),
  weight: z.number().int().min(1).max(100),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

/** Weights add up to 100, so a total score reads as points out of 100 and compares with the pass mark. */
export const checklistInput = z.strictObject({
  regionId: regionIdSchema,
  name: plainText(40, 2),
  items: z
    .array(checklistItemSchema)
    .min(1)
    .max(30)
    .refine((items) => new Set(items.map((i) => i.key)).size === items.length, { message: 'duplicate item key' })
    .refine((items) => items.reduce((sum, i) => sum + i.weight, 0) === 100, { message: 'weights must add up to 100' }),
  passMark: z.number().int().min(1).max(100),
  active: z.boolean().default(true),
});
export type ChecklistInput = z.input<typeof checklistInput>;

export const checklistSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  name: z.string(),
  items: z.array(checklistItemSchema),
  passMark: z.number().int(),
  active: z.boolean(),
  updatedAt: z.iso.datetime(),
});
export type Checklist = z.infer<typeof checklistSchema>;
export const checklistListQuery = z.strictObject({ regionId: regionIdSchema.optional() });
export const checklistListResponse = z.object({ items: z.array(checklistSchema) });

// ---- inspections ----

export const inspectionInput = z.strictObject({
  checklistId: z.uuid(),
  kind: z.enum(INSPECTION_KINDS),
  inspectedOn: dateSchema,
  /** One score per template item, 0 up to the item's weight. */
  scores: z
    .array(z.strictObject({ key: checklistItemSchema.shape.key, score: z.number().int().min(0).max(100) }))
    .min(1)
    .max(30),
  remarks: noteText(500).default(''),
  photoIds: photoIds.default([]),
});
export type InspectionInput = z.input<typeof inspectionInput>;

export const inspectionSchema = z.object({
  id: z.uuid(),
  stationId: z.uuid(),
  regionId: regionIdSchema,
  kind: z.enum(INSPECTION_KINDS),
  checklistId: z.uuid(),
  checklistName: z.string(),
  items: z.array(checklistItemSchema.extend({ score: z.number().int() })),
  total: z.number().int(),
  passMark: z.number().int(),
  passed: z.boolean(),
  stars: z.number().int(),
  remarks: z.string(),
  photos: z.array(photoSchema),
  inspectorId: z.uuid(),
  inspectorName: z.string().nullable(),
  inspectedOn: dateSchema,
  createdAt: z.iso.datetime(),
});
export type Inspection = z.infer<typeof inspectionSchema>;
export const inspectionListResponse = z.object({ items: z.array(inspectionSchema) });

/** The result of an inspection and what it did to the station. */
export const inspectionResultSchema = z.object({ inspection: inspectionSchema, station: registryStationSchema });

// ---- Excel import ----

/**
 * The import body is the .xlsx itself (this content type), like a photo upload. Up to MAX_ROWS
 * rows answer within seconds, so the console shows the upload's progress (XHR) and then a
 * "validating and importing" state rather than a server-side progress feed.
 */
export const STATION_IMPORT = {
  contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  maxBytes: 5 * 1024 * 1024,
  maxRows: 5_000,
} as const;
export const stationImportQuery = z.strictObject({ regionId: regionIdSchema });
export const importRowErrorSchema = z.object({
  /** The row number as Excel shows it (the header is row 1). */
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowErrorSchema>;
export const stationImportResponse = z.object({ imported: z.number().int() });
