import { pointsRoutes, type RouteOutput } from '@nuanxin/shared';
import { computed, reactive } from 'vue';
import { api } from '../api/index.ts';
import { session } from './session.ts';

export type Balance = RouteOutput<typeof pointsRoutes.balance>;

// The last balance the server gave, shown at once on home, points and rewards while a fresh one
// loads. Kept in memory only and tagged with its owner, so after a logout and another login on
// the same phone the previous person's figure is never shown.
const state = reactive<{ userId: string | null; balance: Balance | null }>({ userId: null, balance: null });
let loading: Promise<Balance> | null = null;

/** The current person's balance, or null before the first answer. */
export const balance = computed(() => (state.userId && state.userId === session.user?.id ? state.balance : null));

export function setBalance(value: Balance): void {
  state.userId = session.user?.id ?? null;
  state.balance = value;
}

/** Asks the server again; calls made while one is on its way share it. Throws ApiError. */
export function refreshBalance(): Promise<Balance> {
  loading ??= api(pointsRoutes.balance)
    .then((value) => {
      setBalance(value);
      return value;
    })
    .finally(() => (loading = null));
  return loading;
}
