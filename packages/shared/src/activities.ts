import { z } from 'zod';
import { ADMIN_ROLES, OCCUPATIONS, regionIdSchema, type Role } from './identity.ts';
import { dateSchema, noteText, plainText } from './text.ts';

/** Care visits (慰问), volunteer service, training (暖新学院 courses) and health days. */
export const ACTIVITY_KINDS = ['care_visit', 'volunteer', 'training', 'health_day'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, { 'zh-CN': string; en: string }> = {
  care_visit: { 'zh-CN': '关爱慰问', en: 'Care visit' },
  volunteer: { 'zh-CN': '志愿服务', en: 'Volunteer service' },
  training: { 'zh-CN': '暖新学院', en: 'Training' },
  health_day: { 'zh-CN': '健康义诊', en: 'Health day' },
};

/** Stored states; "ongoing" and "ended" are read from the clock (see `activityPhase`). */
export const ACTIVITY_STATUSES = ['draft', 'published', 'finished', 'cancelled'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const ACTIVITY_PHASES = ['draft', 'upcoming', 'ongoing', 'ended', 'finished', 'cancelled'] as const;
export type ActivityPhase = (typeof ACTIVITY_PHASES)[number];
export const ACTIVITY_MOVES = ['publish', 'cancel', 'finish'] as const;
export type ActivityMove = (typeof ACTIVITY_MOVES)[number];

/** What the clock adds to the stored status: published becomes upcoming, ongoing or ended. */
export function activityPhase(status: ActivityStatus, startsAt: Date, endsAt: Date, now: Date): ActivityPhase {
  if (status !== 'published') return status;
  if (now < startsAt) return 'upcoming';
  return now < endsAt ? 'ongoing' : 'ended';
}

/** The moves the state machine allows from each phase. */
export const ACTIVITY_TRANSITIONS: Record<ActivityPhase, readonly ActivityMove[]> = {
  draft: ['publish', 'cancel'],
  upcoming: ['cancel'],
  ongoing: ['finish'],
  ended: ['finish'],
  finished: [],
  cancelled: [],
};

/** Who runs activities: grid staff and community, street and district admins over their subtree. */
export const ACTIVITY_STAFF_ROLES = ['grid_staff', ...ADMIN_ROLES] as const satisfies readonly Role[];

export const AUDIENCES = ['all', 'occupations'] as const;
export const SIGNUP_STATUSES = ['enrolled', 'waitlisted', 'cancelled'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];
export const CHECK_MODES = ['in', 'out'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];
/** Workers may check in from this many minutes before the start; check-out closes this long after the end. */
export const CHECKIN_OPENS_MINUTES = 30;
export const CHECKOUT_GRACE_MINUTES = 120;
/** The reminder goes out this many minutes before the start. */
export const REMINDER_MINUTES = 120;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the organiser's rotating QR carries: a link to the H5 scan page (a phone's camera app opens it too). */
export function activityCheckinLink(origin: string, activityId: string, code: string, mode: CheckMode): string {
  return `${origin}/activities/checkin?a=${encodeURIComponent(activityId)}&c=${encodeURIComponent(code)}&m=${mode}`;
}

/** The activity, code and mode in a scanned QR text; null for anything that is not our activity link. */
export function parseActivityCheckinLink(text: string): { activityId: string; code: string; mode: CheckMode } | null {
  let url: URL;
  try {
    url = new URL(text, 'http://x');
  } catch {
    return null;
  }
  const activityId = url.searchParams.get('a') ?? '';
  const code = url.searchParams.get('c') ?? '';
  const mode = url.searchParams.get('m') ?? '';
  if (!url.pathname.endsWith('/activities/checkin') || !UUID.test(activityId) || !/^\d{6}$/.test(code) || (mode !== 'in' && mode !== 'out')) return null;
  return { activityId, code, mode };
}

const PASS_PREFIX = 'NXACT';
/** The worker's personal QR for one sign-up: the sign-up id and its secret token, nothing personal. */
export function signupPassText(signupId: string, token: string): string {
  return `${PASS_PREFIX}:${signupId}:${token}`;
}
export function parseSignupPass(text: string): { signupId: string; token: string } | null {
  const parts = text.trim().split(':');
  if (parts.length !== 3 || parts[0] !== PASS_PREFIX) return null;
  const [, signupId, token] = parts as [string, string, string];
  if (!UUID.test(signupId) || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  return { signupId: signupId.toLowerCase(), token };
}

/**
 * Volunteer minutes between check-in and check-out, capped to the activity's span: time before
 * the start or after the end does not count; no check-out counts nothing.
 */
export function volunteerMinutes(checkedIn: Date | null, checkedOut: Date | null, startsAt: Date, endsAt: Date): number {
  if (!checkedIn || !checkedOut) return 0;
  const from = Math.max(checkedIn.getTime(), startsAt.getTime());
  const to = Math.min(checkedOut.getTime(), endsAt.getTime());
  return Math.max(0, Math.floor((to - from) / 60_000));
}

export const activityInput = z
  .strictObject({
    regionId: regionIdSchema,
    kind: z.enum(ACTIVITY_KINDS),
    title: plainText(60),
    description: noteText(2000).default(''),
    /** A station, or an address with its position (WGS-84). */
    stationId: z.uuid().nullable().default(null),
    address: plainText(200, 0).default(''),
    lat: z.number().min(-90).max(90).nullable().default(null),
    lng: z.number().min(-180).max(180).nullable().default(null),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
    capacity: z.number().int().min(1).max(10000),
    audience: z.enum(AUDIENCES).default('all'),
    occupations: z.array(z.enum(OCCUPATIONS)).max(OCCUPATIONS.length).default([]),
    pointsRuleId: z.uuid().nullable().default(null),
  });
export type ActivityInput = z.output<typeof activityInput>;

export const activitySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  kind: z.enum(ACTIVITY_KINDS),
  title: z.string(),
  description: z.string(),
  stationId: z.uuid().nullable(),
  stationName: z.string().nullable(),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  capacity: z.number().int(),
  enrolled: z.number().int(),
  waitlisted: z.number().int(),
  audience: z.enum(AUDIENCES),
  occupations: z.array(z.enum(OCCUPATIONS)),
  pointsRuleId: z.uuid().nullable(),
  pointsRuleName: z.string().nullable(),
  points: z.number().int().nullable(),
  status: z.enum(ACTIVITY_STATUSES),
  phase: z.enum(ACTIVITY_PHASES),
  createdAt: z.iso.datetime(),
});
export type Activity = z.infer<typeof activitySchema>;

