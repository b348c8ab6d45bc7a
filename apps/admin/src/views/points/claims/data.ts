import { CLAIM_STATUSES, claimReviewRequest, type Lang, type PointClaim } from '@nuanxin/shared';
import { formatDateTime, signed } from '../../../utils/format.ts';
import { categoryLabel } from '../rules/data.ts';

type T = (key: string, named?: Record<string, unknown>) => string;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface CellContext {
  t: T;
  lang: Lang;
}

export interface ClaimColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  /** Long free text: one line with a tooltip for the rest. */
  long?: boolean;
  /** On a phone the row shows who, what and how much; the rest folds into the row's details. */
  phone?: boolean;
  text?: (row: PointClaim, ctx: CellContext) => string;
}

export const PAGE_SIZES = [10, 20, 50];

export const STATUS_TAG: Record<ClaimStatus, 'warning' | 'success' | 'info'> = { pending: 'warning', approved: 'success', rejected: 'info' };

export const statusOptions = (t: T) => CLAIM_STATUSES.map((s) => ({ value: s, label: t(`points.claims.statuses.${s}`) }));

/** "关爱帮扶 · 看望独居老人", or just the name when a street named the rule after its category. */
function ruleText(row: PointClaim, lang: Lang): string {
  const category = categoryLabel(row.category, lang);
  return row.ruleName === category ? row.ruleName : `${category} · ${row.ruleName}`;
}

export const claimColumns: ClaimColumn[] = [
  { key: 'createdAt', labelKey: 'points.claims.createdAt', minWidth: 140, text: (row, { lang }) => formatDateTime(row.createdAt, lang) },
  { key: 'worker', labelKey: 'points.claims.worker', minWidth: 90, phone: true, text: (row, { t }) => row.workerName ?? t('points.claims.unnamed') },
  { key: 'rule', labelKey: 'points.claims.rule', minWidth: 130, phone: true, text: (row, { lang }) => ruleText(row, lang) },
  { key: 'points', labelKey: 'points.claims.points', minWidth: 70, phone: true, text: (row) => signed(row.points) },
  { key: 'occurredOn', labelKey: 'points.claims.occurredOn', minWidth: 110, text: (row) => row.occurredOn },
  { key: 'note', labelKey: 'points.claims.note', minWidth: 180, long: true, text: (row) => row.note },
  { key: 'photos', labelKey: 'points.claims.photos', minWidth: 100, text: (row, { t }) => (row.photos.length ? '' : t('common.none')) },
  { key: 'status', labelKey: 'points.claims.status', minWidth: 96, text: (row, { t }) => t(`points.claims.statuses.${row.status}`) },
  {
    key: 'review',
    labelKey: 'points.claims.reviewNote',
    minWidth: 150,
    long: true,
    text: (row, { t, lang }) => (row.reviewedAt ? [formatDateTime(row.reviewedAt, lang), row.reviewNote].filter(Boolean).join(' · ') : t('common.none')),
  },
];

export const phoneDetailColumns = claimColumns.filter((c) => !c.phone);

/** A reason to reject: what the API accepts, and not empty — the worker is told why. */
export const isRejectReason = (value: string) => value.trim().length >= 2 && claimReviewRequest.shape.note.safeParse(value).success;
