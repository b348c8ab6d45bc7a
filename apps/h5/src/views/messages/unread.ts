import { noticesRoutes } from '@nuanxin/shared';
import { api } from '../../api/index.ts';
import { unread } from './unread-badge.ts';

export { countRead, unread } from './unread-badge.ts';

let inFlight: Promise<void> | null = null;

/** Asks the server again (on opening a tab page, after reading); failures keep the last figure. */
export function refreshUnread(): Promise<void> {
  inFlight ??= api(noticesRoutes.unread)
    .then((n) => void Object.assign(unread, n))
    .catch(() => {})
    .finally(() => (inFlight = null));
  return inFlight;
}
