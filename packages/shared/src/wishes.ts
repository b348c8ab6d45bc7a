import { z } from 'zod';
import { regionIdSchema, type Role } from './identity.ts';
import { photoIds, photoSchema } from './media.ts';
import { dateSchema, noteText, pageOf, pageQuery, plainText } from './text.ts';

type Words = { 'zh-CN': string; en: string };

/** A small wish: something to have (an item) or something done (a service). */
export const WISH_KINDS = ['item', 'service'] as const;
export type WishKind = (typeof WISH_KINDS)[number];
export const WISH_KIND_LABELS: Record<WishKind, Words> = {
  item: { 'zh-CN': '物品', en: 'Item' },
  service: { 'zh-CN': '服务', en: 'Service' },
};

/**
 * Where a wish stands: submitted → published | rejected; published → claimed → fulfilled → confirmed;
 * a claim that expires or is withdrawn goes back to published; the wisher may cancel before a claim.
 */
export const WISH_STATUSES = ['submitted', 'rejected', 'published', 'claimed', 'fulfilled', 'confirmed', 'cancelled'] as const;
export type WishStatus = (typeof WISH_STATUSES)[number];
export const WISH_STATUS_LABELS: Record<WishStatus, Words> = {
  submitted: { 'zh-CN': '待审核', en: 'Awaiting review' },
  rejected: { 'zh-CN': '未通过', en: 'Not approved' },
  published: { 'zh-CN': '待认领', en: 'Open' },
  claimed: { 'zh-CN': '已认领', en: 'Claimed' },
  fulfilled: { 'zh-CN': '已圆梦', en: 'Fulfilled' },
  confirmed: { 'zh-CN': '已确认', en: 'Confirmed' },
  cancelled: { 'zh-CN': '已撤回', en: 'Cancelled' },
};
/** What the wish wall shows: nothing before review, nothing refused or withdrawn. */
export const PUBLIC_WISH_STATUSES = ['published', 'claimed', 'fulfilled', 'confirmed'] as const satisfies readonly WishStatus[];

/** Every step a wish can take; each one is an event row. */
export const WISH_ACTIONS = ['submit', 'approve', 'reject', 'cancel', 'claim', 'withdraw', 'expire', 'fulfil', 'offline', 'confirm', 'thank'] as const;
export type WishAction = (typeof WISH_ACTIONS)[number];
export const WISH_ACTION_LABELS: Record<WishAction, Words> = {
  submit: { 'zh-CN': '提交心愿', en: 'Posted' },
  approve: { 'zh-CN': '审核通过', en: 'Approved' },
  reject: { 'zh-CN': '审核未通过', en: 'Not approved' },
  cancel: { 'zh-CN': '撤回心愿', en: 'Cancelled' },
  claim: { 'zh-CN': '认领', en: 'Claimed' },
  withdraw: { 'zh-CN': '放弃认领', en: 'Claim withdrawn' },
  expire: { 'zh-CN': '认领过期', en: 'Claim expired' },
  fulfil: { 'zh-CN': '完成圆梦', en: 'Fulfilled' },
  offline: { 'zh-CN': '线下捐赠登记', en: 'Offline donation recorded' },
  confirm: { 'zh-CN': '确认收到', en: 'Receipt confirmed' },
  thank: { 'zh-CN': '致谢', en: 'Thanked' },
};

/** Who took the wish on: a partner (暖新商家 …), a worker or other person logged in, or a donor staff recorded. */
export const WISH_CLAIMANT_KINDS = ['partner', 'worker', 'offline'] as const;
export type WishClaimantKind = (typeof WISH_CLAIMANT_KINDS)[number];

