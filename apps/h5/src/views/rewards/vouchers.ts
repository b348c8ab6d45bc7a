import { ApiError, rewardsRoutes, type Voucher } from '@nuanxin/shared';
import { api } from '../../api/index.ts';

// Vouchers seen in this page load are kept here, so the page right after a redemption or a tap in
// the list shows at once, before the server answers.
const known = new Map<string, Voucher>();

export function rememberVoucher(voucher: Voucher): void {
  known.set(voucher.id, voucher);
}

export function knownVoucher(id: string): Voucher | null {
  return known.get(id) ?? null;
}

/** The person's voucher `id` as the server has it now, or null if it is not theirs. Throws ApiError. */
export async function fetchVoucher(id: string): Promise<Voucher | null> {
  try {
    const voucher = await api(rewardsRoutes.voucher, { params: { id } });
    rememberVoucher(voucher);
    return voucher;
  } catch (err) {
    // Not found means not this person's voucher (or no such one): the page says so.
    if (err instanceof ApiError && (err.code === 'NOT_FOUND' || err.code === 'VALIDATION_FAILED')) return null;
    throw err;
  }
}

/**
 * The status to show: a held voucher past its time is shown as expired at once, even if the
 * server's timer has not returned the points yet (it will; the shop can no longer accept it).
 */
export function shownStatus(voucher: Voucher, now = Date.now()): Voucher['status'] {
  return voucher.status === 'held' && Date.parse(voucher.expiresAt) <= now ? 'expired' : voucher.status;
}

export const STATUS_TAG = { held: 'primary', fulfilled: 'success', cancelled: 'default', expired: 'default' } as const;
