import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CaseAction, CaseResult, CaseSource, CaseStatus, CategoryLimits, Occupation, PointCategory, RegionLevel, Role, TransferKind } from '@nuanxin/shared';

/** Kysely's view of the tables in migrations/*.sql. Keep the two in step. */
type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export interface RegionsTable {
  id: string;
  parent_id: string | null;
  level: RegionLevel;
  name: string;
  created_at: CreatedAt;
}

export interface DepartmentsTable {
  id: Generated<string>;
  region_id: string;
  name: string;
  kind: string;
  created_at: CreatedAt;
}

export interface PartnersTable {
  id: Generated<string>;
  region_id: string;
  name: string;
  kind: string;
  status: 'applied' | 'certified' | 'rejected' | 'suspended' | 'expired';
  address: string | null;
  lat: number | null;
  lng: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  created_at: CreatedAt;
}

export interface StationsTable {
  id: Generated<string>;
  region_id: string;
  name: string;
  type: string;
  status: 'planned' | 'built' | 'accepted' | 'suspended' | 'closed';
  address: string;
  lat: number;
  lng: number;
  amenities: string[];
  services: string[];
  open_hours: string;
  /** 7 arrays (Sunday first) of 'HH:MM-HH:MM' spans, China time. */
  weekly_hours: ColumnType<string[][], string, string>;
  always_open: boolean;
  keeper_name: string | null;
  keeper_phone: string | null;
  created_at: CreatedAt;
}

