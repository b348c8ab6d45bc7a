import { CASE_RESULT_LABELS, REJECT_REASON_LABELS, maskPhone, type CaseAction, type CaseCategory, type CaseDetail, type CaseSummary, type Lang, type MyCase, type Photo, type PublicCase } from '@nuanxin/shared';
import type { CategoryRow, EventRow, PublicCaseRow, ReporterRow, SummaryRow } from './cases.repository.ts';

/** Turns stored photo ids into signed links. */
export type Linker = (ids: readonly string[]) => Photo[];

export function toCategory(row: CategoryRow): CaseCategory {
  return {
    id: row.id,
    regionId: row.region_id,
    parentId: row.parent_id,
    code: row.code,
    name: row.name,
    departmentId: row.department_id,
    departmentName: row.department_name,
    limits: row.limits,
    urgentLimits: row.urgent_limits,
    workingHours: row.working_hours,
    status: row.status,
    sort: row.sort,
  };
}

const categoryRef = (row: SummaryRow) => ({ id: row.category_id, name: row.category_name, parentName: row.category_parent_name });

export function toSummary(row: SummaryRow, now = new Date()): CaseSummary {
  return {
    id: row.id,
    regionId: row.region_id,
    regionName: row.region_name,
    category: categoryRef(row),
    description: row.description,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    status: row.status,
    source: row.source,
    urgent: row.urgent,
    departmentId: row.department_id,
    departmentName: row.department_name,
    gridId: row.grid_id,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    dueAt: row.due_at?.toISOString() ?? null,
    overdue: !!row.due_at && row.due_at < now,
    escalationLevel: row.escalation_level,
    duplicateOf: row.duplicate_of,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toMySummary(row: SummaryRow) {
  return {
    id: row.id,
    category: categoryRef(row),
    description: row.description,
    address: row.address,
    status: row.status,
    result: row.result,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Steps the reporter sees; the rest (internal notes, assignment, escalation, hand-offs between staff) stay inside. */
const PUBLIC_ACTIONS = new Set<CaseAction>(['report', 'accept', 'reject', 'merge', 'dispatch', 'acknowledge', 'start', 'approve_extension', 'defer', 'resume', 'handle', 'verify', 'close', 'rework', 'rate', 'reopen', 'archive', 'reply']);
/** Of those, the steps whose note is written for the reporter. */
const PUBLIC_NOTES = new Set<CaseAction>(['report', 'reject', 'merge', 'defer', 'handle', 'close', 'rate', 'reopen', 'reply']);
const PUBLIC_PHOTOS = new Set<CaseAction>(['report', 'handle', 'close', 'reopen']);

function publicText(e: EventRow): string | null {
  const detail = e.detail as { reason?: keyof typeof REJECT_REASON_LABELS; result?: keyof typeof CASE_RESULT_LABELS; department?: string };
  const note = PUBLIC_NOTES.has(e.action) ? e.note : null;
  if (e.action === 'reject' && detail.reason) return [REJECT_REASON_LABELS[detail.reason]['zh-CN'], note].filter(Boolean).join('：');
  if (e.action === 'close' && detail.result) return [CASE_RESULT_LABELS[detail.result]['zh-CN'], note].filter(Boolean).join('：');
  if (e.action === 'dispatch' && detail.department) return `已派遣至${detail.department}`;
  if (e.action === 'merge') return note || '您反映的问题与已受理的案件相同，已合并处理，处理进展将同步显示';
  return note;
}

export function publicTimeline(events: EventRow[], links: Linker) {
  return events
    .filter((e) => !e.internal && PUBLIC_ACTIONS.has(e.action))
    .map((e) => ({ at: e.created_at.toISOString(), action: e.action, status: e.to_status, text: publicText(e), photos: PUBLIC_PHOTOS.has(e.action) ? links(e.photo_ids) : [] }));
}

export function toMyCase(row: SummaryRow, events: EventRow[], original: SummaryRow | null, links: Linker): MyCase {
  return {
    ...toMySummary(row),
    lat: row.lat,
    lng: row.lng,
    photos: links(row.photo_ids),
    outcome: row.outcome,
    rating: row.rating,
    canRate: row.status === 'closed',
    canReopen: row.status === 'closed' || row.status === 'rated',
    mergedInto: original ? { id: original.id, status: original.status, result: original.result, outcome: original.outcome } : null,
    timeline: publicTimeline(events, links),
  };
}

/** a***@example.com: enough for staff to recognise an address, not to copy it. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

export function toDetail(row: SummaryRow, reporter: ReporterRow, events: EventRow[], links: Linker): CaseDetail {
  return {
    ...toSummary(row),
    reporter: { id: reporter.id, name: reporter.name, phoneMasked: maskPhone(reporter.phone), emailMasked: maskEmail(reporter.email) },
    photos: links(row.photo_ids),
    externalMediaUrl: reporter.mediaUrl,
    handleDueAt: row.handle_due_at?.toISOString() ?? null,
    requestedDueAt: row.requested_due_at?.toISOString() ?? null,
    result: row.result,
    outcome: row.outcome,
    rating: row.rating,
    ratingComment: row.rating_comment,
    reworkCount: row.rework_count,
    timeline: events.map((e) => ({
      id: String(e.id),
      at: e.created_at.toISOString(),
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      actorName: e.actor_name,
      internal: e.internal,
      note: e.note,
      photos: links(e.photo_ids),
    })),
  };
}

/** About 10 m: four decimals of a degree (11 m of latitude, less of longitude). */
const roundPosition = (v: number) => Math.round(v * 1e4) / 1e4;

/** The outcome in words: how it ended in the reader's language, then what was done as staff wrote it when closing. */
export function outcomeInWords(result: SummaryRow['result'], outcome: string | null, lang: Lang): string {
  const label = result ? CASE_RESULT_LABELS[result][lang] : null;
  return [label, outcome].filter(Boolean).join(lang === 'en' ? ': ' : '：');
}

export function toPublicCase(row: PublicCaseRow, photoIds: readonly string[], links: Linker, lang: Lang): PublicCase {
  return {
    id: row.id,
    category: { code: row.category_code, name: row.category_name, parentName: row.category_parent_name },
    status: row.status as PublicCase['status'],
    closedAt: row.closed_at!.toISOString(),
    result: row.result,
    outcome: outcomeInWords(row.result, row.outcome, lang),
    lat: roundPosition(row.lat),
    lng: roundPosition(row.lng),
    photos: links(photoIds).map((p) => ({ thumbUrl: p.thumbUrl })),
  };
}
