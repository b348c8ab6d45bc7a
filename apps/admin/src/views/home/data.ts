import type { identityRoutes, Role, RouteOutput } from '@nuanxin/shared';
import type { MessageSchema } from '../../locales/zh-CN.ts';

export type ScopeSummary = RouteOutput<typeof identityRoutes.summary>;

/** The head counts shown as cards, in this order. */
export const SUMMARY_FIELDS = ['workers', 'workersThisMonth', 'staff', 'stations', 'partners', 'communities'] as const satisfies readonly (keyof ScopeSummary)[];

/** Names of the console pages a duty can link to (router/index.ts). */
export type DutyRoute = 'users' | 'audit' | 'regions' | 'points-claims' | 'points-rules' | 'rewards-manage' | 'rewards-fulfil' | 'rewards-settlement';

export interface Duty {
  key: keyof MessageSchema['home']['duties'];
  /** Route name of the page that does it; none yet means "coming soon". */
  route?: DutyRoute;
}

const browse: Duty = { key: 'browseRegions', route: 'regions' };
const people: Duty = { key: 'viewPeople', route: 'users' };
const manage: Duty = { key: 'managePeople', route: 'users' };
const audit: Duty = { key: 'readAudit', route: 'audit' };
const approvePoints: Duty = { key: 'approvePoints', route: 'points-claims' };
// Awarding is a button on a worker's row in the people list.
const awardPoints: Duty = { key: 'awardPoints', route: 'users' };
const pointsRules: Duty = { key: 'pointsRules', route: 'points-rules' };
const reviewRewards: Duty = { key: 'reviewRewards', route: 'rewards-manage' };
const settlement: Duty = { key: 'settlement', route: 'rewards-settlement' };

/**
 * What each role comes here to do, from DESIGN.md "Users and their surfaces". The identity, points
 * and rewards pages exist; the rest is listed honestly as coming soon rather than shown with fake data.
 */
export const DUTIES: Record<Exclude<Role, 'worker'>, Duty[]> = {
  grid_staff: [{ key: 'acceptReports' }, { key: 'verifyCases' }, approvePoints, awardPoints, { key: 'checkInActivities' }, people, browse],
  community_admin: [
    { key: 'dispatchCases' },
    approvePoints,
    awardPoints,
    reviewRewards,
    { key: 'checkInActivities' },
    { key: 'reviewWishes' },
    manage,
    audit,
    browse,
  ],
  street_admin: [
    { key: 'inspectStations' },
    pointsRules,
    approvePoints,
    awardPoints,
    reviewRewards,
    settlement,
    { key: 'certifyPartners' },
    { key: 'statistics' },
    manage,
    audit,
    browse,
  ],
  district_admin: [
    { key: 'dashboard' },
    { key: 'statistics' },
    pointsRules,
    reviewRewards,
    settlement,
    { key: 'honors' },
    { key: 'certifyPartners' },
    manage,
    audit,
    browse,
  ],
  department_handler: [{ key: 'handleCases' }, { key: 'reportBack' }, browse],
  partner_staff: [
    { key: 'redeemVouchers', route: 'rewards-fulfil' },
    { key: 'publishBenefits', route: 'rewards-manage' },
    settlement,
    { key: 'claimWishes' },
    browse,
  ],
  station_keeper: [{ key: 'stationInfo' }, { key: 'stationVisits' }, { key: 'serviceSessions' }, browse],
};

/** Ready pages first, so the first thing a person sees is something they can click. */
export function dutiesFor(role: Role): Duty[] {
  const list = role === 'worker' ? [] : DUTIES[role];
  return [...list].sort((a, b) => Number(!a.route) - Number(!b.route));
}
