import { z } from 'zod';
import { dateSchema, noteText, pageOf, pageQuery, plainText } from './text.ts';
import { regionIdSchema } from './identity.ts';

export const REWARD_STATUSES = ['pending', 'published', 'rejected', 'withdrawn'] as const;
export const VOUCHER_STATUSES = ['held', 'fulfilled', 'cancelled', 'expired'] as const;
/** A voucher holds points and stock this long before both return by themselves. */
export const VOUCHER_MINUTES = 30;

export const rewardSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  partnerId: z.uuid(),
  partnerName: z.string(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(['goods', 'service']),
  pointsPrice: z.number().int(),
  stock: z.number().int(),
  perPersonLimit: z.number().int(),
  validFrom: dateSchema.nullable(),
  validTo: dateSchema.nullable(),
  /** Where to use it (shop address, stations). */
  places: z.string(),
  status: z.enum(REWARD_STATUSES),
});
export type Reward = z.infer<typeof rewardSchema>;

export const rewardInput = z.strictObject({
  name: plainText(40),
  description: noteText(500).default(''),
  kind: z.enum(['goods', 'service']),
  pointsPrice: z.number().int().min(1).max(100_000),
  stock: z.number().int().min(0).max(1_000_000),
  perPersonLimit: z.number().int().min(1).max(100).default(1),
  validFrom: dateSchema.nullable().default(null),
  validTo: dateSchema.nullable().default(null),
  places: noteText(200).default(''),
});
export type RewardInput = z.input<typeof rewardInput>;
export const rewardListQuery = pageQuery.extend({
  status: z.enum(REWARD_STATUSES).optional(),
  q: plainText(40).optional(),
});
export const rewardListResponse = pageOf(rewardSchema);
export const rewardReviewRequest = z.strictObject({ decision: z.enum(['publish', 'reject', 'withdraw']) });
export const idParams = z.strictObject({ id: z.uuid() });

export const voucherSchema = z.object({
  id: z.uuid(),
  /** 8 characters to type at the counter; the QR code carries the same. */
  code: z.string(),
  rewardId: z.uuid(),
  rewardName: z.string(),
  partnerName: z.string(),
  places: z.string(),
  points: z.number().int(),
  status: z.enum(VOUCHER_STATUSES),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  fulfilledAt: z.iso.datetime().nullable(),
  /** Shown to the partner at the counter, masked. */
  workerName: z.string(),
});
export type Voucher = z.infer<typeof voucherSchema>;
export const voucherListResponse = pageOf(voucherSchema);
export const fulfilRequest = z.strictObject({ code: z.string().trim().toUpperCase().regex(/^[A-Z2-9]{8}$/, 'voucher code') });

export const settlementQuery = z.strictObject({ from: dateSchema, to: dateSchema, partnerId: z.uuid().optional() });
export const settlementSchema = z.object({
  from: dateSchema,
  to: dateSchema,
  items: z.array(
    z.object({
      voucherId: z.uuid(),
      code: z.string(),
      partnerName: z.string(),
      rewardName: z.string(),
      points: z.number().int(),
      fulfilledAt: z.iso.datetime(),
      fulfilledBy: z.string().nullable(),
      workerName: z.string(),
    }),
  ),
  totalVouchers: z.number().int(),
  totalPoints: z.number().int(),
});
