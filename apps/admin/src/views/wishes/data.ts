import { WISH_KINDS, WISH_STATUSES, type WishStatus } from '@nuanxin/shared';

type T = (key: string, named?: Record<string, unknown>) => string;

export const PAGE_SIZES = [20, 50, 100];
/** The desk's two views: the review pile first, then everything. */
export const VIEWS = ['review', 'all'] as const;
export type WishView = (typeof VIEWS)[number];

/** Element Plus tag colours: orange waiting for someone, green done, grey refused or withdrawn. */
export const STATUS_TAG: Record<WishStatus, 'primary' | 'success' | 'info' | 'warning' | 'danger'> = {
  submitted: 'primary',
  rejected: 'info',
  published: 'warning',
  claimed: 'warning',
  fulfilled: 'success',
  confirmed: 'success',
  cancelled: 'info',
};

export const statusOptions = (t: T) => WISH_STATUSES.map((s) => ({ value: s, label: t(`wishes.status.${s}`) }));
export const kindOptions = (t: T) => WISH_KINDS.map((k) => ({ value: k, label: t(`wishes.kinds.${k}`) }));
