import { z } from 'zod';
import { regionIdSchema, type Role } from './identity.ts';
import { photoIds, photoSchema } from './media.ts';
import { noteText, pageOf, pageQuery, plainText } from './text.ts';

/**
 * Honors (金牌先锋 selections) and stories (动人故事, 随手记). A selection round runs
 * draft → nominating → voting → closed → published (or cancelled before publication);
 * workers of the round's region vote once per round, for one nominee, and cannot change it.
 */
export const ROUND_STATUSES = ['draft', 'nominating', 'voting', 'closed', 'published', 'cancelled'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
/** Moves staff make with `POST …/moves`; publication has its own route (it picks the honorees). */
export const ROUND_MOVES = ['open_nomination', 'open_voting', 'close', 'cancel'] as const;
export type RoundMove = (typeof ROUND_MOVES)[number];
export const PERIOD_KINDS = ['year', 'quarter'] as const;

export const STORY_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];
export const STORY_MOVES = ['publish', 'withdraw'] as const;
export type StoryMove = (typeof STORY_MOVES)[number];
/** 动人故事 (a written story) or 随手记 (a photo moment with a line of text). */
export const STORY_KINDS = ['story', 'moment'] as const;

/** Street and district admins run selections; community admins also write stories of their community. */
export const HONOR_STAFF_ROLES = ['street_admin', 'district_admin'] as const satisfies readonly Role[];
export const STORY_STAFF_ROLES = ['community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];

export const roundInput = z.strictObject({
  /** A street or a district: its workers may be nominated and vote. */
  regionId: regionIdSchema,
  title: plainText(60, 2),
  description: noteText(500).default(''),
  periodKind: z.enum(PERIOD_KINDS),
  year: z.number().int().min(2020).max(2100),
  /** 1–4 for a quarter; null for a yearly selection. */
  quarter: z.number().int().min(1).max(4).nullable().default(null),
  honorees: z.number().int().min(1).max(50),
  nominationStartsAt: z.iso.datetime({ offset: true }),
  nominationEndsAt: z.iso.datetime({ offset: true }),
  votingStartsAt: z.iso.datetime({ offset: true }),
  votingEndsAt: z.iso.datetime({ offset: true }),
});
export type RoundInput = z.input<typeof roundInput>;

export const roundSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  title: z.string(),
  description: z.string(),
  periodKind: z.enum(PERIOD_KINDS),
  year: z.number().int(),
  quarter: z.number().int().nullable(),
  honorees: z.number().int(),
  nominationStartsAt: z.iso.datetime(),
  nominationEndsAt: z.iso.datetime(),
  votingStartsAt: z.iso.datetime(),
  votingEndsAt: z.iso.datetime(),
  status: z.enum(ROUND_STATUSES),
  nominees: z.number().int(),
  votes: z.number().int(),
  publishedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type HonorRound = z.infer<typeof roundSchema>;

export const roundListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  status: z.enum(ROUND_STATUSES).optional(),
  q: plainText(40).optional(),
});
export const roundListResponse = pageOf(roundSchema);
export const roundMoveRequest = z.strictObject({ move: z.enum(ROUND_MOVES), reason: noteText(200).default('') });

