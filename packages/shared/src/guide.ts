import { z } from 'zod';
import { regionIdSchema, type Role } from './identity.ts';
import { photoSchema } from './media.ts';
import { noteText, pageOf, pageQuery, plainText } from './text.ts';

/**
 * The street guide (停车难, 充电难, 进门难, 找路难): places riders contribute and staff verify,
 * shown as layers on the stations map. One table, one word: guide places.
 */
export const GUIDE_KINDS = ['parking', 'charging', 'gate', 'compound'] as const;
export type GuideKind = (typeof GUIDE_KINDS)[number];
export const GUIDE_KIND_LABELS: Record<GuideKind, { 'zh-CN': string; en: string }> = {
  parking: { 'zh-CN': '骑手停车点', en: 'Rider parking' },
  charging: { 'zh-CN': '充换电点', en: 'Charging / battery swap' },
  gate: { 'zh-CN': '小区门岗', en: 'Compound gate' },
  compound: { 'zh-CN': '小区指引', en: 'Compound guide' },
};

/** pending: only its author (and staff) see it; verified: on everyone's map; rejected: with the reason, to its author. */
export const GUIDE_STATES = ['pending', 'verified', 'rejected'] as const;
export type GuideState = (typeof GUIDE_STATES)[number];

/** What a gate lets a rider do. */
export const GATE_RULES = ['walk_in', 'ebike_allowed', 'register', 'call_owner', 'no_entry'] as const;
export type GateRule = (typeof GATE_RULES)[number];
export const GATE_RULE_LABELS: Record<GateRule, { 'zh-CN': string; en: string }> = {
  walk_in: { 'zh-CN': '骑手可步行进入', en: 'Riders may walk in' },
  ebike_allowed: { 'zh-CN': '电动车可进入', en: 'E-bikes allowed' },
  register: { 'zh-CN': '需在门岗登记', en: 'Register at the guard' },
  call_owner: { 'zh-CN': '需联系业主接取', en: 'Customer must come down' },
  no_entry: { 'zh-CN': '外卖不得进入', en: 'No delivery entry' },
};

/** Latitude/longitude as numbers in range; strings from a query are coerced, anything else is a 400. */
export const latitudeSchema = z.number().min(-90).max(90);
export const longitudeSchema = z.number().min(-180).max(180);
const pointFields = { lat: latitudeSchema, lng: longitudeSchema };

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const gateInfoSchema = z.strictObject({
  rules: z.array(z.enum(GATE_RULES)).max(GATE_RULES.length).default([]),
  /** When riders may go in; both null = any time. */
  opensAt: hhmm.nullable().default(null),
  closesAt: hhmm.nullable().default(null),
});
export type GateInfo = z.output<typeof gateInfoSchema>;

const labelledPoint = z.strictObject({ label: plainText(40), ...pointFields });
export const compoundGuideSchema = z.strictObject({
  entrances: z.array(labelledPoint).max(20).default([]),
  /** Buildings (楼栋) with their units (单元) where they are far apart. */
  buildings: z.array(z.strictObject({ label: plainText(40), ...pointFields, units: z.array(labelledPoint).max(12).default([]) })).max(200).default([]),
  /** How to get through the underground garage (地库) and where the lifts are. */
  garageRoute: noteText(1000).default(''),
});
export type CompoundGuide = z.output<typeof compoundGuideSchema>;

/** A contribution or a staff edit: kind-specific parts only where the kind has them. */
export const guidePlaceInput = z
  .strictObject({
    kind: z.enum(GUIDE_KINDS),
    name: plainText(60),
    notes: noteText(500).default(''),
    ...pointFields,
    gate: gateInfoSchema.nullable().default(null),
    compound: compoundGuideSchema.nullable().default(null),
    photoIds: z.array(z.uuid()).max(6).default([]),
  })
  .refine((p) => p.kind === 'gate' || p.gate === null, { path: ['gate'], message: 'only for gates' })
  .refine((p) => p.kind === 'compound' || p.compound === null, { path: ['compound'], message: 'only for compounds' });
export type GuidePlaceInput = z.input<typeof guidePlaceInput>;

export const guidePlaceSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  kind: z.enum(GUIDE_KINDS),
  state: z.enum(GUIDE_STATES),
  name: z.string(),
  notes: z.string(),
  lat: z.number(),
  lng: z.number(),
  gate: gateInfoSchema.nullable(),
  compound: compoundGuideSchema.nullable(),
  photos: z.array(photoSchema),
  /** The contributor sees their own entry; staff see who contributed (masked name). */
  mine: z.boolean(),
  authorName: z.string().nullable(),
  rejectReason: z.string().nullable(),
  reviewedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type GuidePlace = z.infer<typeof guidePlaceSchema>;

/** `?kind=parking,gate` or `?kind=parking&kind=gate`. */
const kindList = z
  .preprocess((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean)), z.array(z.enum(GUIDE_KINDS)).max(GUIDE_KINDS.length))
  .default([]);

export const guideNearbyQuery = z.strictObject({
  /** WGS-84, as the phone's GPS gives it. */
  lat: z.coerce.number().min(-90).max(90),
  lng: z.coerce.number().min(-180).max(180),
  kind: kindList,
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const guideNearbyResponse = z.object({ items: z.array(guidePlaceSchema.extend({ distanceM: z.number().int() })) });

export const guideMineResponse = pageOf(guidePlaceSchema);

export const guideReviewQuery = pageQuery.extend({
  state: z.enum(GUIDE_STATES).default('pending'),
  kind: z.enum(GUIDE_KINDS).optional(),
  regionId: regionIdSchema.optional(),
});
export const guideReviewResponse = pageOf(guidePlaceSchema);

export const guideReviewRequest = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('verify') }),
  z.strictObject({ decision: z.literal('reject'), reason: noteText(200, 2) }),
]);
export type GuideReviewRequest = z.infer<typeof guideReviewRequest>;

