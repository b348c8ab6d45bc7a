import { ADMIN_ROLES, PEOPLE_READER_ROLES, type Role } from '@nuanxin/shared';

// Who may use the points and rewards pages, as the server's route declarations say. The server
// checks again on every call; these lists only decide what the menu and the buttons show.

/** Add and change points rules, and a street's redemption days and expiry. */
export const RULE_EDITOR_ROLES = ['street_admin', 'district_admin'] as const satisfies readonly Role[];
/** Review workers' claims and award or deduct under a rule: grid staff and the admins. */
export const POINTS_STAFF_ROLES = PEOPLE_READER_ROLES;
/** Publish, reject or withdraw partners' rewards. */
export const REWARD_REVIEWER_ROLES = ADMIN_ROLES;
/** Partners offer rewards and fulfil vouchers at the counter. */
export const PARTNER_ROLES = ['partner_staff'] as const satisfies readonly Role[];
/** The rewards list: reviewers see their region's, a partner its own. */
export const REWARD_MANAGE_ROLES = [...REWARD_REVIEWER_ROLES, ...PARTNER_ROLES] as const satisfies readonly Role[];
/** The settlement report: a partner its own vouchers, admins their region's. */
export const SETTLEMENT_ROLES = REWARD_MANAGE_ROLES;

// Cases (随手拍 / 报事), as apps/server/src/modules/cases/cases.routes.ts declares them.

/** Accept, dispatch, verify and close within their region (CASE_STAFF_ROLES on the server). */
export const CASE_STAFF_ROLES = ['grid_staff', 'community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];
/** The workbench, a case's page and the department rates: region staff and department handlers. */
export const CASE_DESK_ROLES = [...CASE_STAFF_ROLES, 'department_handler'] as const satisfies readonly Role[];
/** Edit the district's category catalogue. */
export const CASE_CATEGORY_EDITOR_ROLES = ['district_admin'] as const satisfies readonly Role[];

// Stations registry, as apps/server/src/modules/stations/registry.routes.ts declares it.
export { CHECKLIST_EDITOR_ROLES, STATION_INSPECTOR_ROLES, STATION_MANAGER_ROLES, STATION_PAGE_ROLES } from '@nuanxin/shared';

// At a station's counter (check-in screen, service sessions), as apps/server/src/modules/stations/visits.routes.ts declares it.
export { STATION_STAFF_ROLES } from '@nuanxin/shared';
