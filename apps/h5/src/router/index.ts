import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { ApiError } from '../api/index.ts';
import { startOutbox } from '../stores/outbox.ts';
import { isLoggedIn, loadUser, session } from '../stores/session.ts';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session. */
    public?: boolean;
    /** i18n key of the page title. */
    title?: string;
  }
}

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/login', name: 'login', component: () => import('../views/identity/login.vue'), meta: { public: true, title: 'login.title' } },
    { path: '/privacy', name: 'privacy', component: () => import('../views/identity/privacy.vue'), meta: { public: true, title: 'privacy.title' } },
    { path: '/register', name: 'register', component: () => import('../views/identity/register.vue'), meta: { title: 'register.title' } },
    {
      path: '/',
      component: () => import('../components/TabLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('../views/home/index.vue'), meta: { title: 'home.title' } },
        { path: 'me', name: 'me', component: () => import('../views/identity/me.vue'), meta: { title: 'me.title' } },
      ],
    },
    // Points and rewards: full pages with a back arrow, each loaded only when opened.
    { path: '/points', name: 'points', component: () => import('../views/points/index.vue'), meta: { title: 'points.title' } },
    { path: '/points/claim/:ruleId', name: 'points-claim', component: () => import('../views/points/claim.vue'), meta: { title: 'points.claim.title' } },
    { path: '/points/leaderboard', name: 'points-leaderboard', component: () => import('../views/points/leaderboard.vue'), meta: { title: 'points.leaderboard.title' } },
    { path: '/board/:communityId', name: 'points-board', component: () => import('../views/points/board.vue'), meta: { public: true, title: 'points.board.title' } },
    { path: '/rewards', name: 'rewards', component: () => import('../views/rewards/index.vue'), meta: { title: 'rewards.title' } },
    { path: '/vouchers', name: 'vouchers', component: () => import('../views/rewards/vouchers.vue'), meta: { title: 'rewards.vouchers.title' } },
    { path: '/vouchers/:id', name: 'voucher', component: () => import('../views/rewards/voucher.vue'), meta: { title: 'rewards.voucher.title' } },
    // Stations: the list asks for the phone's position when it opens, not before.
    { path: '/stations', name: 'stations', component: () => import('../views/stations/index.vue'), meta: { title: 'stations.title' } },
    // Check-in: the station's QR links here (?s=&c=), so a phone's camera app opens it too; before /stations/:id.
    { path: '/stations/checkin', name: 'station-checkin', component: () => import('../views/stations/checkin.vue'), meta: { title: 'visits.checkin.title' } },
    { path: '/bookings', name: 'bookings', component: () => import('../views/bookings/index.vue'), meta: { title: 'visits.bookings.title' } },
    { path: '/stations/:id', name: 'station', component: () => import('../views/stations/detail.vue'), meta: { title: 'stations.detail.title' } },
    // Cases (随手拍): the report form works without signal (categories cached, outbox).
    { path: '/report', name: 'cases-report', component: () => import('../views/cases/report.vue'), meta: { title: 'cases.report.title' } },
    { path: '/cases', name: 'cases-mine', component: () => import('../views/cases/mine.vue'), meta: { title: 'cases.mine.title' } },
    // The public map of closed cases: no login, no personal data; before /cases/:id.
    { path: '/cases/map', name: 'cases-map', component: () => import('../views/cases/public-map.vue'), meta: { public: true, title: 'cases.map.title' } },
    { path: '/cases/:id', name: 'case', component: () => import('../views/cases/detail.vue'), meta: { title: 'cases.detail.title' } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

/** Only same-app paths are followed after login, never another origin. */
export function safeRedirect(value: unknown): string | null {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : null;
}

let refreshing: Promise<unknown> | null = null;

/** Loads /me once per page load; a cached profile lets the app open offline. */
async function ensureUser(): Promise<void> {
  if (session.fresh) return;
  const refresh = (refreshing ??= loadUser().finally(() => (refreshing = null)));
  if (session.user) {
    // Show the cached profile at once; a 401 in the background still ends the session.
    refresh.catch(() => {});
    return;
  }
  try {
    await refresh;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 401) return;
    // Offline with no cached profile: go on, the pages cope with an unknown user.
  }
}

function toLogin(to: RouteLocationNormalized) {
  return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
}

router.beforeEach(async (to) => {
  if (!isLoggedIn()) return to.meta.public ? true : toLogin(to);
  await ensureUser();
  if (!isLoggedIn()) return toLogin(to);
  const user = session.user;
  if (user && !user.profileComplete && to.name !== 'register') return { name: 'register' };
  if (to.name === 'login') return { name: 'home' };
  // Reports kept on the phone go out as soon as someone is logged in (app start, after a login).
  if (session.user) void startOutbox();
  return true;
});
