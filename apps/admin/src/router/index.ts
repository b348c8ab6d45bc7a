import { watch, type Component } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalizedLoaded, type RouteRecordRaw } from 'vue-router';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { Camera, Coin, DataAnalysis, Collection, DataLine, Document, DocumentChecked, HomeFilled, Location, Present, Stamp, Tickets, User, Wallet } from '@element-plus/icons-vue';
import { ADMIN_ROLES, PEOPLE_READER_ROLES, type Role } from '@nuanxin/shared';
import { Checked, OfficeBuilding } from '@element-plus/icons-vue';
import { CHECKLIST_EDITOR_ROLES, STATION_MANAGER_ROLES, STATION_PAGE_ROLES } from '../utils/access.ts';
import { Calendar, Iphone } from '@element-plus/icons-vue';
import { STATION_STAFF_ROLES } from '../utils/access.ts';
import { ApiError, errorText, onUnauthenticated } from '../api/index.ts';
import { i18n } from '../locales/index.ts';
import {
  CASE_CATEGORY_EDITOR_ROLES,
  CASE_DESK_ROLES,
  PARTNER_ROLES,
  POINTS_STAFF_ROLES,
  REWARD_MANAGE_ROLES,
  SETTLEMENT_ROLES,
} from '../utils/access.ts';
import { NotStaffError, dropSession, hasRole, loadMe, session } from '../stores/session.ts';

/** Who reads the dashboard (the server checks again: apps/server/src/modules/dashboard). */
const DASHBOARD_ROLES = ['grid_staff', ...ADMIN_ROLES] as const satisfies readonly Role[];

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without logging in. */
    public?: boolean;
    /** i18n key of the page title (browser tab). */
    titleKey?: string;
    /** i18n key of the side-menu entry; pages without it stay out of the menu. */
    menuKey?: string;
    icon?: Component;
    /** Roles allowed in; absent means every staff role. The server checks again — this only hides. */
    roles?: readonly Role[];
  }
}