/** Staff who review wishes, record offline donations and read the counts, within their region. */
export const WISH_STAFF_ROLES = ['grid_staff', 'community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];
/** Who may take a wish on: workers (and other people with an H5 account) and partners' staff. */
export const WISH_DONOR_ROLES = ['worker', 'partner_staff'] as const satisfies readonly Role[];
/** Who sets a street's cap and claim days. */
export const WISH_SETTINGS_ROLES = ['street_admin', 'district_admin'] as const satisfies readonly Role[];

/** Street defaults until a street admin sets its own. */
export const WISH_DEFAULTS = { valueCapYuan: 200, claimDays: 7 } as const;
/** A claimant is reminded this many hours before the claim expires. */
export const WISH_EXPIRY_WARNING_HOURS = 24;
/** The points rule that pays a worker who fulfilled a wish: the street's earn rule whose name has this word. */
export const WISH_RULE_WORD = '微心愿';

// ---- worker input ----

export const wishInput = z.strictObject({
  kind: z.enum(WISH_KINDS),
  title: plainText(30, 2),
  description: noteText(300).default(''),
  /** Whole yuan, at most the street's cap (checked by the server). */
  valueYuan: z.number().int().min(1).max(100_000),
  photoIds: photoIds.default([]),
});
export type WishInput = z.input<typeof wishInput>;

export const wishConfirmRequest = z.strictObject({
  /** A thank-you said at once (optional); `thanksPublic` shows it on the wall. */
  thanks: noteText(200).default(''),
  thanksPublic: z.boolean().default(false),
});
export const wishThankRequest = z.strictObject({ message: noteText(200, 2), public: z.boolean().default(true) });

// ---- staff and claimant input ----

export const wishNoteRequest = z.strictObject({ note: noteText(300).default('') });
export const wishRejectRequest = z.strictObject({ note: noteText(300, 2) });
export const wishClaimRequest = z.strictObject({ note: noteText(300).default('') });
export const wishWithdrawRequest = z.strictObject({ note: noteText(300, 2) });
/** 圆梦: the handover in words and at least one photo. */
export const wishFulfilRequest = z.strictObject({ note: noteText(300, 2), photoIds: photoIds.refine((ids) => ids.length >= 1, { message: 'at least one photo' }) });
/** A donation staff took in person: the donor's name as they gave it, then the same proof. */
export const wishOfflineRequest = wishFulfilRequest.extend({ donorName: plainText(40) });

export const wishSettingsRequest = z.strictObject({
  valueCapYuan: z.number().int().min(1).max(100_000),
  claimDays: z.number().int().min(1).max(60),
});
export const wishSettingsSchema = z.object({ regionId: regionIdSchema, valueCapYuan: z.number().int(), claimDays: z.number().int(), inherited: z.boolean() });
export type WishSettings = z.infer<typeof wishSettingsSchema>;

// ---- views ----

const publicFields = {
  id: z.uuid(),
  /** The wisher's community. */
  regionId: regionIdSchema,
  communityName: z.string(),
  /** 张* : never the full name, a phone or an account id. */
  nickname: z.string(),
  kind: z.enum(WISH_KINDS),
  title: z.string(),
  description: z.string(),
  valueYuan: z.number().int(),
  photos: z.array(photoSchema),
  status: z.enum(WISH_STATUSES),
  /** A partner's name, or a person's masked name. */
  claimedBy: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  fulfilledAt: z.iso.datetime().nullable(),
};

/** A wish as anyone sees it on the wall. */
export const publicWishSchema = z.object({
  ...publicFields,
  /** The wisher's thank-you, when they made it public. */
  thanks: z.string().nullable(),
});
export type PublicWish = z.infer<typeof publicWishSchema>;
export const wishWallQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  status: z.enum(PUBLIC_WISH_STATUSES).optional(),
  kind: z.enum(WISH_KINDS).optional(),
  q: plainText(30).optional(),
});
export const wishWallResponse = pageOf(publicWishSchema);

export const wishEventSchema = z.object({
  at: z.iso.datetime(),
  action: z.enum(WISH_ACTIONS),
  status: z.enum(WISH_STATUSES),
  note: z.string().nullable(),
  photos: z.array(photoSchema),
});

const progressFields = {
  claimExpiresAt: z.iso.datetime().nullable(),
  proofNote: z.string().nullable(),
  proofPhotos: z.array(photoSchema),
  confirmedAt: z.iso.datetime().nullable(),
  thanks: z.string().nullable(),
  thanksPublic: z.boolean(),
};

/** The wisher's own wish, with what they may do next and its timeline. */
export const myWishSchema = z.object({
  ...publicFields,
  ...progressFields,
  reviewNote: z.string().nullable(),
  createdAt: z.iso.datetime(),
  canCancel: z.boolean(),
  canConfirm: z.boolean(),
  canThank: z.boolean(),
  timeline: z.array(wishEventSchema),
});
export type MyWish = z.infer<typeof myWishSchema>;
export const myWishesQuery = pageQuery.extend({ status: z.enum(WISH_STATUSES).optional() });
export const myWishesResponse = pageOf(myWishSchema.omit({ timeline: true }));

/** A wish the caller (a worker, or a partner's staff) claimed, with its handover. */
export const claimedWishSchema = z.object({ ...publicFields, ...progressFields, claimedAt: z.iso.datetime().nullable() });
export type ClaimedWish = z.infer<typeof claimedWishSchema>;
export const claimedWishesResponse = pageOf(claimedWishSchema);

/** The staff view: who wished (masked phone; the read is audited), who claimed, and every step with its actor. */
export const wishSummarySchema = z.object({
  ...publicFields,
  ...progressFields,
  wisherName: z.string().nullable(),
  wisherPhoneMasked: z.string().nullable(),
  claimantKind: z.enum(WISH_CLAIMANT_KINDS).nullable(),
  claimantName: z.string().nullable(),
  reviewNote: z.string().nullable(),
  claimedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type WishSummary = z.infer<typeof wishSummarySchema>;
export const wishDetailSchema = wishSummarySchema.extend({
  timeline: z.array(wishEventSchema.extend({ actorName: z.string().nullable() })),
});
export type WishDetail = z.infer<typeof wishDetailSchema>;
export const wishListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  status: z.enum(WISH_STATUSES).optional(),
  kind: z.enum(WISH_KINDS).optional(),
  q: plainText(30).optional(),
});
export const wishListResponse = pageOf(wishSummarySchema);

/** Counts per child region (streets of a district, communities of a street) with the status breakdown. */
export const wishCountsQuery = z.strictObject({ regionId: regionIdSchema.optional(), from: dateSchema.optional(), to: dateSchema.optional() });
const countFields = {
  total: z.number().int(),
  byStatus: z.record(z.enum(WISH_STATUSES), z.number().int()),
  /** Fulfilled (圆梦) and confirmed within the period, by when it happened. */
  fulfilled: z.number().int(),
  confirmed: z.number().int(),
  valueFulfilledYuan: z.number().int(),
};
export const wishCountsResponse = z.object({
  regionId: regionIdSchema,
  from: dateSchema.nullable(),
  to: dateSchema.nullable(),
  totals: z.object(countFields),
  items: z.array(z.object({ regionId: regionIdSchema, regionName: z.string(), ...countFields })),
});
export type WishCounts = z.infer<typeof wishCountsResponse>;

export const wishIdParams = z.strictObject({ id: z.uuid() });
export const wishRegionParams = z.strictObject({ regionId: regionIdSchema });
