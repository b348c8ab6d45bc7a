import { watch, type Component } from 'vue';
import { createRouter, createWebHistory, type RouteLocationNormalizedLoaded, type RouteRecordRaw } from 'vue-router';
import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { Camera, Coin, DataAnalysis, Collection, DataLine, Document, DocumentChecked, HomeFilled, Location, Present, Stamp, Tickets, User, Wallet } from '@element-plus/icons-vue';
import { ADMIN_ROLES, PEOPLE_READER_ROLES, type Role } from '@nuanxin/shared';
import { Checked, OfficeBuilding } from '@element-plus/icons-vue';
import { CHECKLIST_EDITOR_ROLES, STATION_MANAGER_ROLES, STATION_PAGE_ROLES } from '../utils/access.ts';
import { Calendar, Iphone } from '@element-plus/icons-vue';
import { Bell, EditPen, Notification } from '@element-plus/icons-vue';
import { STATION_STAFF_ROLES } from '../utils/access.ts';
import { Connection as OrgListIcon, Histogram as OrgStatsIcon, Postcard as OrgGridIcon } from '@element-plus/icons-vue';
import { ORGANIZATION_ADMIN_ROLES, ORGANIZATION_READER_ROLES } from '../views/organizations/data.ts';
import { Flag, PieChart } from '@element-plus/icons-vue';
import { ACTIVITY_STAFF_ROLES } from '@nuanxin/shared';
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
import { Medal, Reading } from '@element-plus/icons-vue';
import { HONOR_STAFF_ROLES, STORY_STAFF_ROLES } from '@nuanxin/shared';
import { Histogram as WishCountsIcon, Pointer as WishClaimsIcon, Setting as WishSettingsIcon, Star as WishesIcon } from '@element-plus/icons-vue';
import { WISH_SETTINGS_ROLES, WISH_STAFF_ROLES } from '@nuanxin/shared';
import { Key, MapLocation, Postcard } from '@element-plus/icons-vue';
import { GUIDE_STAFF_ROLES, PASS_GUARD_ROLES } from '@nuanxin/shared';
import { Shop as PartnerIcon, Box as DonationIcon, Notebook as PledgeIcon } from '@element-plus/icons-vue';
import { ADMIN_ROLES as PARTNER_ADMIN_ROLES, DONATION_RECORDER_ROLES, PLEDGE_EDITOR_ROLES } from '@nuanxin/shared';

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
  // Street guide (指引审核), riders' passes and the guard's check (通行码核验, works on a phone).
  {
    path: 'guide/review',
    name: 'guide-review',
    component: () => import('../views/guide/review.vue'),
    meta: { titleKey: 'guide.review.title', menuKey: 'guide.menu.review', icon: MapLocation, roles: GUIDE_STAFF_ROLES },
  },
  {
    path: 'guide/passes',
    name: 'guide-passes',
    component: () => import('../views/guide/passes.vue'),
    meta: { titleKey: 'guide.passes.title', menuKey: 'guide.menu.passes', icon: Postcard, roles: GUIDE_STAFF_ROLES },
  },
  {
    path: 'guide/scan',
    name: 'guide-scan',
    component: () => import('../views/guide/scan.vue'),
    meta: { titleKey: 'guide.scan.title', menuKey: 'guide.menu.scan', icon: Key, roles: PASS_GUARD_ROLES },
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
  // Activities (活动): list, check-in screen (works on the organiser's phone), figures; fixed paths before :id.
  {
    path: 'activities',
    name: 'activities',
    component: () => import('../views/activities/list.vue'),
    meta: { titleKey: 'activities.list.title', menuKey: 'activities.menu.list', icon: Flag, roles: ACTIVITY_STAFF_ROLES },
  },
  {
    path: 'activities/checkin',
    name: 'activity-checkin',
    component: () => import('../views/activities/checkin.vue'),
    meta: { titleKey: 'activities.checkin.title', menuKey: 'activities.menu.checkin', icon: Iphone, roles: ACTIVITY_STAFF_ROLES },
  },
  {
    path: 'activities/stats',
    name: 'activity-stats',
    component: () => import('../views/activities/stats.vue'),
    meta: { titleKey: 'activities.stats.title', menuKey: 'activities.menu.stats', icon: PieChart, roles: ACTIVITY_STAFF_ROLES },
  },
  {
    path: 'activities/:id',
    name: 'activity-detail',
    component: () => import('../views/activities/detail.vue'),
    meta: { titleKey: 'activities.detail.title', roles: ACTIVITY_STAFF_ROLES },
  },
  {
    path: 'honors',
    name: 'honor-rounds',
    component: () => import('../views/honors/rounds/list.vue'),
    meta: { titleKey: 'honors.rounds.title', menuKey: 'honors.menu', icon: Medal, roles: HONOR_STAFF_ROLES },
  },
  {
    path: 'honors/:id',
    name: 'honor-round',
    component: () => import('../views/honors/rounds/detail.vue'),
    meta: { titleKey: 'honors.detail.title', roles: HONOR_STAFF_ROLES },
  },
  {
    path: 'stories',
    name: 'stories',
    component: () => import('../views/honors/stories/list.vue'),
    meta: { titleKey: 'stories.title', menuKey: 'stories.menu', icon: Reading, roles: STORY_STAFF_ROLES },
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
  // Notices (通知公告) for everyone in the console; admins publish; everyone has a message center.
  {
    path: 'notices',
    name: 'notices',
    component: () => import('../views/notices/feed.vue'),
    meta: { titleKey: 'notices.feed.title', menuKey: 'notices.menu.feed', icon: Notification },
  },
  {
    path: 'notices/manage',
    name: 'notices-manage',
    component: () => import('../views/notices/manage.vue'),
    meta: { titleKey: 'notices.manage.title', menuKey: 'notices.menu.manage', icon: EditPen, roles: ADMIN_ROLES },
  },
  {
    path: 'messages',
    name: 'messages',
    component: () => import('../views/notices/messages.vue'),
    meta: { titleKey: 'notices.messages.title', menuKey: 'notices.menu.messages', icon: Bell },
  },
  // Micro-wishes (微心愿): the review desk, partners' claims (works on a phone), figures, street settings.
  {
    path: 'wishes',
    name: 'wishes',
    component: () => import('../views/wishes/list.vue'),
    meta: { titleKey: 'wishes.list.title', menuKey: 'wishes.menu.list', icon: WishesIcon, roles: WISH_STAFF_ROLES },
  },
  {
    path: 'wishes/claims',
    name: 'wishes-claims',
    component: () => import('../views/wishes/claims.vue'),
    meta: { titleKey: 'wishes.claims.title', menuKey: 'wishes.menu.claims', icon: WishClaimsIcon, roles: ['partner_staff'] },
  },
  {
    path: 'wishes/counts',
    name: 'wishes-counts',
    component: () => import('../views/wishes/counts.vue'),
    meta: { titleKey: 'wishes.counts.title', menuKey: 'wishes.menu.counts', icon: WishCountsIcon, roles: WISH_STAFF_ROLES },
  },
  {
    path: 'wishes/settings',
    name: 'wishes-settings',
    component: () => import('../views/wishes/settings.vue'),
    meta: { titleKey: 'wishes.settings.title', menuKey: 'wishes.menu.settings', icon: WishSettingsIcon, roles: WISH_SETTINGS_ROLES },
  },
  // Organizations (党建与队伍): branches, teams and posts; member review; part-time grid members; figures.
  {
    path: 'organizations',
    name: 'organizations',
    component: () => import('../views/organizations/list.vue'),
    meta: { titleKey: 'organizations.list.title', menuKey: 'organizations.menu.list', icon: OrgListIcon, roles: ORGANIZATION_READER_ROLES },
  },
  {
    path: 'organizations/members',
    name: 'organization-members',
    component: () => import('../views/organizations/members.vue'),
    meta: { titleKey: 'organizations.members.title', menuKey: 'organizations.menu.members', icon: Stamp, roles: ORGANIZATION_READER_ROLES },
  },
  {
    path: 'organizations/grid-members',
    name: 'organization-grid-members',
    component: () => import('../views/organizations/grid-members.vue'),
    meta: { titleKey: 'organizations.grid.title', menuKey: 'organizations.menu.gridMembers', icon: OrgGridIcon, roles: ORGANIZATION_ADMIN_ROLES },
  },
  {
    path: 'organizations/stats',
    name: 'organization-stats',
    component: () => import('../views/organizations/stats.vue'),
    meta: { titleKey: 'organizations.stats.title', menuKey: 'organizations.menu.stats', icon: OrgStatsIcon, roles: ORGANIZATION_READER_ROLES },
  },
  // Partners (合作单位): review and certification (授牌), benefits, donations; 三方公约.
  {
    path: 'partners',
    name: 'partners',
    component: () => import('../views/partners/list.vue'),
    meta: { titleKey: 'partners.list.title', menuKey: 'partners.menu.list', icon: PartnerIcon, roles: ['partner_staff', ...PARTNER_ADMIN_ROLES] },
  },
  {
    path: 'partners/donations',
    name: 'partner-donations',
    component: () => import('../views/partners/donations.vue'),
    meta: { titleKey: 'partners.donations.title', menuKey: 'partners.menu.donations', icon: DonationIcon, roles: DONATION_RECORDER_ROLES },
  },
  {
    path: 'partners/pledges',
    name: 'partner-pledges',
    component: () => import('../views/partners/pledges.vue'),
    meta: { titleKey: 'partners.pledges.title', menuKey: 'partners.menu.pledges', icon: PledgeIcon, roles: [...PLEDGE_EDITOR_ROLES, 'partner_staff'] },
  },
  {
    path: 'partners/:id',
    name: 'partner-detail',
    component: () => import('../views/partners/detail.vue'),
    meta: { titleKey: 'partners.detail.title', roles: ['partner_staff', ...PARTNER_ADMIN_ROLES] },
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
    // The plaque (授牌) to print: outside the console frame.
    { path: '/partners/:id/plaque', name: 'partner-plaque', component: () => import('../views/partners/plaque.vue'), meta: { titleKey: 'partners.plaque.title', roles: ['partner_staff', ...PARTNER_ADMIN_ROLES] } },
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
