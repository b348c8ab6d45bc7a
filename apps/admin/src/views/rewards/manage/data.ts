import type { FormItemRule } from 'element-plus';
import { REWARD_STATUSES, rewardInput, type Reward, type RewardInput } from '@nuanxin/shared';
import { formatPeriod } from '../../../utils/format.ts';
import { periodRule, schemaRule } from '../../../utils/form.ts';

type T = (key: string, named?: Record<string, unknown>) => string;
export type RewardStatus = (typeof REWARD_STATUSES)[number];
export type Decision = 'publish' | 'reject' | 'withdraw';

export interface RewardColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  /** Kept on a phone screen; the rest is in the edit form. */
  phone?: boolean;
  /** Staff review many partners' rewards; a partner knows its own name. */
  staffOnly?: boolean;
  long?: boolean;
  text?: (row: Reward, t: T) => string;
}

export const PAGE_SIZES = [10, 20, 50];

export const STATUS_TAG: Record<RewardStatus, 'warning' | 'success' | 'danger' | 'info'> = {
  pending: 'warning',
  published: 'success',
  rejected: 'danger',
  withdrawn: 'info',
};

export const statusOptions = (t: T) => REWARD_STATUSES.map((s) => ({ value: s, label: t(`rewards.statuses.${s}`) }));

export const rewardColumns: RewardColumn[] = [
  // On a phone the status tag sits under the name (list.vue), saving a column.
  { key: 'name', labelKey: 'rewards.manage.name', minWidth: 120, phone: true, text: (row) => row.name },
  { key: 'partner', labelKey: 'rewards.manage.partner', minWidth: 140, staffOnly: true, text: (row) => row.partnerName },
  { key: 'kind', labelKey: 'rewards.manage.kind', minWidth: 70, text: (row, t) => t(`rewards.kinds.${row.kind}`) },
  { key: 'price', labelKey: 'rewards.manage.price', minWidth: 80, phone: true, text: (row) => String(row.pointsPrice) },
  { key: 'stock', labelKey: 'rewards.manage.stock', minWidth: 70, phone: true, text: (row) => String(row.stock) },
  { key: 'limit', labelKey: 'rewards.manage.perPersonLimit', minWidth: 80, text: (row) => String(row.perPersonLimit) },
  { key: 'validity', labelKey: 'rewards.manage.validity', minWidth: 170, text: (row, t) => formatPeriod(row.validFrom, row.validTo, t) },
  { key: 'places', labelKey: 'rewards.manage.places', minWidth: 140, long: true, text: (row, t) => row.places || t('common.none') },
  { key: 'status', labelKey: 'rewards.manage.status', minWidth: 96 },
];

/**
 * The review buttons a reward in this status offers: a pending one is published or rejected, a
 * published one can be taken down, and a withdrawn one put back up. The server has the last word.
 */
export function decisionsFor(status: RewardStatus): Decision[] {
  if (status === 'pending') return ['publish', 'reject'];
  if (status === 'published') return ['withdraw'];
  if (status === 'withdrawn') return ['publish'];
  return [];
}

/** What the form edits: RewardInput with every field present. */
export interface RewardForm {
  name: string;
  description: string;
  kind: 'goods' | 'service';
  pointsPrice: number;
  stock: number;
  perPersonLimit: number;
  validFrom: string | null;
  validTo: string | null;
  places: string;
}

export const emptyRewardForm = (): RewardForm => ({
  name: '',
  description: '',
  kind: 'goods',
  pointsPrice: 100,
  stock: 10,
  perPersonLimit: 1,
  validFrom: null,
  validTo: null,
  places: '',
});

export function formFromReward(r: Reward): RewardForm {
  const { name, description, kind, pointsPrice, stock, perPersonLimit, validFrom, validTo, places } = r;
  return { name, description, kind, pointsPrice, stock, perPersonLimit, validFrom, validTo, places };
}

export const inputFromForm = (form: RewardForm): RewardInput => ({
  ...form,
  name: form.name.trim(),
  description: form.description.trim(),
  places: form.places.trim(),
});

export function rewardFormRules(t: T, form: RewardForm): Record<string, FormItemRule[]> {
  const shape = rewardInput.shape;
  return {
    name: [{ ...schemaRule(shape.name, t('rewards.manage.nameInvalid')), required: true }],
    description: [schemaRule(shape.description, t('rewards.manage.descriptionInvalid'))],
    places: [schemaRule(shape.places, t('rewards.manage.placesInvalid'))],
    validTo: [periodRule(() => form.validFrom, t('common.periodInvalid'))],
  };
}
