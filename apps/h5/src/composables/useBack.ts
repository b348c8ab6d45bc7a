import { useRouter, type RouteLocationRaw } from 'vue-router';

/**
 * The nav bar's back arrow: one step back inside the app, or to `fallback` when the page was
 * opened directly (a shared link, a reload after the browser dropped its history).
 */
export function useBack(fallback: RouteLocationRaw) {
  const router = useRouter();
  return () => {
    const state = window.history.state as { back?: unknown } | null;
    if (state?.back) router.back();
    else void router.replace(fallback);
  };
}
