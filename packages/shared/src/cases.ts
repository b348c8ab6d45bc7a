import { z } from 'zod';
import { dateSchema, noteText, pageOf, pageQuery, plainText } from './text.ts';
import { regionIdSchema } from './identity.ts';
import { photoIds, photoSchema } from './media.ts';

type Words = { 'zh-CN': string; en: string };

/**
 * Where a case stands (after GB/T 30428: 上报 → 立案 → 派遣 → 处置 → 处理反馈 → 核查结案 → 评价).
 * `extended` is a handling period with an extension asked for and awaiting approval.
 */
export const CASE_STATUSES = ['submitted', 'accepted', 'rejected', 'dispatched', 'acknowledged', 'handling', 'extended', 'deferred', 'handled', 'verifying', 'closed', 'rated', 'archived'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, Words> = {
  submitted: { 'zh-CN': '已上报', en: 'Reported' },
  accepted: { 'zh-CN': '已立案', en: 'Accepted' },
  rejected: { 'zh-CN': '不予立案', en: 'Not accepted' },
  dispatched: { 'zh-CN': '已派遣', en: 'Dispatched' },
  acknowledged: { 'zh-CN': '已签收', en: 'Acknowledged' },
  handling: { 'zh-CN': '处置中', en: 'Being handled' },
  extended: { 'zh-CN': '申请延期', en: 'Extension requested' },
  deferred: { 'zh-CN': '挂账', en: 'Deferred' },
  handled: { 'zh-CN': '已处理反馈', en: 'Handled' },
  verifying: { 'zh-CN': '核查中', en: 'Being verified' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  rated: { 'zh-CN': '已评价', en: 'Rated' },
  archived: { 'zh-CN': '已归档', en: 'Archived' },
};
/** Before 结案: what Open311 calls "open". */
export const OPEN_CASE_STATUSES = ['submitted', 'accepted', 'dispatched', 'acknowledged', 'handling', 'extended', 'deferred', 'handled', 'verifying'] as const satisfies readonly CaseStatus[];

/** Where a case came from: the worker app, or an outside system through Open311 (no account of ours behind it). */
export const CASE_SOURCES = ['app', 'open311'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
/** What the public may see of a case: closed ones only, and only these statuses. */
export const PUBLIC_CASE_STATUSES = ['closed', 'rated', 'archived'] as const satisfies readonly CaseStatus[];

/** Every step a case can take; each one is an event row. */
export const CASE_ACTIONS = [
  'report',
  'accept',
  'reject',
  'merge',
  'dispatch',
  'acknowledge',
  'return',
  'start',
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'defer',
  'resume',
  'handle',
  'verify',
  'close',
  'rework',
  'rate',
  'reopen',
  'archive',
  'escalate',
  'assign',
  'note',
  'reply',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
export const CASE_ACTION_LABELS: Record<CaseAction, Words> = {
  report: { 'zh-CN': '上报', en: 'Reported' },
  accept: { 'zh-CN': '立案', en: 'Accepted' },
  reject: { 'zh-CN': '不予立案', en: 'Not accepted' },
  merge: { 'zh-CN': '合并重复案件', en: 'Merged as a duplicate' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatched' },
  acknowledge: { 'zh-CN': '签收', en: 'Acknowledged' },
  return: { 'zh-CN': '退回', en: 'Returned' },
  start: { 'zh-CN': '开始处置', en: 'Handling started' },
  request_extension: { 'zh-CN': '申请延期', en: 'Extension requested' },
  approve_extension: { 'zh-CN': '同意延期', en: 'Extension approved' },
  refuse_extension: { 'zh-CN': '不同意延期', en: 'Extension refused' },
  defer: { 'zh-CN': '挂账', en: 'Deferred' },
  resume: { 'zh-CN': '恢复处置', en: 'Handling resumed' },
  handle: { 'zh-CN': '处理反馈', en: 'Handling reported' },
  verify: { 'zh-CN': '开始核查', en: 'Verification started' },
  close: { 'zh-CN': '结案', en: 'Closed' },
  rework: { 'zh-CN': '返工', en: 'Sent back for rework' },
  rate: { 'zh-CN': '评价', en: 'Rated' },
  reopen: { 'zh-CN': '申请重新处理', en: 'Reopened' },
  archive: { 'zh-CN': '归档', en: 'Archived' },
  escalate: { 'zh-CN': '超时升级', en: 'Escalated' },
  assign: { 'zh-CN': '指派', en: 'Assigned' },
  note: { 'zh-CN': '内部备注', en: 'Internal note' },
  reply: { 'zh-CN': '回复', en: 'Reply' },
};

/** How a closed case ended, in words: "closed" never reads as "fixed". */
export const CASE_RESULTS = ['resolved', 'partly_resolved', 'unresolved', 'referred'] as const;
export type CaseResult = (typeof CASE_RESULTS)[number];
export const CASE_RESULT_LABELS: Record<CaseResult, Words> = {
  resolved: { 'zh-CN': '问题已解决', en: 'Fixed' },
  partly_resolved: { 'zh-CN': '部分解决', en: 'Partly fixed' },
  unresolved: { 'zh-CN': '暂未解决', en: 'Not fixed' },
  referred: { 'zh-CN': '已转交其他渠道处理', en: 'Passed on to another body' },
};

export const REJECT_REASONS = ['invalid', 'out_of_scope', 'duplicate'] as const;
export const REJECT_REASON_LABELS: Record<(typeof REJECT_REASONS)[number], Words> = {
  invalid: { 'zh-CN': '信息无效或无法核实', en: 'Invalid or cannot be verified' },
  out_of_scope: { 'zh-CN': '不属于受理范围', en: 'Outside what we handle' },
  duplicate: { 'zh-CN': '与已有案件重复', en: 'Duplicate of an existing case' },
};

/** 0 普通, 1 黄牌 (overdue), 2 红牌督办 (overdue by a whole time limit again). */
export const ESCALATION_LABELS: readonly Words[] = [
  { 'zh-CN': '普通', en: 'Normal' },
  { 'zh-CN': '黄牌', en: 'Yellow card' },
  { 'zh-CN': '红牌督办', en: 'Red card' },
];

/** Replies staff send to the reporter in one tap; the text can be edited before sending. */
export const REPLY_TEMPLATES: ReadonlyArray<{ id: string } & Words> = [
  { id: 'thanks', 'zh-CN': '感谢您的反映，我们已收到并将尽快处理。', en: 'Thank you for your report; we have it and will deal with it soon.' },
  { id: 'on_site', 'zh-CN': '工作人员已到达现场处理，请耐心等待。', en: 'Our staff are on site now.' },
  { id: 'need_info', 'zh-CN': '请补充更准确的位置或照片，以便我们核实。', en: 'Please send a more precise position or another photo so we can check.' },
  { id: 'referred', 'zh-CN': '该问题已转交相关部门处理，我们会持续跟进。', en: 'We have passed this on to the body responsible and will follow it up.' },
  { id: 'done', 'zh-CN': '问题已处理完毕，欢迎您对处理结果进行评价。', en: 'This has been dealt with; please tell us what you think of the result.' },
];

/** Which points rule pays for which step: the report rule of the worker's street whose name has this word. */
export const CASE_POINT_STEPS = { accepted: '立案', closed: '结案' } as const;
/** Reports within this many metres, of the same category and still open, are shown as possible duplicates. */
export const DUPLICATE_RADIUS_M = 50;
/** Closed cases are archived after this many days; until then the reporter may reopen them. */
export const CASE_ARCHIVE_DAYS = 15;

// ---- categories ----

const minutes = z.number().int().min(1).max(60 * 24 * 60);
/** Minutes allowed per step: 立案+派遣 from the report, 签收 and 处置 from dispatch, 核查 from the handling report. */
export const categoryLimitsSchema = z.strictObject({ dispatch: minutes, acknowledge: minutes, handle: minutes, verify: minutes });
export type CategoryLimits = z.infer<typeof categoryLimitsSchema>;

export const categorySchema = z.object({
  id: z.uuid(),
  /** The district whose catalogue this is. */
  regionId: regionIdSchema,
  parentId: z.uuid().nullable(),
  code: z.string(),
  name: z.string(),
  departmentId: z.uuid().nullable(),
  departmentName: z.string().nullable(),
  limits: categoryLimitsSchema,
  urgentLimits: categoryLimitsSchema,
  /** Time limits count working hours (09:00–18:00 Mon–Fri, China time) instead of calendar time. */
  workingHours: z.boolean(),
  status: z.enum(['active', 'inactive']),
  sort: z.number().int(),
});
export type CaseCategory = z.infer<typeof categorySchema>;

export const categoryInput = z.strictObject({
  regionId: regionIdSchema,
  parentId: z.uuid().nullable().default(null),
  code: z.string().regex(/^[a-z][a-z0-9_.-]{1,39}$/, 'code'),
  name: plainText(30),
  departmentId: z.uuid().nullable().default(null),
  limits: categoryLimitsSchema,
  urgentLimits: categoryLimitsSchema,
  workingHours: z.boolean().default(false),
  status: z.enum(['active', 'inactive']).default('active'),
  sort: z.number().int().min(0).max(10_000).default(0),
});
export type CategoryInput = z.input<typeof categoryInput>;
export const categoryListQuery = z.strictObject({ regionId: regionIdSchema.optional(), includeInactive: z.enum(['true', 'false']).optional() });

// ---- reports and the reporter's view ----

export const reportRequest = z.strictObject({
  /** A second-level category. */
  categoryId: z.uuid(),
  description: noteText(500).default(''),
  /** WGS-84, as the phone's GPS gives it (maps convert to GCJ-02 only for display). */
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: plainText(200).nullable().default(null),
  photoIds: photoIds.default([]),
});
export type ReportRequest = z.input<typeof reportRequest>;

const categoryRef = z.object({ id: z.uuid(), name: z.string(), parentName: z.string().nullable() });

/** One step as the reporter sees it: no internal notes, no staff names. */
export const publicEventSchema = z.object({
  at: z.iso.datetime(),
  action: z.enum(CASE_ACTIONS),
  status: z.enum(CASE_STATUSES),
  text: z.string().nullable(),
  photos: z.array(photoSchema),
});

export const myCaseSummarySchema = z.object({
  id: z.uuid(),
  category: categoryRef,
  description: z.string(),
  address: z.string().nullable(),
  status: z.enum(CASE_STATUSES),
  result: z.enum(CASE_RESULTS).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export const myCaseListResponse = pageOf(myCaseSummarySchema);

export const myCaseSchema = myCaseSummarySchema.extend({
  lat: z.number(),
  lng: z.number(),
  photos: z.array(photoSchema),
  /** The outcome in words, once closed. */
  outcome: z.string().nullable(),
  rating: z.number().int().nullable(),
  canRate: z.boolean(),
  canReopen: z.boolean(),
  /** A duplicate merged into another report: that report's progress is this one's. */
  mergedInto: z.object({ id: z.uuid(), status: z.enum(CASE_STATUSES), result: z.enum(CASE_RESULTS).nullable(), outcome: z.string().nullable() }).nullable(),
  timeline: z.array(publicEventSchema),
});
export type MyCase = z.infer<typeof myCaseSchema>;

export const rateRequest = z.strictObject({ stars: z.number().int().min(1).max(5), comment: noteText(200).default('') });
export const reopenRequest = z.strictObject({ note: noteText(300, 2), photoIds: photoIds.default([]) });

// ---- staff ----

export const caseSummarySchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  category: categoryRef,
  description: z.string(),
  address: z.string().nullable(),
  lat: z.number(),
  lng: z.number(),
  status: z.enum(CASE_STATUSES),
  source: z.enum(CASE_SOURCES),
  urgent: z.boolean(),
  departmentId: z.uuid().nullable(),
  departmentName: z.string().nullable(),
  gridId: regionIdSchema.nullable(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  /** When the current step is due (null when no clock runs: closed, deferred …). */
  dueAt: z.iso.datetime().nullable(),
  overdue: z.boolean(),
  escalationLevel: z.number().int().min(0).max(2),
  duplicateOf: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;
/** Desk lists count at most this many matches: an exact count over half a million cases costs more than the page. */
export const CASE_LIST_COUNT_CAP = 10_000;
/** `totalCapped`: there are more than `total` (= CASE_LIST_COUNT_CAP) matches; filters narrow them. */
export const caseListResponse = pageOf(caseSummarySchema).extend({ totalCapped: z.boolean() });

export const caseEventSchema = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  action: z.enum(CASE_ACTIONS),
  fromStatus: z.enum(CASE_STATUSES).nullable(),
  toStatus: z.enum(CASE_STATUSES),
  actorName: z.string().nullable(),
  internal: z.boolean(),
  note: z.string().nullable(),
  photos: z.array(photoSchema),
});

export const caseDetailSchema = caseSummarySchema.extend({
  /** A worker of ours (id set), or whoever an outside system named (id null; email masked too). */
  reporter: z.object({ id: z.uuid().nullable(), name: z.string().nullable(), phoneMasked: z.string().nullable(), emailMasked: z.string().nullable() }),
  photos: z.array(photoSchema),
  /** The outside reporter's own photo link (Open311 media_url), not fetched by us: open with care. */
  externalMediaUrl: z.string().nullable(),
  handleDueAt: z.iso.datetime().nullable(),
  requestedDueAt: z.iso.datetime().nullable(),
  result: z.enum(CASE_RESULTS).nullable(),
  outcome: z.string().nullable(),
  rating: z.number().int().nullable(),
  ratingComment: z.string().nullable(),
  reworkCount: z.number().int(),
  timeline: z.array(caseEventSchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const CASE_VIEWS = ['all', 'new', 'queue', 'overdue'] as const;
export const caseListQuery = pageQuery.extend({
  /** new: waiting to be accepted (handlers: dispatched to them); queue: waiting for me; overdue: past the time limit. */
  view: z.enum(CASE_VIEWS).default('all'),
  status: z.enum(CASE_STATUSES).optional(),
  categoryId: z.uuid().optional(),
});

const note = (min = 0) => noteText(500, min);
export const acceptRequest = z.strictObject({ note: note().default(''), urgent: z.boolean().optional() });
export const rejectRequest = z.strictObject({ reason: z.enum(REJECT_REASONS), note: note(2), duplicateOf: z.uuid().optional() });
export const mergeRequest = z.strictObject({ originalId: z.uuid(), note: note().default('') });
export const dispatchRequest = z.strictObject({
  /** Default: the category's department. */
  departmentId: z.uuid().optional(),
  /** Or a grid of the case's community, whose grid staff handle it. */
  gridId: regionIdSchema.optional(),
  assigneeId: z.uuid().optional(),
  note: note().default(''),
});
export const stepRequest = z.strictObject({ note: note().default(''), photoIds: photoIds.default([]) });
export const reasonRequest = z.strictObject({ note: note(2), photoIds: photoIds.default([]) });
export const extensionRequest = z.strictObject({ dueAt: z.iso.datetime({ offset: true }), note: note(2) });
export const extensionDecisionRequest = z.strictObject({ decision: z.enum(['approve', 'refuse']), note: note().default('') });
export const closeRequest = z.strictObject({ result: z.enum(CASE_RESULTS), outcome: note(2), photoIds: photoIds.default([]) });
export const assignRequest = z.strictObject({ assigneeId: z.uuid().nullable() });
export const replyRequest = z.strictObject({ templateId: z.string().max(40).optional(), note: note(2) });

export const duplicateListResponse = z.object({ items: z.array(caseSummarySchema.extend({ distanceM: z.number().int() })) });

export const ratesQuery = z.strictObject({ from: dateSchema.optional(), to: dateSchema.optional() });
const rate = z.number().min(0).max(1).nullable();
/**
 * The counts and rates a group of cases is judged by (结案率, 按期结案率, 返工率, 延期率, 满意率), over
 * cases first dispatched in the period: the department rates and the dashboard breakdowns share them.
 */
export const caseRateFields = {
  dispatched: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  reworked: z.number().int(),
  extended: z.number().int(),
  rated: z.number().int(),
  satisfied: z.number().int(),
  closeRate: rate,
  onTimeRate: rate,
  reworkRate: rate,
  extensionRate: rate,
  satisfactionRate: rate,
};
/** Per department, over cases first dispatched in [from, to]. */
export const ratesResponse = z.object({
  from: dateSchema,
  to: dateSchema,
  items: z.array(z.object({ departmentId: z.uuid(), departmentName: z.string(), ...caseRateFields })),
});

/** What the live workbench stream sends for every change (`event: case`). */
export const caseChangeSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  departmentId: z.uuid().nullable(),
  status: z.enum(CASE_STATUSES),
  action: z.enum(CASE_ACTIONS),
  escalationLevel: z.number().int(),
  at: z.iso.datetime(),
});
export type CaseChange = z.infer<typeof caseChangeSchema>;

export const caseIdParams = z.strictObject({ id: z.uuid() });

// ---- the public map of closed cases ----

const publicLat = z.coerce.number().min(-90).max(90);
const publicLng = z.coerce.number().min(-180).max(180);
/** Either a box (south, west, north, east) or a point with a radius in metres. */
export const publicCasesQuery = z
  .strictObject({
    south: publicLat.optional(),
    west: publicLng.optional(),
    north: publicLat.optional(),
    east: publicLng.optional(),
    lat: publicLat.optional(),
    lng: publicLng.optional(),
    radius: z.coerce.number().int().min(1).max(20_000).default(1_000),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .refine((q) => {
    const box = [q.south, q.west, q.north, q.east].filter((v) => v !== undefined).length;
    const point = [q.lat, q.lng].filter((v) => v !== undefined).length;
    if (box === 4) return point === 0 && q.south! <= q.north! && q.west! <= q.east!;
    return box === 0 && point === 2;
  }, 'south, west, north and east (south ≤ north, west ≤ east), or lat and lng');

/** A closed case as anyone may see it: no reporter, no staff, no notes; the position rounded to about 10 m. */
export const publicCaseSchema = z.object({
  id: z.uuid(),
  category: z.object({ code: z.string(), name: z.string(), parentName: z.string().nullable() }),
  status: z.enum(PUBLIC_CASE_STATUSES),
  closedAt: z.iso.datetime(),
  result: z.enum(CASE_RESULTS).nullable(),
  /** How it ended, in words ("closed" never reads as "fixed"): the result, then what was done. */
  outcome: z.string(),
  lat: z.number(),
  lng: z.number(),
  /** Thumbnails of the handling and closing photos (signed links, valid a day or two). */
  photos: z.array(z.object({ thumbUrl: z.string() })),
});
export type PublicCase = z.infer<typeof publicCaseSchema>;
export const publicCaseListResponse = z.object({ items: z.array(publicCaseSchema) });
