import { noticesRoutes } from '@nuanxin/shared';
import { reactive } from 'vue';
import { call } from '../../api/index.ts';

/** The header bell: unread messages and unread notices of the staff member's region. */
export const unread = reactive({ messages: 0, notices: 0, total: 0 });

let inFlight: Promise<void> | null = null;

/** Asks again (on page changes, after reading); a failure keeps the last figure. */
export function refreshUnread(): Promise<void> {
  inFlight ??= call(noticesRoutes.unread)
    .then((n) => void Object.assign(unread, n))
    .catch(() => {})
    .finally(() => (inFlight = null));
  return inFlight;
}
