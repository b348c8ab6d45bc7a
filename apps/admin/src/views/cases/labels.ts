import {
  CASE_ACTION_LABELS,
  CASE_RESULT_LABELS,
  CASE_STATUS_LABELS,
  ESCALATION_LABELS,
  REJECT_REASON_LABELS,
  type CaseAction,
  type CaseResult,
  type CaseStatus,
  type Lang,
} from '@nuanxin/shared';

// The words of statuses, steps, results and escalation come from the shared package in both
// languages; these helpers pick the UI's language and the colour of each.

export type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const statusLabel = (status: CaseStatus, lang: Lang) => CASE_STATUS_LABELS[status][lang];
export const actionLabel = (action: CaseAction, lang: Lang) => CASE_ACTION_LABELS[action][lang];
export const resultLabel = (result: CaseResult, lang: Lang) => CASE_RESULT_LABELS[result][lang];
export const escalationLabel = (level: number, lang: Lang) => (ESCALATION_LABELS[level] ?? ESCALATION_LABELS[0]!)[lang];
export const rejectReasonLabel = (reason: keyof typeof REJECT_REASON_LABELS, lang: Lang) => REJECT_REASON_LABELS[reason][lang];

/** Waiting for the desk: blue; being worked: orange; over: green; refused: grey. */
export function statusTag(status: CaseStatus): TagType {
  if (status === 'submitted') return 'primary';
  if (status === 'closed' || status === 'rated' || status === 'archived') return 'success';
  if (status === 'rejected') return 'info';
  if (status === 'extended' || status === 'deferred') return 'danger';
  return 'warning';
}

/** 黄牌 yellow, 红牌 red; level 0 shows no tag at all. */
export const escalationTag = (level: number): TagType => (level >= 2 ? 'danger' : 'warning');
