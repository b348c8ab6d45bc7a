import type { GuideState, PassState } from '@nuanxin/shared';

export const PAGE_SIZES = [10, 20, 50];

/** Element Plus tag colour per review state and pass state. */
export const STATE_TAG: Record<GuideState, 'warning' | 'success' | 'danger'> = { pending: 'warning', verified: 'success', rejected: 'danger' };
export const PASS_TAG: Record<PassState, 'info' | 'success' | 'danger' | 'warning'> = { unverified: 'warning', active: 'success', revoked: 'danger', expired: 'info' };
export const SCAN_TAG: Record<string, 'success' | 'danger' | 'warning' | 'info'> = { ok: 'success', forged: 'danger', expired: 'warning', replayed: 'warning', revoked: 'danger', unverified: 'info' };

/** 2–200 characters: what the server accepts as a reason. */
export const validReason = (text: string) => text.trim().length >= 2 && text.trim().length <= 200;
