import { z } from 'zod';
import { pageOf, pageQuery, phoneSchema, plainText } from './text.ts';

export const REGION_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/**
 * Region ids are hierarchical codes (区划代码 style): district 6 digits, each level below adds 3.
 * So "is inside" is a prefix test, in SQL (`LIKE 'code%'`) and here.
 */
export const regionIdSchema = z.string().regex(/^\d{6}(\d{3}){0,3}$/, 'region code');
export function regionLevelOf(id: string): RegionLevel {
  return REGION_LEVELS[(id.length - 6) / 3] as RegionLevel;
}
export function isWithin(regionId: string, scopeId: string): boolean {
  return regionId.startsWith(scopeId);
}

/**
 * The subtree a person acts over. Workers belong to a community (not a grid), so grid staff look
 * after the workers of their grid's community; everyone else acts over their own region.
 */
export function actingScope(role: string, regionId: string): string {
  return role === 'grid_staff' && regionId.length === 15 ? regionId.slice(0, 12) : regionId;
}

export const ROLES = [
  'worker',
  'grid_staff',
  'community_admin',
  'street_admin',
  'district_admin',
  'department_handler',
  'partner_staff',
  'station_keeper',
] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ROLES.filter((r) => r !== 'worker') as Exclude<Role, 'worker'>[];
/** Roles that manage people in their region subtree. */
export const ADMIN_ROLES = ['community_admin', 'street_admin', 'district_admin'] as const satisfies readonly Role[];
/** Staff who may read personal data of people in their region (each read is audited). */
export const PEOPLE_READER_ROLES = ['grid_staff', ...ADMIN_ROLES] as const satisfies readonly Role[];

export const OCCUPATIONS = ['rider', 'courier', 'driver', 'trucker', 'outdoor', 'other'] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

export const regionSchema = z.object({
  id: regionIdSchema,
  parentId: regionIdSchema.nullable(),
  level: z.enum(REGION_LEVELS),
  name: z.string(),
});
export type Region = z.infer<typeof regionSchema>;

/** A government department cases are dispatched to (区城管局, 街道执法队 …): public, like the region tree. */
export const departmentSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  name: z.string(),
  kind: z.string(),
});
export type Department = z.infer<typeof departmentSchema>;

export const workerProfileSchema = z.object({
  occupation: z.enum(OCCUPATIONS),
  platformCompany: z.string().nullable(),
  vehicle: z.string().nullable(),
  homeCommunityId: regionIdSchema,
  homeCommunityName: z.string(),
});

/** What every view of a person shows; the phone only ever masked. */
const personFields = {
  id: z.uuid(),
  role: z.enum(ROLES),
  name: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  username: z.string().nullable(),
  regionId: regionIdSchema,
  regionName: z.string(),
  status: z.enum(['active', 'disabled']),
};

export const userSchema = z.object({
  ...personFields,
  profileComplete: z.boolean(),
  profile: workerProfileSchema.nullable(),
  organization: z.string().nullable().describe('department or partner the staff member works for'),
  stationId: z.string().nullable().describe('the station a station keeper keeps'),
});
export type User = z.infer<typeof userSchema>;

export const smsCodeRequest = z.strictObject({ phone: phoneSchema });
export const smsLoginRequest = z.strictObject({ phone: phoneSchema, code: z.string().regex(/^\d{6}$/, '6 digits') });
export const passwordLoginRequest = z.strictObject({
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'username'),
  password: z.string().min(1).max(128),
});
export const loginRequest = z.union([smsLoginRequest, passwordLoginRequest]);
export type LoginRequest = z.infer<typeof loginRequest>;
export const loginResponse = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: userSchema });

export const workerProfileRequest = z.strictObject({
  name: plainText(20),
  occupation: z.enum(OCCUPATIONS),
  platformCompany: plainText(40).nullable().default(null),
  vehicle: plainText(40).nullable().default(null),
  homeCommunityId: regionIdSchema,
});
export type WorkerProfileRequest = z.input<typeof workerProfileRequest>;

export const userSummarySchema = z.object({
  ...personFields,
  occupation: z.enum(OCCUPATIONS).nullable(),
  createdAt: z.iso.datetime(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;

export const userListQuery = pageQuery.extend({
  role: z.enum(ROLES).optional(),
  regionId: regionIdSchema.optional(),
  q: plainText(40).optional(),
});
export const userListResponse = pageOf(userSummarySchema);
export const userStatusRequest = z.strictObject({ status: z.enum(['active', 'disabled']) });
export const userIdParams = z.strictObject({ id: z.uuid() });

export const auditEntrySchema = z.object({
  id: z.string(),
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  regionId: regionIdSchema,
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export const auditListQuery = pageQuery.extend({ action: z.string().max(60).optional() });
export const auditListResponse = pageOf(auditEntrySchema);

/** Figures for the console home screen of a staff member, within their region. */
export const scopeSummarySchema = z.object({
  regionId: regionIdSchema,
  regionName: z.string(),
  workers: z.number().int(),
  workersThisMonth: z.number().int(),
  staff: z.number().int(),
  stations: z.number().int(),
  partners: z.number().int(),
  communities: z.number().int(),
});

/** 注销: the worker confirms by typing the word, so a stray tap cannot delete an account. */
export const deleteAccountRequest = z.strictObject({ confirm: z.literal('注销') });
