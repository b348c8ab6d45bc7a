import type { identityRoutes, Role, RouteOutput } from '@nuanxin/shared';
import type { MessageSchema } from '../../locales/zh-CN.ts';

export type ScopeSummary = RouteOutput<typeof identityRoutes.summary>;

/** The head counts shown as cards, in this order. */
export const SUMMARY_FIELDS = ['workers', 'workersThisMonth', 'staff', 'stations', 'partners', 'communities'] as const satisfies readonly (keyof ScopeSummary)[];

export interface Duty {
  key: keyof MessageSchema['home']['duties'];
  /** Route name of the page that does it; none yet means "coming soon". */
  route?: 'users' | 'audit' | 'regions';
}

const browse: Duty = { key: 'browseRegions', route: 'regions' };
const people: Duty = { key: 'viewPeople', route: 'users' };
const manage: Duty = { key: 'managePeople', route: 'users' };
const audit: Duty = { key: 'readAudit', route: 'audit' };

/**
 * What each role comes here to do, from DESIGN.md "Users and their surfaces". Only the identity
 * pages exist so far; the rest is listed honestly as coming soon rather than shown with fake data.
 */
export const DUTIES: Record<Exclude<Role, 'worker'>, Duty[]> = {
  grid_staff: [{ key: 'acceptReports' }, { key: 'verifyCases' }, { key: 'approvePoints' }, { key: 'checkInActivities' }, people, browse],
  community_admin: [
    { key: 'dispatchCases' },
    { key: 'approvePoints' },
    { key: 'checkInActivities' },
    { key: 'reviewWishes' },
    manage,
    audit,
    browse,
  ],
  street_admin: [
    { key: 'inspectStations' },
    { key: 'pointsRules' },
    { key: 'certifyPartners' },
    { key: 'statistics' },
    manage,
    audit,
    browse,
  ],
  district_admin: [{ key: 'dashboard' }, { key: 'statistics' }, { key: 'honors' }, { key: 'certifyPartners' }, manage, audit, browse],
  department_handler: [{ key: 'handleCases' }, { key: 'reportBack' }, browse],
  partner_staff: [{ key: 'publishBenefits' }, { key: 'redeemVouchers' }, { key: 'claimWishes' }, browse],
  station_keeper: [{ key: 'stationInfo' }, { key: 'stationVisits' }, { key: 'serviceSessions' }, browse],
};

/** Ready pages first, so the first thing a person sees is something they can click. */
export function dutiesFor(role: Role): Duty[] {
  const list = role === 'worker' ? [] : DUTIES[role];
  return [...list].sort((a, b) => Number(!a.route) - Number(!b.route));
}