/** A nominee as staff see it: the name (need-to-know), the phone masked. */
export const staffNomineeSchema = z.object({
  id: z.uuid(),
  roundId: z.uuid(),
  regionId: regionIdSchema,
  communityName: z.string(),
  workerId: z.uuid(),
  workerName: z.string(),
  phoneMasked: z.string().nullable(),
  reason: z.string(),
  photos: z.array(photoSchema),
  votes: z.number().int(),
  status: z.enum(['active', 'withdrawn']),
  honored: z.boolean(),
  rank: z.number().int().nullable(),
  points: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type StaffNominee = z.infer<typeof staffNomineeSchema>;
export const roundDetailSchema = roundSchema.extend({ items: z.array(staffNomineeSchema) });
export type HonorRoundDetail = z.infer<typeof roundDetailSchema>;

export const nominateRequest = z.strictObject({
  workerId: z.uuid(),
  reason: noteText(500, 4),
  photoIds: photoIds.default([]),
});

/** What workers and the public see of a nominee: masked name, community and the reason — never the phone. */
export const publicNomineeSchema = z.object({
  id: z.uuid(),
  maskedName: z.string(),
  communityName: z.string(),
  reason: z.string(),
  photos: z.array(photoSchema),
  votes: z.number().int(),
  rank: z.number().int().nullable(),
});
export type PublicNominee = z.infer<typeof publicNomineeSchema>;

/** A round a worker can take part in (nominating or voting, in their region), with the live count. */
export const workerRoundSchema = z.object({
  id: z.uuid(),
  regionName: z.string(),
  title: z.string(),
  description: z.string(),
  honorees: z.number().int(),
  status: z.enum(ROUND_STATUSES),
  votingStartsAt: z.iso.datetime(),
  votingEndsAt: z.iso.datetime(),
  /** Voting is open now (status and window). */
  votingOpen: z.boolean(),
  /** The nominee this worker voted for, if any (a vote cannot be changed). */
  myVote: z.uuid().nullable(),
  nominees: z.array(publicNomineeSchema),
});
export type WorkerRound = z.infer<typeof workerRoundSchema>;
export const currentRoundsResponse = z.object({ items: z.array(workerRoundSchema) });

export const voteRequest = z.strictObject({ nomineeId: z.uuid() });
export const voteResponse = z.object({ roundId: z.uuid(), nomineeId: z.uuid(), votes: z.number().int(), createdAt: z.iso.datetime() });

export const publishRequest = z.strictObject({
  /** The honorees in rank order; omitted: the top N by votes (a tie at the last place must be decided by staff). */
  honoreeIds: z
    .array(z.uuid())
    .min(1)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate nominee' })
    .optional(),
  /** An earning rule of category 荣誉表彰 (honor) to award each honoree once; null: no points. */
  ruleId: z.uuid().nullable().default(null),
});

/** A published honor roll (public page, no login). */
export const honorRollSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  title: z.string(),
  description: z.string(),
  periodKind: z.enum(PERIOD_KINDS),
  year: z.number().int(),
  quarter: z.number().int().nullable(),
  publishedAt: z.iso.datetime(),
  votes: z.number().int(),
  honorees: z.array(publicNomineeSchema.omit({ photos: true })),
});
export type HonorRoll = z.infer<typeof honorRollSchema>;
export const rollListQuery = pageQuery.extend({ regionId: regionIdSchema.optional(), q: plainText(40).optional() });
export const rollListResponse = pageOf(honorRollSchema);

// ---- stories ----

export const storyInput = z
  .strictObject({
    regionId: regionIdSchema,
    kind: z.enum(STORY_KINDS).default('story'),
    title: plainText(60, 2),
    body: noteText(5000, 1),
    coverId: z.uuid().nullable().default(null),
    photoIds: photoIds.default([]),
    /** The worker the story is about, shown as a masked name only, and only with their consent. */
    workerId: z.uuid().nullable().default(null),
    consented: z.boolean().default(false),
  });
export type StoryInput = z.input<typeof storyInput>;

export const staffStorySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  kind: z.enum(STORY_KINDS),
  title: z.string(),
  body: z.string(),
  cover: photoSchema.nullable(),
  photos: z.array(photoSchema),
  workerId: z.uuid().nullable(),
  workerName: z.string().nullable(),
  consented: z.boolean(),
  status: z.enum(STORY_STATUSES),
  views: z.number().int(),
  publishedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type StaffStory = z.infer<typeof staffStorySchema>;
export const storyListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  status: z.enum(STORY_STATUSES).optional(),
  kind: z.enum(STORY_KINDS).optional(),
  q: plainText(40).optional(),
});
export const staffStoryListResponse = pageOf(staffStorySchema);
export const storyMoveRequest = z.strictObject({ move: z.enum(STORY_MOVES) });

/** A published story as anyone sees it: the worker only as a masked name with their community. */
export const publicStorySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  kind: z.enum(STORY_KINDS),
  title: z.string(),
  body: z.string(),
  cover: photoSchema.nullable(),
  photos: z.array(photoSchema),
  workerName: z.string().nullable(),
  communityName: z.string().nullable(),
  views: z.number().int(),
  publishedAt: z.iso.datetime(),
});
export type PublicStory = z.infer<typeof publicStorySchema>;
export const publicStoryListQuery = pageQuery.extend({
  regionId: regionIdSchema.optional(),
  kind: z.enum(STORY_KINDS).optional(),
  q: plainText(40).optional(),
});
export const publicStoryListResponse = pageOf(publicStorySchema);
