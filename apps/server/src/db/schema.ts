import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { Occupation, RegionLevel, Role } from '@nuanxin/shared';

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
  status: 'applied' | 'certified' | 'suspended';
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
  points_price: number;
  stock: number;
  per_person_limit: number;
  status: 'draft' | 'published' | 'withdrawn';
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
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
