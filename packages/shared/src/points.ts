import { z } from 'zod';
import { photoIds, photoSchema } from './media.ts';
import { dateSchema, noteText, pageOf, pageQuery, phoneSchema, plainText } from './text.ts';
import { regionIdSchema } from './identity.ts';

/** Rule categories as the city reports name them (a street may edit the rules inside each). */
export const POINT_CATEGORIES = ['volunteer', 'civility', 'activity', 'report', 'patrol', 'publicity', 'care', 'honor'] as const;
export type PointCategory = (typeof POINT_CATEGORIES)[number];
export const POINT_CATEGORY_LABELS: Record<PointCategory, { 'zh-CN': string; en: string }> = {
  volunteer: { 'zh-CN': '志愿服务', en: 'Volunteering' },
  civility: { 'zh-CN': '文明实践', en: 'Civic practice' },
  activity: { 'zh-CN': '活动参与', en: 'Activities' },
  report: { 'zh-CN': '随手拍报事', en: 'Street reports' },
  patrol: { 'zh-CN': '微网格巡查', en: 'Grid patrol' },
  publicity: { 'zh-CN': '政策宣传', en: 'Policy outreach' },
  care: { 'zh-CN': '关爱帮扶', en: 'Care and help' },
  honor: { 'zh-CN': '荣誉表彰', en: 'Honours' },
};

/** Why points moved, shown beside every line of a worker's history. */
export const TRANSFER_KINDS = ['earn', 'deduct', 'hold', 'post', 'void', 'expire', 'reverse'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

const points = z.number().int().min(1).max(100_000);
const cap = z.number().int().min(1).max(1_000_000).nullable().default(null);

export const ruleSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  category: z.enum(POINT_CATEGORIES),
  name: z.string(),
  description: z.string(),
  /** `deduct` rules (负面清单) take points away. */
  kind: z.enum(['earn', 'deduct']),
  points: z.number().int(),
  dailyCap: z.number().int().nullable(),
  monthlyCap: z.number().int().nullable(),
  needsApproval: z.boolean(),
  /** Workers may file a claim with proof under this rule. */
  claimable: z.boolean(),
  /** Deductions under this rule within 90 days that suspend earning for 30 days. */
  suspendAfter: z.number().int().nullable(),
  validFrom: dateSchema.nullable(),
  validTo: dateSchema.nullable(),
  status: z.enum(['active', 'inactive']),
});
export type PointRule = z.infer<typeof ruleSchema>;

export const ruleInput = z.strictObject({
  /** The street (or district) whose workers the rule is for. */
  regionId: regionIdSchema,
  category: z.enum(POINT_CATEGORIES),
  name: plainText(40),
  description: noteText(500).default(''),
  kind: z.enum(['earn', 'deduct']).default('earn'),
  points,
  dailyCap: cap,
  monthlyCap: cap,
  needsApproval: z.boolean().default(false),
  claimable: z.boolean().default(false),
  suspendAfter: z.number().int().min(1).max(100).nullable().default(null),
  validFrom: dateSchema.nullable().default(null),
  validTo: dateSchema.nullable().default(null),
  status: z.enum(['active', 'inactive']).default('active'),
});
export type RuleInput = z.input<typeof ruleInput>;
export const ruleListQuery = z.strictObject({ regionId: regionIdSchema.optional(), includeInactive: z.enum(['true', 'false']).optional() });

export const balanceSchema = z.object({
  balance: z.number().int(),
  /** Points that expire at the next expiry date, and that date. */
  expiring: z.object({ amount: z.number().int(), at: z.iso.datetime() }).nullable(),
  earnedThisMonth: z.number().int(),
  earningSuspendedUntil: z.iso.datetime().nullable(),
  /** Shown on the community board and leaderboard (the worker may opt out). */
  public: z.boolean(),
});

export const historyItemSchema = z.object({
  id: z.string(),
  transferId: z.uuid(),
  at: z.iso.datetime(),
  /** Signed: + earned, − spent, held, expired or reversed. */
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  kind: z.enum(TRANSFER_KINDS),
  reason: z.string(),
});
export const historyResponse = pageOf(historyItemSchema);

/** Difficulty (难度系数): staff may scale a rule's points when awarding, 0.5× to 5× in halves. */
export const multiplierSchema = z.number().min(0.5).max(5).multipleOf(0.5).default(1);

