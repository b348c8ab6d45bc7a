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
        { path: 'messages', name: 'messages', component: () => import('../views/messages/index.vue'), meta: { title: 'notices.center.title' } },
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
    { path: '/guide/new', name: 'guide-contribute', component: () => import('../views/guide/contribute.vue'), meta: { title: 'guide.contribute.title' } },
    { path: '/guide/mine', name: 'guide-mine', component: () => import('../views/guide/mine.vue'), meta: { title: 'guide.mine.title' } },
    { path: '/guide/places/:id', name: 'guide-place', component: () => import('../views/guide/place.vue'), meta: { title: 'guide.place.title' } },
    { path: '/pass', name: 'pass', component: () => import('../views/pass/index.vue'), meta: { title: 'pass.title' } },
    { path: '/stations/:id', name: 'station', component: () => import('../views/stations/detail.vue'), meta: { title: 'stations.detail.title' } },
    // Cases (随手拍): the report form works without signal (categories cached, outbox).
    { path: '/report', name: 'cases-report', component: () => import('../views/cases/report.vue'), meta: { title: 'cases.report.title' } },
    { path: '/cases', name: 'cases-mine', component: () => import('../views/cases/mine.vue'), meta: { title: 'cases.mine.title' } },
    // The public map of closed cases: no login, no personal data; before /cases/:id.
    { path: '/cases/map', name: 'cases-map', component: () => import('../views/cases/public-map.vue'), meta: { public: true, title: 'cases.map.title' } },
    { path: '/cases/:id', name: 'case', component: () => import('../views/cases/detail.vue'), meta: { title: 'cases.detail.title' } },
    // Activities: the organiser's QR links to /activities/checkin (?a=&c=&m=); before /activities/:id.
    { path: '/activities', name: 'activities', component: () => import('../views/activities/index.vue'), meta: { title: 'activities.title' } },
    { path: '/activities/mine', name: 'activities-mine', component: () => import('../views/activities/mine.vue'), meta: { title: 'activities.mine.title' } },
    { path: '/activities/checkin', name: 'activity-checkin', component: () => import('../views/activities/checkin.vue'), meta: { title: 'activities.checkin.title' } },
    { path: '/activities/:id', name: 'activity', component: () => import('../views/activities/detail.vue'), meta: { title: 'activities.detail.title' } },
    // Honors (金牌先锋) and stories: the honor rolls and the stories are public pages (no login).
    { path: '/honors', name: 'honors', component: () => import('../views/honors/index.vue'), meta: { title: 'honors.title' } },
    { path: '/honors/rolls/:id', name: 'honor-roll', component: () => import('../views/honors/roll.vue'), meta: { public: true, title: 'honors.roll.title' } },
    { path: '/stories', name: 'stories', component: () => import('../views/stories/index.vue'), meta: { public: true, title: 'stories.title' } },
    { path: '/stories/:id', name: 'story', component: () => import('../views/stories/detail.vue'), meta: { public: true, title: 'stories.detail.title' } },
    // Notices (公告) and message settings.
    { path: '/notices/:id', name: 'notice', component: () => import('../views/notices/detail.vue'), meta: { title: 'notices.detail.title' } },
    { path: '/me/messages', name: 'message-settings', component: () => import('../views/messages/settings.vue'), meta: { title: 'notices.settings.title' } },
    // Organizations (我的组织): party membership and badge, volunteer teams, part-time grid member; /badge/:token is the public check.
    { path: '/organizations', name: 'organizations', component: () => import('../views/organizations/index.vue'), meta: { title: 'organizations.title' } },
    { path: '/organizations/declare', name: 'organizations-declare', component: () => import('../views/organizations/declare.vue'), meta: { title: 'organizations.declare.title' } },
    { path: '/organizations/teams', name: 'organizations-teams', component: () => import('../views/organizations/teams.vue'), meta: { title: 'organizations.teams.pickTitle' } },
    { path: '/organizations/certificate', name: 'organizations-certificate', component: () => import('../views/organizations/certificate.vue'), meta: { title: 'organizations.certificate.title' } },
    { path: '/organizations/badge/:id', name: 'organizations-badge', component: () => import('../views/organizations/badge.vue'), meta: { title: 'organizations.badge.title' } },
    { path: '/badge/:token', name: 'badge-check', component: () => import('../views/organizations/check.vue'), meta: { public: true, title: 'organizations.check.title' } },
    // Micro-wishes (微心愿): the wall (open to anyone, like the API), my wishes, my claims; fixed paths before the :id pages.
    { path: '/wishes', name: 'wishes', component: () => import('../views/wishes/wall.vue'), meta: { public: true, title: 'wishes.wall.title' } },
    { path: '/wishes/new', name: 'wishes-new', component: () => import('../views/wishes/post.vue'), meta: { title: 'wishes.post.title' } },
    { path: '/wishes/mine', name: 'wishes-mine', component: () => import('../views/wishes/mine.vue'), meta: { title: 'wishes.mine.title' } },
    { path: '/wishes/mine/:id', name: 'wish-mine', component: () => import('../views/wishes/mine-detail.vue'), meta: { title: 'wishes.mine.detailTitle' } },
    { path: '/wishes/claims', name: 'wishes-claims', component: () => import('../views/wishes/claims.vue'), meta: { title: 'wishes.claims.title' } },
    { path: '/wishes/wall/:id', name: 'wish-wall', component: () => import('../views/wishes/wall-detail.vue'), meta: { public: true, title: 'wishes.wall.detailTitle' } },
    // Partners (暖新商家): the directory, the public application form and the page a plaque's QR opens — no login.
    { path: '/partners', name: 'partners', component: () => import('../views/partners/index.vue'), meta: { public: true, title: 'partners.title' } },
    { path: '/partners/apply', name: 'partner-apply', component: () => import('../views/partners/apply.vue'), meta: { public: true, title: 'partners.apply.title' } },
    { path: '/partners/:id', name: 'partner', component: () => import('../views/partners/detail.vue'), meta: { public: true, title: 'partners.page.title' } },
    { path: '/pledges', name: 'pledges', component: () => import('../views/pledges/index.vue'), meta: { public: true, title: 'pledges.title' } },
    { path: '/pledges/:regionId', name: 'pledge', component: () => import('../views/pledges/detail.vue'), meta: { public: true, title: 'pledges.title' } },
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