/** Pages inside the console frame; the side menu is built from the ones with a menuKey. */
export const consoleRoutes: RouteRecordRaw[] = [
  {
    path: '',
    name: 'home',
    component: () => import('../views/home/index.vue'),
    meta: { titleKey: 'home.title', menuKey: 'menu.home', icon: HomeFilled },
  },
  // Dashboard (数据看板): second in the menu, where leaders look first; grid staff read their community.
  {
    path: 'dashboard',
    name: 'dashboard',
    component: () => import('../views/dashboard/index.vue'),
    meta: { titleKey: 'dashboard.title', menuKey: 'menu.dashboard', icon: DataAnalysis, roles: DASHBOARD_ROLES },
  },
  // Cases (随手拍 / 报事): the desk comes first, it is the day's work of staff and handlers.
  {
    path: 'cases',
    name: 'cases',
    component: () => import('../views/cases/workbench/list.vue'),
    meta: { titleKey: 'cases.list.title', menuKey: 'menu.cases', icon: Camera, roles: CASE_DESK_ROLES },
  },
  {
    path: 'cases/rates',
    name: 'cases-rates',
    component: () => import('../views/cases/rates/list.vue'),
    meta: { titleKey: 'cases.rates.title', menuKey: 'menu.casesRates', icon: DataLine, roles: CASE_DESK_ROLES },
  },
  {
    path: 'cases/categories',
    name: 'cases-categories',
    component: () => import('../views/cases/categories/list.vue'),
    meta: { titleKey: 'cases.categories.title', menuKey: 'menu.casesCategories', icon: Collection, roles: CASE_CATEGORY_EDITOR_ROLES },
  },
  {
    // After the fixed paths above, so "rates" and "categories" are not taken for an id.
    path: 'cases/:id',
    name: 'case-detail',
    component: () => import('../views/cases/detail/index.vue'),
    meta: { titleKey: 'cases.detail.title', roles: CASE_DESK_ROLES },
  },
  // Stations registry (驿站台账) and acceptance (验收). Fixed paths before the :id page.
  {
    path: 'stations',
    name: 'stations',
    component: () => import('../views/stations/list.vue'),
    meta: { titleKey: 'stations.list.title', menuKey: 'menu.stations', icon: OfficeBuilding, roles: STATION_MANAGER_ROLES },
  },
  {
    path: 'stations/checklists',
    name: 'stations-checklists',
    component: () => import('../views/stations/checklists.vue'),
    meta: { titleKey: 'stations.checklists.title', menuKey: 'menu.stationsChecklists', icon: Checked, roles: CHECKLIST_EDITOR_ROLES },
  },
  // At the counter: the rotating check-in code (a tablet, full screen) and service sessions; before :id.
  {
    path: 'stations/checkin',
    name: 'stations-checkin',
    component: () => import('../views/stations/checkin.vue'),
    meta: { titleKey: 'visits.checkin.title', menuKey: 'menu.stationsCheckin', icon: Iphone, roles: STATION_STAFF_ROLES },
  },
  {
    path: 'stations/sessions',
    name: 'stations-sessions',
    component: () => import('../views/stations/sessions.vue'),
    meta: { titleKey: 'visits.sessions.title', menuKey: 'menu.stationsSessions', icon: Calendar, roles: STATION_STAFF_ROLES },
  },
  {
    // A keeper opens their own station here (the server refuses any other).
    path: 'stations/:id',
    name: 'station-detail',
    component: () => import('../views/stations/detail.vue'),
    meta: { titleKey: 'stations.detail.title', roles: STATION_PAGE_ROLES },
  },
  // Points and rewards. Route names give the menu its test ids (menu-points-rules …).
  {
    path: 'points/claims',
    name: 'points-claims',
    component: () => import('../views/points/claims/list.vue'),
    meta: { titleKey: 'points.claims.title', menuKey: 'menu.pointsClaims', icon: DocumentChecked, roles: POINTS_STAFF_ROLES },
  },
  {
    path: 'points/ledger',
    name: 'points-ledger',
    component: () => import('../views/points/ledger/list.vue'),
    meta: { titleKey: 'points.ledger.title', menuKey: 'menu.pointsLedger', icon: Tickets, roles: POINTS_STAFF_ROLES },
  },
  {
    // Every staff member may read the rules (they explain points to workers); editors also change them.
    path: 'points/rules',
    name: 'points-rules',
    component: () => import('../views/points/rules/list.vue'),
    meta: { titleKey: 'points.rules.title', menuKey: 'menu.pointsRules', icon: Coin },
  },
  {
    // First of the partner's entries: at the counter it is the page they need.
    path: 'rewards/fulfil',
    name: 'rewards-fulfil',
    component: () => import('../views/rewards/fulfil/index.vue'),
    meta: { titleKey: 'rewards.fulfil.title', menuKey: 'menu.rewardsFulfil', icon: Stamp, roles: PARTNER_ROLES },
  },
  {
    path: 'rewards/manage',
    name: 'rewards-manage',
    component: () => import('../views/rewards/manage/list.vue'),
    meta: { titleKey: 'rewards.manage.title', menuKey: 'menu.rewardsManage', icon: Present, roles: REWARD_MANAGE_ROLES },
  },
  {
    path: 'rewards/settlement',
    name: 'rewards-settlement',
    component: () => import('../views/rewards/settlement/list.vue'),
    meta: { titleKey: 'rewards.settlement.title', menuKey: 'menu.rewardsSettlement', icon: Wallet, roles: SETTLEMENT_ROLES },
  },
  {
    path: 'users',
    name: 'users',
    component: () => import('../views/identity/users/list.vue'),
    meta: { titleKey: 'users.list.title', menuKey: 'menu.users', icon: User, roles: PEOPLE_READER_ROLES },
  },
  {
    path: 'audit',
    name: 'audit',
    component: () => import('../views/identity/audit/list.vue'),
    meta: { titleKey: 'audit.list.title', menuKey: 'menu.audit', icon: Document, roles: ADMIN_ROLES },
  },
  {
    path: 'regions',
    name: 'regions',
    component: () => import('../views/identity/regions/list.vue'),
    meta: { titleKey: 'regions.list.title', menuKey: 'menu.regions', icon: Location },
  },
  {
    path: ':pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../views/error/not-found.vue'),
    meta: { titleKey: 'error.notFound' },
  },
];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/login', name: 'login', component: () => import('../views/login/index.vue'), meta: { public: true, titleKey: 'login.title' } },
    // 大屏: full screen, outside the console frame.
    { path: '/screen', name: 'screen', component: () => import('../views/dashboard/screen.vue'), meta: { titleKey: 'dashboard.screenTitle', roles: DASHBOARD_ROLES } },
    { path: '/', component: () => import('../layouts/AdminLayout.vue'), children: consoleRoutes },
  ],
});

const t = i18n.global.t;

router.beforeEach(async (to) => {
  if (to.meta.public) return to.name === 'login' && session.user ? { name: 'home' } : true;
  let user;
  try {
    user = await loadMe();
  } catch (err) {
    // 401 already dropped the session (handler below); anything else is worth telling.
    if (err instanceof NotStaffError || !(err instanceof ApiError && err.status === 401)) ElMessage.error(errorText(err));
    return { name: 'login', query: { redirect: to.fullPath } };
  }
  if (!user) return { name: 'login', query: { redirect: to.fullPath } };
  if (to.meta.roles && !hasRole(user.role, to.meta.roles)) {
    ElMessage.warning(t('error.forbidden'));
    return { name: 'home' };
  }
  return true;
});

function setTitle(to: RouteLocationNormalizedLoaded) {
  document.title = to.meta.titleKey ? `${t(to.meta.titleKey)} · ${t('app.name')}` : t('app.name');
}
router.afterEach(setTitle);
// A language switch changes no route, so the tab title follows it here.
watch(i18n.global.locale, () => setTitle(router.currentRoute.value));

onUnauthenticated(() => {
  dropSession();
  const current = router.currentRoute.value;
  // On the login page a 401 means a wrong password or code, which the page shows itself;
  // before the first navigation the guard above does the redirect.
  if (current.meta.public || current.matched.length === 0) return;
  ElMessage.warning(t('login.sessionExpired'));
  void router.replace({ name: 'login', query: { redirect: current.fullPath } });
});