// ---- Rider pass (通行码) ----

/** The pass code changes every 30 s, like a station's check-in code. */
export const PASS_STEP_SECONDS = 30;
/** A scan a little after the code's step still counts (a slow camera), no longer. */
export const PASS_GRACE_SECONDS = 5;
/** A verified identity carries a pass for this many days, then staff verify again. */
export const PASS_VALID_DAYS = 365;
/** A worker's pass page offers the compound guide of a scan this recent. */
export const PASS_RECENT_SCAN_MINUTES = 10;

/** Pass numbers: 8 characters without look-alikes (0/O, 1/I/L). */
const PASS_NO = /^[2-9A-HJKMNP-Z]{8}$/;
export const passNoSchema = z.string().regex(PASS_NO, 'pass number');

/** What the QR carries and a guard may type: `NXP-<pass number>-<6 digits>`. */
export function passCodeText(passNo: string, code: string): string {
  return `NXP-${passNo}-${code}`;
}

/**
 * The pass number and code in a scanned or typed text; null for anything else. Forgiving with
 * what people type (lower case, spaces, missing prefix), strict on what is left.
 */
export function parsePassCode(text: string): { passNo: string; code: string } | null {
  if (typeof text !== 'string' || text.length > 100) return null;
  const compact = text.toUpperCase().replace(/[\s-]+/g, '');
  const match = /^(?:NXP)?([2-9A-HJKMNP-Z]{8})(\d{6})$/.exec(compact);
  return match ? { passNo: match[1]!, code: match[2]! } : null;
}

export const PASS_STATES = ['unverified', 'active', 'revoked', 'expired'] as const;
export type PassState = (typeof PASS_STATES)[number];

export const passHolderSchema = z.object({
  name: z.string().nullable(),
  /** Masked: the guard matches a face and a name, not a phone. */
  phoneMasked: z.string().nullable(),
  occupation: z.string().nullable(),
  platformCompany: z.string().nullable(),
  deliveryStation: z.string().nullable(),
  photo: photoSchema.nullable(),
});

export const myPassResponse = z.object({
  passNo: z.string(),
  state: z.enum(PASS_STATES),
  holder: passHolderSchema,
  identityVerifiedAt: z.iso.datetime().nullable(),
  validUntil: z.iso.datetime().nullable(),
  revokedReason: z.string().nullable(),
  /** Only while the pass is active: what the QR shows now. */
  code: z.string().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  periodSeconds: z.number().int(),
  /** The compound the last recent scan was at, so its guide opens for the worker. */
  recentScan: z.object({ at: z.iso.datetime(), compoundId: z.uuid().nullable(), compoundName: z.string().nullable(), placeName: z.string() }).nullable(),
});
export type MyPass = z.infer<typeof myPassResponse>;

export const passProfileRequest = z.strictObject({
  photoId: z.uuid().nullable().default(null),
  deliveryStation: plainText(60).nullable().default(null),
});

export const passScanRequest = z.strictObject({ text: z.string().min(1).max(100) });
export const passScanResponse = z.object({
  passNo: z.string(),
  holder: passHolderSchema,
  validUntil: z.iso.datetime(),
  scannedAt: z.iso.datetime(),
  /** The compound guide near the guard's post, if one is verified. */
  compound: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});
export type PassScan = z.infer<typeof passScanResponse>;

export const SCAN_RESULTS = ['ok', 'forged', 'expired', 'replayed', 'revoked', 'unverified'] as const;
export const passScanLogSchema = z.object({
  id: z.string(),
  regionId: regionIdSchema,
  guardName: z.string().nullable(),
  guardOrganization: z.string().nullable(),
  passNo: z.string().nullable(),
  holderName: z.string().nullable(),
  result: z.enum(SCAN_RESULTS),
  scannedAt: z.iso.datetime(),
});
export const passScanLogQuery = pageQuery.extend({ result: z.enum(SCAN_RESULTS).optional() });
export const passScanLogResponse = pageOf(passScanLogSchema);

export const riderPassSchema = z.object({
  workerId: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  passNo: z.string().nullable(),
  state: z.enum(PASS_STATES),
  holder: passHolderSchema,
  identityVerifiedAt: z.iso.datetime().nullable(),
  validUntil: z.iso.datetime().nullable(),
  revokedReason: z.string().nullable(),
});
export type RiderPass = z.infer<typeof riderPassSchema>;
export const riderPassListQuery = pageQuery.extend({
  state: z.enum(PASS_STATES).optional(),
  regionId: regionIdSchema.optional(),
  q: plainText(40).optional(),
});
export const riderPassListResponse = pageOf(riderPassSchema);

export const identityCheckRequest = z.strictObject({ verified: z.boolean(), note: noteText(200).default('') });
export const passRevocationRequest = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('revoke'), reason: noteText(200, 2) }),
  z.strictObject({ action: z.literal('restore'), reason: noteText(200).default('') }),
]);

/** Who verifies guide places and riders' identities, and revokes passes: grid staff and admins over their region. */
export const GUIDE_STAFF_ROLES = ['grid_staff', 'community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];
/** Who may scan a pass: property guards (staff of a 物业 partner; other partners are refused) and guide staff. */
export const PASS_GUARD_ROLES = ['partner_staff', ...GUIDE_STAFF_ROLES] as const satisfies readonly Role[];