export const CLAIM_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const claimSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  workerId: z.uuid(),
  workerName: z.string().nullable(),
  ruleId: z.uuid(),
  ruleName: z.string(),
  category: z.enum(POINT_CATEGORIES),
  points: z.number().int(),
  note: z.string(),
  occurredOn: dateSchema,
  status: z.enum(CLAIM_STATUSES),
  reviewNote: z.string().nullable(),
  /** Proof the worker attached (signed links). */
  photos: z.array(photoSchema),
  createdAt: z.iso.datetime(),
  reviewedAt: z.iso.datetime().nullable(),
});
export type PointClaim = z.infer<typeof claimSchema>;
export const claimRequest = z.strictObject({ ruleId: z.uuid(), note: noteText(500, 2), occurredOn: dateSchema, photoIds: photoIds.default([]) });
export const claimListQuery = pageQuery.extend({ status: z.enum(CLAIM_STATUSES).optional() });
export const claimListResponse = pageOf(claimSchema);
export const claimReviewRequest = z.strictObject({ decision: z.enum(['approve', 'reject']), note: noteText(200).default(''), multiplier: multiplierSchema });

/** Staff award or deduct under a rule, for something done outside the app. */
export const awardRequest = z.strictObject({ workerId: z.uuid(), ruleId: z.uuid(), note: noteText(200, 2), multiplier: multiplierSchema });
/** One rule to many workers at once (an activity's attendees, a month's patrols): one transaction. */
export const batchAwardRequest = z.strictObject({
  ruleId: z.uuid(),
  note: noteText(200, 2),
  multiplier: multiplierSchema,
  workerIds: z.array(z.uuid()).min(1).max(500),
});
export const batchAwardResponse = z.object({
  awarded: z.array(z.object({ workerId: z.uuid(), transferId: z.uuid(), amount: z.number().int() })),
  /** Workers left out, each with the stable code of the reason (cap reached, suspended …). */
  refused: z.array(z.object({ workerId: z.uuid(), code: z.string() })),
});
/** `transferId` is null when a deduction found the balance already empty (nothing moved, but it counts). */
export const transferResultSchema = z.object({ transferId: z.uuid().nullable(), amount: z.number().int(), balance: z.number().int() });
export const reverseRequest = z.strictObject({ reason: noteText(200, 2) });

/** The staff ledger (积分流水): every change to a worker's points in the region, newest first. */
export const ledgerQuery = pageQuery.extend({
  /** One worker, by the full phone number the worker gives at the counter. */
  phone: phoneSchema.optional(),
  kind: z.enum(TRANSFER_KINDS).optional(),
});
export const ledgerEntrySchema = historyItemSchema.extend({
  regionId: regionIdSchema,
  /** Masked (张*, 138****0001): enough to recognise, nothing to copy out. */
  workerName: z.string(),
  workerPhone: z.string().nullable(),
  /** An earning or deduction not yet reversed may be reversed by street and district staff. */
  reversible: z.boolean(),
  reversed: z.boolean(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export const ledgerResponse = pageOf(ledgerEntrySchema);

export const leaderboardQuery = z.strictObject({ communityId: regionIdSchema, month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() });
export const leaderboardSchema = z.object({
  communityId: regionIdSchema,
  month: z.string(),
  items: z.array(z.object({ rank: z.number().int(), name: z.string(), points: z.number().int(), me: z.boolean() })),
});
export const boardQuery = z.strictObject({ communityId: regionIdSchema, quarter: z.string().regex(/^\d{4}-Q[1-4]$/).optional() });
export const boardSchema = z.object({
  communityId: regionIdSchema,
  quarter: z.string(),
  items: z.array(z.object({ name: z.string(), reason: z.string(), points: z.number().int(), at: z.iso.datetime() })),
});
export const privacyRequest = z.strictObject({ public: z.boolean() });

/** Per street: redemption days of the month (empty = any day) and how long earned points last. */
export const pointsSettingsSchema = z.object({
  regionId: regionIdSchema,
  redemptionDays: z.array(z.number().int().min(1).max(31)),
  expiryYears: z.number().int().min(1).max(10),
});
export const pointsSettingsRequest = z.strictObject({
  redemptionDays: z.array(z.number().int().min(1).max(31)).max(31),
  expiryYears: z.number().int().min(1).max(10),
});
export const regionParams = z.strictObject({ regionId: regionIdSchema });

/** Masks a name for public boards: 张伟 → 张*, 欧阳娜娜 → 欧**娜. */
export function maskName(name: string | null | undefined): string {
  if (!name) return '匿名';
  const chars = [...name];
  if (chars.length <= 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}
