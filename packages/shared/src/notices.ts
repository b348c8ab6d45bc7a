import { z } from 'zod';
import { noteText, pageOf, pageQuery, plainText } from './text.ts';
import { regionIdSchema } from './identity.ts';

// ---- Message center (消息中心) ----

/** What a message is about; a user sets in-app and outbound (SMS / WeChat) per topic. */
export const MESSAGE_TOPICS = ['case', 'wish', 'activity', 'voucher', 'notice', 'partner', 'organization', 'honor'] as const;
export type MessageTopic = (typeof MESSAGE_TOPICS)[number];

/** Without a saved preference: in-app on, outbound off (outbound is sent only to topics opted into). */
export const DEFAULT_MESSAGE_PREFERENCE = { inApp: true, outbound: false } as const;

/** An app-relative link, e.g. `/cases/<id>` (H5) — never a full URL. */
export const messageLinkSchema = z.string().max(300).regex(/^\/[\w\-./?=&%]*$/, 'app-relative link');

export const messageSchema = z.object({
  id: z.uuid(),
  topic: z.enum(MESSAGE_TOPICS),
  title: z.string(),
  body: z.string(),
  subjectKind: z.string().nullable(),
  subjectId: z.string().nullable(),
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type Message = z.infer<typeof messageSchema>;

export const messageListQuery = pageQuery.extend({
  topic: z.enum(MESSAGE_TOPICS).optional(),
  unread: z.enum(['true', 'false']).optional(),
});
export const messageListResponse = pageOf(messageSchema).extend({ unread: z.number().int() });

/** The badge: unread messages plus published notices of the user's region not yet opened. */
export const unreadCountSchema = z.object({ messages: z.number().int(), notices: z.number().int(), total: z.number().int() });

export const messagePreferenceSchema = z.object({ topic: z.enum(MESSAGE_TOPICS), inApp: z.boolean(), outbound: z.boolean() });
export type MessagePreference = z.infer<typeof messagePreferenceSchema>;
export const messagePreferencesSchema = z.array(messagePreferenceSchema);
export const messagePreferencesRequest = z.strictObject({
  preferences: z.array(z.strictObject({ topic: z.enum(MESSAGE_TOPICS), inApp: z.boolean(), outbound: z.boolean() })).min(1).max(MESSAGE_TOPICS.length),
});

// ---- Notices (公告 / 政策 / 倡议书) ----

export const NOTICE_KINDS = ['announcement', 'policy', 'initiative'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];
/** draft → published → withdrawn; nothing else. */
export const NOTICE_MOVES: Record<'publish' | 'withdraw', { from: NoticeStatus; to: NoticeStatus }> = {
  publish: { from: 'draft', to: 'published' },
  withdraw: { from: 'published', to: 'withdrawn' },
};

const photoRef = z.object({ id: z.uuid(), url: z.string(), thumbUrl: z.string() });

export const noticeSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  kind: z.enum(NOTICE_KINDS),
  title: z.string(),
  body: z.string(),
  photos: z.array(photoRef),
  /** Scanned pages, posters: images too, shown full size. */
  attachments: z.array(photoRef),
  pinned: z.boolean(),
  status: z.enum(NOTICE_STATUSES),
  authorName: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  withdrawnAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** Only for the reader: whether they opened it. */
  read: z.boolean(),
  /** Staff only (null for others): distinct readers, workers among them, workers of the region, and the share who read it. */
  readCount: z.number().int().nullable(),
  workerReadCount: z.number().int().nullable(),
  workerCount: z.number().int().nullable(),
  readRate: z.number().nullable(),
});
export type Notice = z.infer<typeof noticeSchema>;

export const noticeInput = z.strictObject({
  regionId: regionIdSchema,
  kind: z.enum(NOTICE_KINDS),
  title: plainText(80),
  body: noteText(10_000, 1),
  photoIds: z.array(z.uuid()).max(9).default([]),
  attachmentIds: z.array(z.uuid()).max(9).default([]),
  pinned: z.boolean().default(false),
});
export type NoticeInput = z.input<typeof noticeInput>;

export const noticeListQuery = pageQuery.extend({
  kind: z.enum(NOTICE_KINDS).optional(),
  status: z.enum(NOTICE_STATUSES).optional(),
  q: plainText(40).optional(),
});
export const noticeFeedQuery = pageQuery.extend({ kind: z.enum(NOTICE_KINDS).optional() });
export const noticeListResponse = pageOf(noticeSchema);
export const noticeMoveRequest = z.strictObject({ action: z.enum(['publish', 'withdraw']) });