export interface RewardsTable {
  id: Generated<string>;
  region_id: string;
  partner_id: string;
  name: string;
  description: string;
  kind: Generated<'goods' | 'service'>;
  points_price: number;
  stock: number;
  per_person_limit: number;
  status: Generated<'pending' | 'published' | 'rejected' | 'withdrawn'>;
  valid_from: string | null;
  valid_to: string | null;
  places: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PointsRulesTable {
  id: Generated<string>;
  region_id: string;
  category: PointCategory;
  name: string;
  description: string;
  kind: 'earn' | 'deduct';
  points: number;
  daily_cap: number | null;
  monthly_cap: number | null;
  needs_approval: boolean;
  claimable: boolean;
  suspend_after: number | null;
  valid_from: string | null;
  valid_to: string | null;
  status: 'active' | 'inactive';
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PointsSettingsTable {
  region_id: string;
  redemption_days: number[];
  expiry_years: number;
  updated_at: UpdatedAt;
}

export type AccountKind = 'worker' | 'issuer' | 'escrow' | 'expiry' | 'partner';
export interface PointsAccountsTable {
  id: Generated<string>;
  region_id: string;
  kind: AccountKind;
  owner_id: string;
  balance: Generated<number>;
  public: Generated<boolean>;
  earning_suspended_until: Date | null;
  created_at: CreatedAt;
}

export interface PointsTransfersTable {
  id: Generated<string>;
  region_id: string;
  key: string;
  request_hash: string;
  kind: TransferKind;
  from_account: string;
  to_account: string;
  amount: number;
  reason: string;
  rule_id: string | null;
  source_type: string | null;
  source_id: string | null;
  reverses_id: string | null;
  actor_id: string | null;
  created_at: CreatedAt;
}

export interface PointsEntriesTable {
  id: Generated<number>;
  transfer_id: string;
  account_id: string;
  amount: number;
  balance_after: number | null;
  created_at: CreatedAt;
}

export interface PointsLotsTable {
  id: Generated<string>;
  account_id: string;
  transfer_id: string;
  amount: number;
  remaining: number;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface PointsLotUsesTable {
  transfer_id: string;
  lot_id: string;
  amount: number;
}

export interface PointsHoldsTable {
  id: Generated<string>;
  region_id: string;
  account_id: string;
  amount: number;
  hold_transfer_id: string;
  status: Generated<'pending' | 'posted' | 'voided'>;
  expires_at: Date;
  settled_transfer_id: string | null;
  created_at: CreatedAt;
}

export interface PointsDeductionsTable {
  id: Generated<number>;
  account_id: string;
  rule_id: string;
  transfer_id: string | null;
  created_at: CreatedAt;
}

export interface PointsClaimsTable {
  id: Generated<string>;
  region_id: string;
  worker_id: string;
  rule_id: string;
  client_key: string;
  note: string;
  occurred_on: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  review_note: string | null;
  reviewer_id: string | null;
  reviewed_at: Date | null;
  transfer_id: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
}

export interface VouchersTable {
  id: Generated<string>;
  region_id: string;
  reward_id: string;
  partner_id: string;
  worker_id: string;
  hold_id: string;
  client_key: string;
  code: string;
  points: number;
  status: Generated<'held' | 'fulfilled' | 'cancelled' | 'expired'>;
  expires_at: Date;
  fulfilled_at: Date | null;
  fulfilled_by: string | null;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  region_id: string;
  role: Role;
  phone: string | null;
  username: string | null;
  password_hash: string | null;
  name: string | null;
  status: Generated<'active' | 'disabled'>;
  department_id: string | null;
  partner_id: string | null;
  station_id: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface WorkerProfilesTable {
  user_id: string;
  /** The home community: where the worker belongs in the region tree. */
  region_id: string;
  occupation: Occupation;
  platform_company: string | null;
  vehicle: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SmsCodesTable {
  id: Generated<string>;
  phone: string;
  ip: string;
  code_hash: string;
  expires_at: Date;
  attempts: Generated<number>;
  consumed_at: Date | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: Generated<string>;
  region_id: string;
  user_id: string;
  token_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  region_id: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: Json;
  ip: string | null;
  request_id: string | null;
  created_at: CreatedAt;
}

export interface MediaTable {
  id: string;
  owner_id: string;
  sha256: string;
  width: number;
  height: number;
  bytes: number;
  attached_to: string | null;
  created_at: CreatedAt;
}

export interface AppSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface CaseCategoriesTable {
  id: Generated<string>;
  region_id: string;
  parent_id: string | null;
  code: string;
  name: string;
  department_id: string | null;
  limits: ColumnType<CategoryLimits, string, string>;
  urgent_limits: ColumnType<CategoryLimits, string, string>;
  working_hours: boolean;
  status: 'active' | 'inactive';
  sort: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CasesTable {
  id: Generated<string>;
  region_id: string;
  /** Null for a case filed from outside the app (see `source`). */
  reporter_id: string | null;
  source: Generated<CaseSource>;
  category_id: string;
  description: string;
  lat: number;
  lng: number;
  address: string | null;
  photo_ids: string[];
  urgent: Generated<boolean>;
  status: CaseStatus;
  department_id: string | null;
  grid_id: string | null;
  assignee_id: string | null;
  due_at: Date | null;
  step_started_at: Generated<Date>;
  handle_due_at: Date | null;
  requested_due_at: Date | null;
  escalation_level: Generated<number>;
  overdue_at: Date | null;
  duplicate_of: string | null;
  client_key: string | null;
  request_hash: string | null;
  result: CaseResult | null;
  outcome: string | null;
  rating: number | null;
  rating_comment: string | null;
  rework_count: Generated<number>;
  extension_count: Generated<number>;
  reopen_count: Generated<number>;
  first_dispatched_at: Date | null;
  handled_at: Date | null;
  closed_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: UpdatedAt;
}

export interface CaseEventsTable {
  id: Generated<string>;
  case_id: string;
  region_id: string;
  action: CaseAction;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor_id: string | null;
  note: string | null;
  internal: boolean;
  photo_ids: string[];
  detail: Json;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface CaseAwardsTable {
  case_id: string;
  step: 'accepted' | 'closed';
  region_id: string;
  worker_id: string;
  status: 'awarded' | 'skipped';
  rule_id: string | null;
  transfer_id: string | null;
  amount: number;
  reason: string | null;
  created_at: CreatedAt;
}

export interface CaseExternalReportersTable {
  case_id: string;
  region_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  device_id: string | null;
  account_id: string | null;
  media_url: string | null;
  created_at: CreatedAt;
}

export interface Open311RequestsTable {
  case_id: string;
  token: string;
  service_code: string;
  attributes: ColumnType<Record<string, string>, string, string>;
  address_string: string | null;
  api_key_hash: string;
  ip: string;
  created_at: CreatedAt;
}

export interface RateCountersTable {
  bucket: string;
  window_start: Date;
  hits: number;
}

export interface DB {
  regions: RegionsTable;
  departments: DepartmentsTable;
  partners: PartnersTable;
  stations: StationsTable;
  rewards: RewardsTable;
  users: UsersTable;
  worker_profiles: WorkerProfilesTable;
  sms_codes: SmsCodesTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  points_rules: PointsRulesTable;
  points_settings: PointsSettingsTable;
  points_accounts: PointsAccountsTable;
  points_transfers: PointsTransfersTable;
  points_entries: PointsEntriesTable;
  points_lots: PointsLotsTable;
  points_lot_uses: PointsLotUsesTable;
  points_holds: PointsHoldsTable;
  points_deductions: PointsDeductionsTable;
  points_claims: PointsClaimsTable;
  vouchers: VouchersTable;
  media: MediaTable;
  app_secrets: AppSecretsTable;
  rate_counters: RateCountersTable;
  case_categories: CaseCategoriesTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_awards: CaseAwardsTable;
  case_external_reporters: CaseExternalReportersTable;
  open311_requests: Open311RequestsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;

// ---- Station visits, ratings and service sessions (0009_station_visits.sql) ----
// Added to `DB` by interface merging, so other modules appending their tables do not collide.

export interface StationCheckinSecretsTable {
  station_id: string;
  region_id: string;
  secret: string;
  created_at: CreatedAt;
}

export interface StationVisitsTable {
  id: string;
  region_id: string;
  station_id: string;
  worker_id: string;
  visited_at: Date;
  code_step: number;
  client_key: string;
  created_at: CreatedAt;
}

export interface StationVisitLatestTable {
  worker_id: string;
  station_id: string;
  visit_id: string;
  visited_at: Date;
}

export interface StationVisitDailyTable {
  station_id: string;
  /** China-time calendar day, 'YYYY-MM-DD'. */
  day: string;
  region_id: string;
  visits: number;
  /** 24 counts, 00:00–00:59 first. */
  by_hour: number[];
}

export interface StationRatingsTable {
  visit_id: string;
  region_id: string;
  station_id: string;
  worker_id: string;
  stars: number;
  feedback: string;
  created_at: CreatedAt;
}

export interface StationRatingTotalsTable {
  station_id: string;
  stars_sum: number;
  ratings: number;
}

export interface StationSessionsTable {
  id: Generated<string>;
  region_id: string;
  station_id: string;
  title: string;
  service: string | null;
  provider: string;
  description: string;
  capacity: number;
  recurrence: 'once' | 'weekly';
  starts_on: string;
  until_on: string | null;
  start_time: string;
  end_time: string;
  status: Generated<'active' | 'cancelled'>;
  created_by: string;
  created_at: CreatedAt;
}

export interface StationSessionSeatsTable {
  session_id: string;
  occurs_on: string;
  booked: number;
}

export interface StationBookingsTable {
  id: Generated<string>;
  region_id: string;
  station_id: string;
  session_id: string;
  occurs_on: string;
  worker_id: string;
  client_key: string;
  status: Generated<'booked' | 'cancelled'>;
  attended: boolean | null;
  marked_by: string | null;
  marked_at: Date | null;
  cancelled_at: Date | null;
  created_at: CreatedAt;
}

export interface DB {
  station_checkin_secrets: StationCheckinSecretsTable;
  station_visits: StationVisitsTable;
  station_visit_latest: StationVisitLatestTable;
  station_visit_daily: StationVisitDailyTable;
  station_ratings: StationRatingsTable;
  station_rating_totals: StationRatingTotalsTable;
  station_sessions: StationSessionsTable;
  station_session_seats: StationSessionSeatsTable;
  station_bookings: StationBookingsTable;
}

// ---- stations registry (migrations/0008_station_registry.sql); interfaces merge with the ones above ----

export interface StationsTable {
  operator: ColumnType<string | null, string | null | undefined, string | null>;
  co_builders: ColumnType<string[], string[] | undefined, string[]>;
  holiday_open: ColumnType<boolean, boolean | undefined, boolean>;
  extended_hours: ColumnType<boolean, boolean | undefined, boolean>;
  access_mode: ColumnType<'staffed' | 'self_service', 'staffed' | 'self_service' | undefined, 'staffed' | 'self_service'>;
  area_m2: ColumnType<number | null, number | null | undefined, number | null>;
  seats: ColumnType<number | null, number | null | undefined, number | null>;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  stars: ColumnType<number | null, number | null | undefined, number | null>;
  /** 'YYYY-MM-DD' (see client.ts). */
  last_inspected_on: ColumnType<string | null, string | null | undefined, string | null>;
  accepted_inspection_id: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface StationChecklistsTable {
  id: Generated<string>;
  region_id: string;
  name: string;
  /** [{key, label, weight}] */
  items: ColumnType<Array<{ key: string; label: string; weight: number }>, string, string>;
  pass_mark: number;
  active: boolean;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StationInspectionsTable {
  id: Generated<string>;
  region_id: string;
  station_id: string;
  checklist_id: string;
  kind: 'acceptance' | 'annual';
  /** [{key, label, weight, score}] as the template said on the day. */
  items: ColumnType<Array<{ key: string; label: string; weight: number; score: number }>, string, never>;
  total: number;
  pass_mark: number;
  passed: boolean;
  stars: number;
  remarks: string;
  photo_ids: string[];
  inspector_id: string;
  /** 'YYYY-MM-DD' */
  inspected_on: string;
  created_at: CreatedAt;
}

export interface StationStatusHistoryTable {
  id: Generated<number>;
  region_id: string;
  station_id: string;
  from_status: StationsTable['status'] | null;
  to_status: StationsTable['status'];
  reason: string;
  actor_id: string | null;
  inspection_id: string | null;
  created_at: CreatedAt;
}

export interface DB {
  station_checklists: StationChecklistsTable;
  station_inspections: StationInspectionsTable;
  station_status_history: StationStatusHistoryTable;
}

// Dashboard rollups (migrations/0011_dashboard.sql): kept by triggers, read by modules/dashboard.
export interface DashCasesTable {
  grain: 'd' | 't' | 'm';
  region_id: string;
  day: ColumnType<string, string, never>;
  category_id: string | null;
  department_id: string | null;
  received: number;
  accepted: number;
  dispatched: number;
  closed: number;
  closed_on_time: number;
  reworked: number;
  extended: number;
  rated: number;
  satisfied: number;
  rating_sum: number;
  dispatch_minutes: ColumnType<string, string, string>;
  close_minutes: ColumnType<string, string, string>;
}

export interface DashCaseMinutesTable {
  grain: 't' | 'm';
  region_id: string;
  day: ColumnType<string, string, never>;
  measure: 'dispatch' | 'close';
  bucket: number;
  n: number;
}

export interface DashCaseCellsTable {
  grain: 'd' | 'm';
  region_id: string;
  day: ColumnType<string, string, never>;
  cy: number;
  cx: number;
  n: number;
}

export interface DashPointsTable {
  grain: 'd' | 'm';
  region_id: string;
  day: ColumnType<string, string, never>;
  kind: TransferKind;
  category: PointCategory | null;
  n: number;
  amount: ColumnType<string, string, string>;
  worker_net: ColumnType<string, string, string>;
}

export interface DashWorkersTable {
  grain: 't' | 'm';
  region_id: string;
  day: ColumnType<string, string, never>;
  registered: number;
}

export interface DashWorkerActivityTable {
  user_id: string;
  region_id: string;
  last_day: ColumnType<string, string, string>;
}

// Declaration merging: the rollups join the tables above without editing the list.
export interface DB {
  dash_cases: DashCasesTable;
  dash_case_minutes: DashCaseMinutesTable;
  dash_case_cells: DashCaseCellsTable;
  dash_points: DashPointsTable;
  dash_workers: DashWorkersTable;
  dash_worker_activity: DashWorkerActivityTable;
}

// ---- wishes (0014_wishes.sql) ----
// Imported here, beside the tables that use them, so this block stays one append.
import type { WishAction, WishClaimantKind, WishKind, WishStatus } from '@nuanxin/shared';

export interface WishSettingsTable {
  region_id: string;
  value_cap_yuan: number;
  claim_days: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WishesTable {
  id: Generated<string>;
  region_id: string;
  wisher_id: string;
  kind: WishKind;
  title: string;
  description: string;
  value_yuan: number;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: WishStatus;
  review_note: string | null;
  published_at: Date | null;
  claimant_kind: WishClaimantKind | null;
  claimant_user_id: string | null;
  claimant_partner_id: string | null;
  donor_name: string | null;
  claimed_at: Date | null;
  claim_expires_at: Date | null;
  expiry_warned_at: Date | null;
  fulfilled_at: Date | null;
  proof_note: string | null;
  proof_photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  confirmed_at: Date | null;
  thanks: string | null;
  thanks_public: ColumnType<boolean, boolean | undefined, boolean>;
  client_key: string | null;
  request_hash: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WishEventsTable {
  id: Generated<string>;
  wish_id: string;
  region_id: string;
  action: WishAction;
  from_status: WishStatus | null;
  to_status: WishStatus;
  actor_id: string | null;
  note: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, never>;
  detail: Json;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface DB {
  wish_settings: WishSettingsTable;
  wishes: WishesTable;
  wish_events: WishEventsTable;
}

// ---- organizations (0017_organizations.sql); merges into `DB` ----

export interface OrganizationsTable {
  id: Generated<string>;
  region_id: string;
  kind: 'party_branch' | 'volunteer_team' | 'pioneer_post';
  name: string;
  description: ColumnType<string, string | undefined, string>;
  station_id: string | null;
  status: ColumnType<'active' | 'dissolved', 'active' | 'dissolved' | undefined, 'active' | 'dissolved'>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface OrganizationStaffTable {
  organization_id: string;
  user_id: string;
  region_id: string;
  role: 'leader' | 'guide';
  created_at: CreatedAt;
}

export interface OrganizationMembersTable {
  id: Generated<string>;
  organization_id: string;
  region_id: string;
  kind: 'party_branch' | 'volunteer_team' | 'pioneer_post';
  user_id: string;
  status: 'pending' | 'verified' | 'rejected' | 'left' | 'revoked';
  party_status: 'formal' | 'probationary' | 'activist' | null;
  joined_on: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  note: ColumnType<string, string | undefined, string>;
  reason: string | null;
  added_by: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  verified_at: Date | null;
  ended_at: Date | null;
  client_key: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface GridMembersTable {
  id: Generated<string>;
  region_id: string;
  community_id: string;
  user_id: string;
  status: 'applied' | 'appointed' | 'rejected' | 'withdrawn' | 'dismissed';
  note: ColumnType<string, string | undefined, string>;
  grid_id: string | null;
  certificate_no: string | null;
  appointed_on: string | null;
  term_ends_on: string | null;
  appointed_at: Date | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Date | null;
  ended_at: Date | null;
  client_key: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DB {
  organizations: OrganizationsTable;
  organization_staff: OrganizationStaffTable;
  organization_members: OrganizationMembersTable;
  grid_members: GridMembersTable;
}

// ---- activities (0015_activities.sql); merged into `DB` like the sections above ----

export interface ActivitiesTable {
  id: Generated<string>;
  region_id: string;
  kind: 'care_visit' | 'volunteer' | 'training' | 'health_day';
  title: string;
  description: string;
  station_id: string | null;
  address: string;
  lat: number | null;
  lng: number | null;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
  enrolled: ColumnType<number, number | undefined, number>;
  audience: 'all' | 'occupations';
  occupations: string[];
  points_rule_id: string | null;
  status: ColumnType<'draft' | 'published' | 'finished' | 'cancelled', 'draft' | undefined, 'draft' | 'published' | 'finished' | 'cancelled'>;
  checkin_secret: string;
  reminded_at: ColumnType<Date | null, never, Date | null>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ActivitySignupsTable {
  id: Generated<string>;
  region_id: string;
  activity_id: string;
  worker_id: string;
  status: 'enrolled' | 'waitlisted' | 'cancelled';
  queued_at: ColumnType<Date, Date | undefined, Date>;
  pass_token: string;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ActivityAttendanceTable {
  signup_id: string;
  region_id: string;
  activity_id: string;
  worker_id: string;
  checked_in_at: Date | null;
  checked_in_by: 'worker' | 'staff' | 'confirm' | null;
  checked_out_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  checked_out_by: ColumnType<'worker' | 'staff' | null, 'worker' | 'staff' | null | undefined, 'worker' | 'staff' | null>;
  minutes: ColumnType<number | null, number | null | undefined, number | null>;
  attended: ColumnType<boolean, boolean | undefined, boolean>;
  confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  confirmed_by: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: UpdatedAt;
}

export interface DB {
  activities: ActivitiesTable;
  activity_signups: ActivitySignupsTable;
  activity_attendance: ActivityAttendanceTable;
}

// ---- Honors and stories (migrations/0018_honors.sql); merged into `DB` ----

export interface HonorRoundsTable {
  id: Generated<string>;
  region_id: string;
  title: string;
  description: ColumnType<string, string | undefined, string>;
  period_kind: 'year' | 'quarter';
  year: number;
  quarter: number | null;
  honorees: number;
  nomination_starts_at: ColumnType<Date, Date, Date>;
  nomination_ends_at: ColumnType<Date, Date, Date>;
  voting_starts_at: ColumnType<Date, Date, Date>;
  voting_ends_at: ColumnType<Date, Date, Date>;
  status: ColumnType<'draft' | 'nominating' | 'voting' | 'closed' | 'published' | 'cancelled', 'draft' | undefined, 'draft' | 'nominating' | 'voting' | 'closed' | 'published' | 'cancelled'>;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface HonorNomineesTable {
  id: Generated<string>;
  round_id: string;
  region_id: string;
  worker_id: string;
  reason: string;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  votes: ColumnType<number, number | undefined, number>;
  status: ColumnType<'active' | 'withdrawn', 'active' | undefined, 'active' | 'withdrawn'>;
  honored: ColumnType<boolean, boolean | undefined, boolean>;
  rank: ColumnType<number | null, number | null | undefined, number | null>;
  points: ColumnType<number, number | undefined, number>;
  award_refusal: ColumnType<string | null, string | null | undefined, string | null>;
  nominated_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface HonorVotesTable {
  round_id: string;
  voter_id: string;
  nominee_id: string;
  region_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface StoriesTable {
  id: Generated<string>;
  region_id: string;
  kind: 'story' | 'moment';
  title: string;
  body: string;
  cover_id: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  worker_id: string | null;
  consented: boolean;
  status: ColumnType<'draft' | 'published' | 'withdrawn', 'draft' | undefined, 'draft' | 'published' | 'withdrawn'>;
  views: ColumnType<number, number | undefined, number>;
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface DB {
  honor_rounds: HonorRoundsTable;
  honor_nominees: HonorNomineesTable;
  honor_votes: HonorVotesTable;
  stories: StoriesTable;
}

// ---- partners, donations and pledges (migrations/0016_partners.sql); interfaces merge with the ones above ----

export interface PartnersTable {
  description: ColumnType<string, string | undefined, string>;
  hours: ColumnType<string, string | undefined, string>;
  benefits: ColumnType<Array<{ type: string; text: string; schedule: string | null }>, string | undefined, string>;
  certificate_no: ColumnType<string | null, string | null | undefined, string | null>;
  certified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_by: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  rejection_reason: ColumnType<string | null, string | null | undefined, string | null>;
  suspension_reason: ColumnType<string | null, string | null | undefined, string | null>;
  expiry_notified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface PartnerEventsTable {
  id: Generated<string>;
  region_id: string;
  partner_id: string;
  from_status: string | null;
  to_status: string;
  reason: string;
  actor_id: string | null;
  created_at: CreatedAt;
}

export interface PartnerDonationsTable {
  id: Generated<string>;
  region_id: string;
  partner_id: string;
  item: string;
  quantity: number;
  unit: string;
  recipient: string;
  donated_on: string;
  note: string;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface PledgesTable {
  id: Generated<string>;
  region_id: string;
  version: number;
  title: string;
  body: string;
  published_by: string | null;
  created_at: CreatedAt;
}

export interface PledgeSignaturesTable {
  id: Generated<string>;
  pledge_id: string;
  region_id: string;
  kind: 'community' | 'property' | 'worker';
  signer_key: string;
  user_id: string | null;
  partner_id: string | null;
  display_name: string;
  created_at: CreatedAt;
}

export interface DB {
  partner_events: PartnerEventsTable;
  partner_donations: PartnerDonationsTable;
  pledges: PledgesTable;
  pledge_signatures: PledgeSignaturesTable;
}

// ---- Street guide places and the rider pass (0019_street_guide.sql) ----
// Imported here, beside the tables that use them, so this block stays one append.
import type { CompoundGuide, GateInfo, GuideKind, GuideState } from '@nuanxin/shared';

export interface GuidePlacesTable {
  id: Generated<string>;
  region_id: string;
  kind: GuideKind;
  state: ColumnType<GuideState, GuideState | undefined, GuideState>;
  name: string;
  notes: string;
  lat: number;
  lng: number;
  gate: ColumnType<GateInfo | null, string | null, string | null>;
  compound: ColumnType<CompoundGuide | null, string | null, string | null>;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  author_id: string | null;
  client_key: string | null;
  reject_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WorkerProfilesTable {
  /** When staff verified this worker's identity (核验身份); null until then. */
  identity_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  identity_verified_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RiderPassesTable {
  worker_id: string;
  region_id: string;
  pass_no: string;
  secret: string;
  photo_id: string | null;
  delivery_station: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_reason: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface RiderPassScansTable {
  id: Generated<string>;
  region_id: string;
  guard_id: string;
  worker_id: string | null;
  pass_no: string | null;
  code_step: number | null;
  result: 'ok' | 'forged' | 'expired' | 'replayed' | 'revoked' | 'unverified';
  compound_place_id: string | null;
  scanned_at: ColumnType<Date, Date | undefined, never>;
}

export interface DB {
  guide_places: GuidePlacesTable;
  rider_passes: RiderPassesTable;
  rider_pass_scans: RiderPassScansTable;
}
