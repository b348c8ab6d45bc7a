import { rewardsRoutes, type Voucher } from '@nuanxin/shared';
import { api } from '../../api/index.ts';

// There is no "one voucher" route: a voucher is found in the person's own list (newest first, so
// a fresh one is on the first page). Vouchers seen in this page load are kept here, so the page
// right after a redemption or a tap in the list shows at once, before the list answers.
const PAGE_SIZE = 50;
const MAX_PAGES = 10;
const known = new Map<string, Voucher>();

export function rememberVoucher(voucher: Voucher): void {
  known.set(voucher.id, voucher);
}

export function knownVoucher(id: string): Voucher | null {
  return known.get(id) ?? null;
}

/** The person's voucher `id` as the server has it now, or null if it is not theirs. Throws ApiError. */
export async function fetchVoucher(id: string): Promise<Voucher | null> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await api(rewardsRoutes.myVouchers, { query: { page, pageSize: PAGE_SIZE } });
    res.items.forEach(rememberVoucher);
    const found = res.items.find((v) => v.id === id);
    if (found) return found;
    if (page * PAGE_SIZE >= res.total || res.items.length < PAGE_SIZE) break;
  }
  return null;
}

/**
 * The status to show: a held voucher past its time is shown as expired at once, even if the
 * server's timer has not returned the points yet (it will; the shop can no longer accept it).
 */
export function shownStatus(voucher: Voucher, now = Date.now()): Voucher['status'] {
  return voucher.status === 'held' && Date.parse(voucher.expiresAt) <= now ? 'expired' : voucher.status;
}

export const STATUS_TAG = { held: 'primary', fulfilled: 'success', cancelled: 'default', expired: 'default' } as const;
