import { z } from 'zod';
import { ADMIN_ROLES, regionIdSchema, type Role } from './identity.ts';
import { SERVICES } from './stations.ts';
import { dateSchema, noteText, plainText } from './text.ts';

/** The check-in code changes every 30 s; the one shown just before is still accepted (a slow scan). */
export const CHECKIN_STEP_SECONDS = 30;
/** A worker's visit to a station counts once in this many hours, however often they scan. */
export const VISIT_WINDOW_HOURS = 2;
/** A visit can be rated for this many days afterwards. */
export const RATING_DAYS = 7;
/** How far ahead the station page lists service sessions. */
export const SESSION_HORIZON_DAYS = 28;

/** Who runs a station's counter and sessions: its keeper, and admins over its region. */
export const STATION_STAFF_ROLES = ['station_keeper', ...ADMIN_ROLES] as const satisfies readonly Role[];

export const checkinCodeSchema = z.string().regex(/^\d{6}$/, '6 digits');

/**
 * What the station's QR carries: a link to the H5 scan page, so a phone's own camera app opens the
 * check-in too (many cheap phones' browsers cannot read QR codes themselves).
 */
export function checkinLink(origin: string, stationId: string, code: string): string {
  return `${origin}/stations/checkin?s=${encodeURIComponent(stationId)}&c=${encodeURIComponent(code)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The station and code in a scanned QR text; null for anything that is not our check-in link. */
export function parseCheckinLink(text: string): { stationId: string; code: string } | null {
  let url: URL;
  try {
    url = new URL(text, 'http://x');
  } catch {
    return null;
  }
  const stationId = url.searchParams.get('s') ?? '';
  const code = url.searchParams.get('c') ?? '';
  if (!url.pathname.endsWith('/stations/checkin') || !UUID.test(stationId) || !/^\d{6}$/.test(code)) return null;
  return { stationId, code };
}

export const checkinRequest = z.strictObject({
  /** The station is in the QR link, or the worker came from its page: 6 digits alone are not unique among 180,000 stations. */
  stationId: z.uuid(),
  code: checkinCodeSchema,
});

export const visitSchema = z.object({
  id: z.uuid(),
  stationId: z.uuid(),
  stationName: z.string(),
  regionId: regionIdSchema,
  visitedAt: z.iso.datetime(),
  /** The worker's own rating of this visit, if given. */
  stars: z.number().int().nullable(),
  /** May still be rated (own visit, not rated, within RATING_DAYS). */
  rateable: z.boolean(),
});
export type Visit = z.infer<typeof visitSchema>;

export const checkinResponse = z.object({
  visit: visitSchema,
  /** True when this scan fell within 2 hours of the counted visit, which is returned instead. */
  alreadyCheckedIn: z.boolean(),
  /** Points this check-in earned (0 when no rule pays for check-ins, or a cap was reached). */
  points: z.number().int(),
});

export const checkinCodeResponse = z.object({
  stationId: z.uuid(),
  stationName: z.string(),
  code: checkinCodeSchema,
  /** When this code stops being shown; it is still accepted for one more step. */
  expiresAt: z.iso.datetime(),
  periodSeconds: z.number().int(),
  visitsToday: z.number().int(),
});

export const myVisitsQuery = z.strictObject({ stationId: z.uuid().optional() });
export const myVisitsResponse = z.object({ items: z.array(visitSchema) });

export const ratingRequest = z.strictObject({
  stars: z.number().int().min(1).max(5),
  feedback: noteText(500).default(''),
});

export const feedbackSchema = z.object({
  visitId: z.uuid(),
  stationId: z.uuid(),
  regionId: regionIdSchema,
  stars: z.number().int(),
  feedback: z.string(),
  /** Masked (张*): staff need the words, not who wrote them. */
  workerName: z.string(),
  visitedAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type StationFeedback = z.infer<typeof feedbackSchema>;

export const feedbackResponse = z.object({
  rating: z.number().nullable(),
  ratingCount: z.number().int(),
  items: z.array(feedbackSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** At most a quarter at a time: what an inspection looks back on. */
export const VISIT_RANGE_MAX_DAYS = 92;
export const visitsQuery = z.strictObject({ from: dateSchema, to: dateSchema });
export const visitsResponse = z.object({
  stationId: z.uuid(),
  regionId: regionIdSchema,
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  /** Only days with visits; `byHour[0]` counts 00:00–00:59 China time. */
  days: z.array(z.object({ day: z.string(), visits: z.number().int(), byHour: z.array(z.number().int()).length(24) })),
});

export const visitsTodayResponse = z.object({
  day: z.string(),
  items: z.array(
    z.object({
      stationId: z.uuid(),
      stationName: z.string(),
      regionId: regionIdSchema,
      visits: z.number().int(),
      rating: z.number().nullable(),
      ratingCount: z.number().int(),
    }),
  ),
});

// ---- service sessions ----

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const SESSION_RECURRENCES = ['once', 'weekly'] as const;

export const sessionInput = z.strictObject({
  title: plainText(60),
  service: z.enum(SERVICES).nullable().default(null),
  provider: plainText(60, 0).default(''),
  description: noteText(500).default(''),
  capacity: z.number().int().min(1).max(1000),
  recurrence: z.enum(SESSION_RECURRENCES),
  /** 'once': the day. 'weekly': the first day; its weekday repeats. */
  startsOn: dateSchema,
  /** 'weekly' only: the last day it may fall on; null runs until cancelled. */
  untilOn: dateSchema.nullable().default(null),
  startTime: clock,
  endTime: clock,
});
export type SessionInput = z.output<typeof sessionInput>;

export const occurrenceSchema = z.object({
  sessionId: z.uuid(),
  stationId: z.uuid(),
  regionId: regionIdSchema,
  title: z.string(),
  service: z.enum(SERVICES).nullable(),
  provider: z.string(),
  description: z.string(),
  recurrence: z.enum(SESSION_RECURRENCES),
  occursOn: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  startsAt: z.iso.datetime(),
  capacity: z.number().int(),
  seatsLeft: z.number().int(),
});
export type SessionOccurrence = z.infer<typeof occurrenceSchema>;

export const upcomingQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(SESSION_HORIZON_DAYS) });
export const upcomingResponse = z.object({ items: z.array(occurrenceSchema) });

export const bookingRequest = z.strictObject({ occursOn: dateSchema });

export const BOOKING_STATUSES = ['booked', 'cancelled'] as const;
export const bookingSchema = z.object({
  id: z.uuid(),
  sessionId: z.uuid(),
  stationId: z.uuid(),
  stationName: z.string(),
  title: z.string(),
  provider: z.string(),
  occursOn: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  startsAt: z.iso.datetime(),
  status: z.enum(BOOKING_STATUSES),
  attended: z.boolean().nullable(),
  createdAt: z.iso.datetime(),
});
export type StationBooking = z.infer<typeof bookingSchema>;
export const myBookingsResponse = z.object({ items: z.array(bookingSchema) });

export const rosterQuery = z.strictObject({ occursOn: dateSchema });
export const rosterResponse = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      regionId: regionIdSchema,
      workerName: z.string(),
      phoneMasked: z.string().nullable(),
      status: z.enum(BOOKING_STATUSES),
      attended: z.boolean().nullable(),
      createdAt: z.iso.datetime(),
    }),
  ),
});
export const attendanceRequest = z.strictObject({ attended: z.boolean() });
/** `points`: what the worker earned for coming (the street's 驿站服务 rule; once per booking; 0 when none). */
export const attendanceResponse = z.object({ id: z.uuid(), attended: z.boolean().nullable(), points: z.number().int() });
