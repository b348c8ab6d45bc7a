import { z } from 'zod';
import { ADMIN_ROLES, regionIdSchema, type Role } from './identity.ts';
import { photoIds, photoSchema } from './media.ts';
import { dateSchema, noteText, pageOf, pageQuery, phoneSchema, plainText } from './text.ts';

/** 暖新商家, 医院, 物业, 学院, 爱心企业. */
export const PARTNER_KINDS = ['merchant', 'hospital', 'property', 'academy', 'enterprise'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** Older rows carried the kind as its Chinese label; reading one never fails on them. */
const LEGACY_KINDS: Record<string, PartnerKind> = { 暖新商家: 'merchant', 医院: 'hospital', 物业小站: 'property', 物业: 'property', 学院: 'academy', 爱心企业: 'enterprise' };
export function partnerKindOf(raw: string): PartnerKind {
  return (PARTNER_KINDS as readonly string[]).includes(raw) ? (raw as PartnerKind) : (LEGACY_KINDS[raw] ?? 'merchant');
}

/** applied → certified (授牌) | rejected; certified → suspended → certified; certified → expired → certified (renewal). */
export const PARTNER_STATUSES = ['applied', 'certified', 'rejected', 'suspended', 'expired'] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** What staff may do to a partner, and from which states. Expiry is the job's, never a person's. */
export const PARTNER_MOVES = {
  approve: { from: ['applied'] },
  reject: { from: ['applied'] },
  suspend: { from: ['certified'] },
  reinstate: { from: ['suspended'] },
  renew: { from: ['certified', 'expired'] },
} as const satisfies Record<string, { from: readonly PartnerStatus[] }>;
export type PartnerMove = keyof typeof PARTNER_MOVES;
export const PARTNER_MOVE_NAMES = Object.keys(PARTNER_MOVES) as PartnerMove[];

/** Certification (and each renewal) lasts this long. */
export const PARTNER_VALIDITY_MONTHS = 12;
/** Partner staff are told this many days before their certification runs out. */
export const PARTNER_EXPIRY_NOTICE_DAYS = 30;

/** Street and district admins certify (授牌); community admins see their partners. */
export const PARTNER_REVIEWER_ROLES = ['street_admin', 'district_admin'] as const satisfies readonly Role[];
export const PARTNER_READER_ROLES = ADMIN_ROLES;
/** Who records a donation: admins over the recipient, or a partner's staff for their own partner. */
export const DONATION_RECORDER_ROLES = ['partner_staff', ...ADMIN_ROLES] as const satisfies readonly Role[];

/** 优惠折扣, 错峰通道, 夜间窗口, 预约服务, 免费服务. */
export const BENEFIT_TYPES = ['discount', 'off_peak_lane', 'night_window', 'booking', 'free_service'] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

export const benefitSchema = z.strictObject({
  type: z.enum(BENEFIT_TYPES),
  text: plainText(80),
  /** When it applies, in words: "每天 22:00-次日02:00", "周四下午". */
  schedule: plainText(60, 0).nullable().default(null),
});
export type Benefit = z.output<typeof benefitSchema>;
export const benefitsSchema = z.array(benefitSchema).max(10);

/** The public page of a partner, as the plaque QR opens it: `<h5 origin>/partners/<id>`. */
export function partnerPageLink(origin: string, partnerId: string): string {
  return `${origin.replace(/\/+$/, '')}/partners/${encodeURIComponent(partnerId)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The partner id in a scanned plaque QR text; null for anything that is not a partner page link. */
export function parsePartnerLink(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text, 'http://x');
  } catch {
    return null;
  }
  const match = /\/partners\/([^/]+)\/?$/.exec(url.pathname);
  const id = match ? decodeURIComponent(match[1]!) : '';
  return UUID.test(id) ? id.toLowerCase() : null;
}

const latSchema = z.number().min(-90).max(90);
const lngSchema = z.number().min(-180).max(180);

/** 申请: anyone may apply (a shop owner has no account); staff review before anything is shown. */
export const partnerApplicationInput = z.strictObject({
  /** The community (or street) the partner is in. */
  regionId: regionIdSchema,
  name: plainText(60, 2),
  kind: z.enum(PARTNER_KINDS),
  address: plainText(120, 2),
  lat: latSchema,
  lng: lngSchema,
  contactName: plainText(20),
  contactPhone: phoneSchema,
  description: noteText(500).default(''),
  hours: plainText(60, 0).default(''),
  benefits: benefitsSchema.min(1),
});
export type PartnerApplicationInput = z.input<typeof partnerApplicationInput>;

export const partnerApplicationResponse = z.object({ id: z.uuid(), name: z.string(), status: z.enum(PARTNER_STATUSES) });

/** What the partner (or an admin) keeps up to date after certification. */
export const partnerProfileInput = z.strictObject({
  address: plainText(120, 2),
  lat: latSchema,
  lng: lngSchema,
  contactName: plainText(20),
  contactPhone: phoneSchema.nullable().default(null),
  description: noteText(500).default(''),
  hours: plainText(60, 0).default(''),
  benefits: benefitsSchema,
});

export const partnerMoveInput = z.strictObject({
  move: z.enum(PARTNER_MOVE_NAMES as [PartnerMove, ...PartnerMove[]]),
  /** Required to reject and to suspend. */
  reason: noteText(200).default(''),
  /** On approval: open a partner-staff account (SMS login to the console) for the contact's phone. */
  createAccount: z.boolean().default(false),
});

/** A certified partner as the public sees it: no contact person, no phone. */
export const publicPartnerSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  status: z.enum(PARTNER_STATUSES),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  description: z.string(),
  hours: z.string(),
  benefits: z.array(benefitSchema),
  certificateNo: z.string().nullable(),
  certifiedAt: z.iso.datetime().nullable(),
  validUntil: z.string().nullable(),
  /** Metres from the position asked about, when one was given. */
  distance: z.number().nullable(),
});
export type PublicPartner = z.infer<typeof publicPartnerSchema>;

export const directoryQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  kind: z.enum(PARTNER_KINDS).optional(),
  benefit: z.enum(BENEFIT_TYPES).optional(),
  q: plainText(40).optional(),
  lat: z.coerce.number().min(-90).max(90).optional(),
  lng: z.coerce.number().min(-180).max(180).optional(),
});
export const directoryResponse = pageOf(publicPartnerSchema);

export const partnerEventSchema = z.object({
  id: z.uuid(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  reason: z.string(),
  actorName: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

/** The console's view: contact phone masked (138****0001), review history, staff accounts. */
export const partnerSchema = publicPartnerSchema.extend({
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  rejectionReason: z.string().nullable(),
  suspensionReason: z.string().nullable(),
  reviewedAt: z.iso.datetime().nullable(),
  reviewerName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  staff: z.array(z.object({ id: z.uuid(), name: z.string().nullable(), phone: z.string().nullable(), status: z.string() })),
  history: z.array(partnerEventSchema),
  donations: z.number().int(),
});
export type Partner = z.infer<typeof partnerSchema>;

/** The whole number, for a reviewer who must call the shop; every read is in the audit log. */
export const partnerContactSchema = z.object({ contactName: z.string().nullable(), contactPhone: z.string().nullable() });
export type PartnerContact = z.infer<typeof partnerContactSchema>;

export const partnerSummarySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  status: z.enum(PARTNER_STATUSES),
  address: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  benefitTypes: z.array(z.enum(BENEFIT_TYPES)),
  certificateNo: z.string().nullable(),
  validUntil: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type PartnerSummary = z.infer<typeof partnerSummarySchema>;

export const partnerListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  status: z.enum(PARTNER_STATUSES).optional(),
  kind: z.enum(PARTNER_KINDS).optional(),
  q: plainText(40).optional(),
});
export const partnerListResponse = pageOf(partnerSummarySchema).extend({
  /** Partners per status in the same filter (without the status filter), for the tabs. */
  counts: z.record(z.string(), z.number().int()),
});

// ---- donations of resources (e.g. shared bikes for a compound) ----

export const donationInput = z.strictObject({
  /** Staff name the partner; partner staff always give for their own partner. */
  partnerId: z.uuid().nullable().default(null),
  /** The community receiving it. */
  regionId: regionIdSchema,
  item: plainText(60),
  quantity: z.number().int().min(1).max(1_000_000),
  unit: plainText(10).default('件'),
  /** The compound or place within the community (小区, 驿站). */
  recipient: plainText(60, 0).default(''),
  donatedOn: dateSchema,
  note: noteText(300).default(''),
  photoIds: photoIds.default([]),
});
export type DonationInput = z.input<typeof donationInput>;

export const donationSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  partnerId: z.uuid(),
  partnerName: z.string(),
  item: z.string(),
  quantity: z.number().int(),
  unit: z.string(),
  recipient: z.string(),
  donatedOn: z.string(),
  note: z.string(),
  photos: z.array(photoSchema),
  recordedByName: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type Donation = z.infer<typeof donationSchema>;

export const donationListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  partnerId: z.uuid().optional(),
  q: plainText(40).optional(),
});
export const donationListResponse = pageOf(donationSchema).extend({
  /** Per receiving community, within the same filter. */
  byRegion: z.array(z.object({ regionId: regionIdSchema, regionName: z.string(), donations: z.number().int(), quantity: z.number().int() })),
});

// ---- friendly-street pledges (三方公约) ----

export const SIGNATORY_KINDS = ['community', 'property', 'worker'] as const;
export type SignatoryKind = (typeof SIGNATORY_KINDS)[number];
/** Who publishes a community's pledge text. */
export const PLEDGE_EDITOR_ROLES = ADMIN_ROLES;
/** Who signs for an organisation: the community admin for the community, property companies' staff. */
export const PLEDGE_ORG_SIGNER_ROLES = ['community_admin', 'partner_staff'] as const satisfies readonly Role[];

export const pledgeInput = z.strictObject({
  /** The community the pledge is for. */
  regionId: regionIdSchema,
  title: plainText(60),
  body: noteText(5000, 10),
});

export const pledgeSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  publishedAt: z.iso.datetime(),
  counts: z.object({ community: z.number().int(), property: z.number().int(), worker: z.number().int() }),
});
export type Pledge = z.infer<typeof pledgeSchema>;

export const signatorySchema = z.object({
  kind: z.enum(SIGNATORY_KINDS),
  /** The organisation's name; a worker's masked nickname (张*) only. */
  name: z.string(),
  signedAt: z.iso.datetime(),
});
export type Signatory = z.infer<typeof signatorySchema>;

export const pledgePageResponse = z.object({
  pledge: pledgeSchema.nullable(),
  signatories: z.array(signatorySchema),
});

export const pledgeListQuery = pageQuery.extend({ regionId: regionIdSchema.optional(), q: plainText(40).optional() });
export const pledgeListResponse = pageOf(pledgeSchema);

export const pledgeSignResponse = z.object({ pledgeId: z.uuid(), kind: z.enum(SIGNATORY_KINDS), name: z.string(), signedAt: z.iso.datetime() });
export const mySignaturesResponse = z.object({ pledgeIds: z.array(z.uuid()) });
export const pledgeCommunityParams = z.strictObject({ regionId: regionIdSchema });
