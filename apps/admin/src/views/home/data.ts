import type { identityRoutes, Role, RouteOutput } from '@nuanxin/shared';
import type { MessageSchema } from '../../locales/zh-CN.ts';

export type ScopeSummary = RouteOutput<typeof identityRoutes.summary>;

/** The head counts shown as cards, in this order. */
export const SUMMARY_FIELDS = ['workers', 'workersThisMonth', 'staff', 'stations', 'partners', 'communities'] as const satisfies readonly (keyof ScopeSummary)[];

/** Names of the console pages a duty can link to (router/index.ts). */
export type DutyRoute =
  | 'users'
  | 'audit'
  | 'regions'
  | 'points-claims'
  | 'points-rules'
  | 'rewards-manage'
  | 'rewards-fulfil'
  | 'rewards-settlement'
  | 'cases'
  | 'dashboard'
  | 'stations'
  | 'station-detail'
  | 'stations-checkin'
  | 'stations-sessions'
  | 'activities'
  | 'wishes'
  | 'wishes-claims'
  | 'partners'
  | 'honor-rounds';

export interface Duty {
  key: keyof MessageSchema['home']['duties'];
  /** Route name of the page that does it; none yet means "coming soon". */
  route?: DutyRoute;
  params?: Record<string, string>;
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
const cases: Record<'acceptReports' | 'verifyCases' | 'dispatchCases' | 'handleCases' | 'reportBack', Duty> = {
  acceptReports: { key: 'acceptReports', route: 'cases' },
  verifyCases: { key: 'verifyCases', route: 'cases' },
  dispatchCases: { key: 'dispatchCases', route: 'cases' },
  handleCases: { key: 'handleCases', route: 'cases' },
  reportBack: { key: 'reportBack', route: 'cases' },
};
const activities: Duty = { key: 'checkInActivities', route: 'activities' };
const certifyPartners: Duty = { key: 'certifyPartners', route: 'partners' };
const statistics: Duty = { key: 'statistics', route: 'dashboard' };

/**
 * What each role comes here to do, from DESIGN.md "Users and their surfaces". A duty without a page
 * of its own is listed as coming soon rather than shown with fake data (a keeper's station page needs
 * the station id, which the session does not carry yet).
 */
export const DUTIES: Record<Exclude<Role, 'worker'>, Duty[]> = {
  grid_staff: [cases.acceptReports, cases.verifyCases, approvePoints, awardPoints, activities, people, browse],
  community_admin: [
    cases.dispatchCases,
    approvePoints,
    awardPoints,
    reviewRewards,
    activities,
    { key: 'reviewWishes', route: 'wishes' },
    manage,
    audit,
    browse,
  ],
  street_admin: [
    { key: 'inspectStations', route: 'stations' },
    pointsRules,
    approvePoints,
    awardPoints,
    reviewRewards,
    settlement,
    certifyPartners,
    statistics,
    manage,
    audit,
    browse,
  ],
  district_admin: [
    { key: 'dashboard', route: 'dashboard' },
    statistics,
    pointsRules,
    reviewRewards,
    settlement,
    { key: 'honors', route: 'honor-rounds' },
    certifyPartners,
    manage,
    audit,
    browse,
  ],
  department_handler: [cases.handleCases, cases.reportBack, browse],
  partner_staff: [
    { key: 'redeemVouchers', route: 'rewards-fulfil' },
    { key: 'publishBenefits', route: 'rewards-manage' },
    settlement,
    { key: 'claimWishes', route: 'wishes-claims' },
    browse,
  ],
  station_keeper: [{ key: 'stationInfo' }, { key: 'stationVisits', route: 'stations-checkin' }, { key: 'serviceSessions', route: 'stations-sessions' }, browse],
};

/** A keeper's station page needs the station they keep, which only the signed-in person knows. */
function forPerson(duty: Duty, stationId: string | null): Duty {
  return duty.key === 'stationInfo' && stationId ? { ...duty, route: 'station-detail', params: { id: stationId } } : duty;
}

/** Ready pages first, so the first thing a person sees is something they can click. */
export function dutiesFor(user: { role: Role; stationId: string | null }): Duty[] {
  const list = user.role === 'worker' ? [] : DUTIES[user.role];
  return list.map((d) => forPerson(d, user.stationId)).sort((a, b) => Number(!a.route) - Number(!b.route));
}