export const mySignupSchema = z.object({
  id: z.uuid(),
  activityId: z.uuid(),
  status: z.enum(SIGNUP_STATUSES),
  /** 1 = next to get a seat; null unless waitlisted. */
  position: z.number().int().nullable(),
  /** The personal QR text the organiser scans; only for the worker it belongs to. */
  pass: z.string().nullable(),
  checkedInAt: z.iso.datetime().nullable(),
  checkedOutAt: z.iso.datetime().nullable(),
  minutes: z.number().int().nullable(),
  confirmed: z.boolean(),
  points: z.number().int(),
});
export type MySignup = z.infer<typeof mySignupSchema>;

export const activityDetailSchema = activitySchema.extend({ mine: mySignupSchema.nullable() });

export const activityListQuery = z.strictObject({
  kind: z.enum(ACTIVITY_KINDS).optional(),
  regionId: regionIdSchema.optional(),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  /** true: only those not yet ended. */
  upcoming: z.enum(['true', 'false']).optional(),
  q: plainText(40).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const activityListResponse = z.object({ items: z.array(activitySchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const myActivitiesResponse = z.object({
  items: z.array(z.object({ activity: activitySchema, signup: mySignupSchema })),
  /** Confirmed volunteer minutes in all. */
  totalMinutes: z.number().int(),
  attended: z.number().int(),
});

export const activityMoveRequest = z.strictObject({ move: z.enum(ACTIVITY_MOVES), reason: noteText(200).default('') });

export const workerCheckinRequest = z.strictObject({ activityId: z.uuid(), code: z.string().regex(/^\d{6}$/, '6 digits'), mode: z.enum(CHECK_MODES) });
export const staffScanRequest = z.strictObject({ pass: z.string().min(1).max(200), mode: z.enum(CHECK_MODES) });
export const checkinResult = z.object({
  signupId: z.uuid(),
  mode: z.enum(CHECK_MODES),
  /** True when this scan repeated one already recorded (the first time is kept). */
  already: z.boolean(),
  checkedInAt: z.iso.datetime().nullable(),
  checkedOutAt: z.iso.datetime().nullable(),
  minutes: z.number().int().nullable(),
  workerName: z.string(),
});

export const activityCodeQuery = z.strictObject({ mode: z.enum(CHECK_MODES).default('in') });
export const activityCodeResponse = z.object({
  activityId: z.uuid(),
  title: z.string(),
  mode: z.enum(CHECK_MODES),
  code: z.string(),
  expiresAt: z.iso.datetime(),
  periodSeconds: z.number().int(),
  checkedIn: z.number().int(),
  checkedOut: z.number().int(),
});

export const rosterEntrySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  workerName: z.string(),
  phoneMasked: z.string().nullable(),
  occupation: z.string().nullable(),
  status: z.enum(SIGNUP_STATUSES),
  position: z.number().int().nullable(),
  signedUpAt: z.iso.datetime(),
  checkedInAt: z.iso.datetime().nullable(),
  checkedOutAt: z.iso.datetime().nullable(),
  minutes: z.number().int().nullable(),
  confirmed: z.boolean(),
  points: z.number().int(),
});
export type RosterEntry = z.infer<typeof rosterEntrySchema>;

export const activityStatsSchema = z.object({ enrolled: z.number().int(), waitlisted: z.number().int(), cancelled: z.number().int(), attended: z.number().int(), confirmed: z.number().int(), minutes: z.number().int() });
export const activityManageResponse = z.object({ activity: activitySchema, stats: activityStatsSchema, roster: z.array(rosterEntrySchema) });

export const confirmRequest = z.strictObject({
  attended: z.boolean(),
  /** Staff may adjust the hours (in minutes); omitted: computed from check-in and check-out. */
  minutes: z.number().int().min(0).max(24 * 60).optional(),
  note: noteText(200).default(''),
});

export const MESSAGE_AUDIENCES = ['enrolled', 'attended', 'waitlisted'] as const;
export const activityMessageRequest = z.strictObject({ to: z.enum(MESSAGE_AUDIENCES), title: plainText(60), body: noteText(500, 1) });
export const activityMessageResponse = z.object({ sent: z.number().int() });

export const activityStatsQuery = z.strictObject({ regionId: regionIdSchema.optional(), from: dateSchema.optional(), to: dateSchema.optional() });
export const activityRegionStatsResponse = z.object({
  regionId: regionIdSchema,
  from: z.string(),
  to: z.string(),
  /** Activities that started in the period and were not cancelled. */
  held: z.number().int(),
  /** Distinct workers who checked in at any of them. */
  peopleCovered: z.number().int(),
  attendances: z.number().int(),
  /** Confirmed volunteer minutes. */
  minutes: z.number().int(),
  byKind: z.array(z.object({ kind: z.enum(ACTIVITY_KINDS), held: z.number().int(), peopleCovered: z.number().int(), minutes: z.number().int() })),
});
