import { BENEFIT_TYPES, PARTNER_KINDS, PARTNER_STATUSES, type Benefit, type BenefitType, type PartnerMove, type PartnerStatus } from '@nuanxin/shared';

type T = (key: string, named?: Record<string, unknown>) => string;

export const PAGE_SIZES = [20, 50, 100];

export const STATUS_TAG: Record<PartnerStatus, 'warning' | 'success' | 'info' | 'danger'> = {
  applied: 'warning',
  certified: 'success',
  rejected: 'info',
  suspended: 'danger',
  expired: 'info',
};

export const kindOptions = (t: T) => PARTNER_KINDS.map((value) => ({ value, label: t(`partners.kind.${value}`) }));
export const statusOptions = (t: T) => PARTNER_STATUSES.map((value) => ({ value, label: t(`partners.status.${value}`) }));
export const benefitOptions = (t: T) => BENEFIT_TYPES.map((value) => ({ value, label: t(`partners.benefit.${value}`) }));

/** The moves a reviewer may offer from a state (the server checks again and answers 409 otherwise). */
export const MOVES_FROM: Record<PartnerStatus, PartnerMove[]> = {
  applied: ['approve', 'reject'],
  certified: ['suspend', 'renew'],
  suspended: ['reinstate'],
  expired: ['renew'],
  rejected: [],
};
export const MOVE_BUTTON: Record<PartnerMove, 'primary' | 'danger' | 'warning' | 'success' | 'default'> = {
  approve: 'primary',
  reject: 'danger',
  suspend: 'danger',
  reinstate: 'success',
  renew: 'primary',
};
export const needsReason = (move: PartnerMove) => move === 'reject' || move === 'suspend';

/** A benefit row in the edit form: schedule as text ('' for none). */
export interface BenefitRow {
  type: BenefitType;
  text: string;
  schedule: string;
}
export const toRows = (benefits: Benefit[]): BenefitRow[] => benefits.map((b) => ({ type: b.type, text: b.text, schedule: b.schedule ?? '' }));
export const fromRows = (rows: BenefitRow[]): Benefit[] =>
  rows.filter((r) => r.text.trim()).map((r) => ({ type: r.type, text: r.text.trim(), schedule: r.schedule.trim() || null }));
