import { z } from 'zod';
import { ADMIN_ROLES, regionIdSchema, type Role } from './identity.ts';
import { dateSchema, noteText, pageOf, pageQuery, plainText } from './text.ts';

// ---- Organizations (党建与队伍) ----

/** 流动党员党支部, 志愿服务队, 先锋岗. */
export const ORGANIZATION_KINDS = ['party_branch', 'volunteer_team', 'pioneer_post'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export const ORGANIZATION_STATUSES = ['active', 'dissolved'] as const;
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

/** 正式党员, 预备党员, 入党积极分子. */
export const PARTY_STATUSES = ['formal', 'probationary', 'activist'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];

/** Staff designations on an organization: its leader (支部书记 / 队长 / 岗长) and party guides (党建指导员). */
export const ORGANIZATION_STAFF_ROLES = ['leader', 'guide'] as const;

/** Staff who may be designated and act on organizations: grid staff by designation, admins over their subtree. */
export const ORGANIZATION_DESK_ROLES = ['grid_staff', ...ADMIN_ROLES] as const satisfies readonly Role[];
/** Who creates and edits organizations and appoints grid members: admins over their subtree. */
export const ORGANIZATION_ADMIN_ROLES = ADMIN_ROLES;

// ---- Membership (亮明身份 / 入队) ----

export const MEMBERSHIP_STATUSES = ['pending', 'verified', 'rejected', 'left', 'revoked'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];
export type MembershipMove = 'verify' | 'reject' | 'leave' | 'revoke';
/** pending → verified | rejected; verified → left (by the member) | revoked (by the leader); nothing else. */
export const MEMBERSHIP_MOVES: Record<MembershipMove, { from: readonly MembershipStatus[]; to: MembershipStatus }> = {
  verify: { from: ['pending'], to: 'verified' },
  reject: { from: ['pending'], to: 'rejected' },
  leave: { from: ['pending', 'verified'], to: 'left' },
  revoke: { from: ['verified'], to: 'revoked' },
};

// ---- Part-time grid members (兼职网格员 / 微网格员) ----

export const GRID_MEMBER_STATUSES = ['applied', 'appointed', 'rejected', 'withdrawn', 'dismissed'] as const;
export type GridMemberStatus = (typeof GRID_MEMBER_STATUSES)[number];
export type GridMemberMove = 'appoint' | 'reject' | 'withdraw' | 'dismiss';
/** applied → appointed | rejected | withdrawn; appointed → dismissed; nothing else. */
export const GRID_MEMBER_MOVES: Record<GridMemberMove, { from: readonly GridMemberStatus[]; to: GridMemberStatus }> = {
  appoint: { from: ['applied'], to: 'appointed' },
  reject: { from: ['applied'], to: 'rejected' },
  withdraw: { from: ['applied'], to: 'withdrawn' },
  dismiss: { from: ['appointed'], to: 'dismissed' },
};

/** The next status, or null when the machine has no such move. */
export function nextMembershipStatus(from: MembershipStatus, move: MembershipMove): MembershipStatus | null {
  return MEMBERSHIP_MOVES[move].from.includes(from) ? MEMBERSHIP_MOVES[move].to : null;
}
export function nextGridMemberStatus(from: GridMemberStatus, move: GridMemberMove): GridMemberStatus | null {
  return GRID_MEMBER_MOVES[move].from.includes(from) ? GRID_MEMBER_MOVES[move].to : null;
}

/** A masked name for the public badge check: 张* / 欧阳** — the surname only. */
export function maskPersonName(name: string | null | undefined): string {
  const chars = Array.from((name ?? '').trim());
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

// ---- Schemas ----

const staffRef = z.object({ userId: z.uuid(), name: z.string().nullable(), role: z.enum(ORGANIZATION_STAFF_ROLES) });

export const organizationSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  regionName: z.string(),
  kind: z.enum(ORGANIZATION_KINDS),
  name: z.string(),
  description: z.string(),
  stationId: z.uuid().nullable(),
  stationName: z.string().nullable(),
  status: z.enum(ORGANIZATION_STATUSES),
  staff: z.array(staffRef),
  /** Verified members. */
  memberCount: z.number().int(),
  /** Declarations and applications waiting for a decision. */
  pendingCount: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type Organization = z.infer<typeof organizationSchema>;

export const organizationInput = z.strictObject({
  regionId: regionIdSchema,
  kind: z.enum(ORGANIZATION_KINDS),
  name: plainText(40, 2),
  description: noteText(500).default(''),
  stationId: z.uuid().nullable().default(null),
  /** Staff users who lead it (支部书记 / 队长 / 岗长): they verify members. */
  leaderIds: z.array(z.uuid()).max(5).default([]),
  /** 党建指导员 (party branches only). */
  guideIds: z.array(z.uuid()).max(5).default([]),
});
export type OrganizationInput = z.input<typeof organizationInput>;

export const organizationListQuery = pageQuery.extend({
  kind: z.enum(ORGANIZATION_KINDS).optional(),
  regionId: regionIdSchema.optional(),
  status: z.enum(ORGANIZATION_STATUSES).optional(),
  q: plainText(40).optional(),
});
export const organizationListResponse = pageOf(organizationSchema);

/** What a worker may join: active organizations of their district, nickname-free. */
export const organizationChoiceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ORGANIZATION_KINDS),
  name: z.string(),
  description: z.string(),
  regionName: z.string(),
  stationName: z.string().nullable(),
  memberCount: z.number().int(),
});
export const organizationChoicesQuery = pageQuery.extend({
  kind: z.enum(ORGANIZATION_KINDS).optional(),
  q: plainText(40).optional(),
});
export const organizationChoicesResponse = pageOf(organizationChoiceSchema);

const photoRef = z.object({ id: z.uuid(), url: z.string(), thumbUrl: z.string() });

/** A membership as its member sees it. */
export const myMembershipSchema = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  organizationName: z.string(),
  kind: z.enum(ORGANIZATION_KINDS),
  regionName: z.string(),
  status: z.enum(MEMBERSHIP_STATUSES),
  partyStatus: z.enum(PARTY_STATUSES).nullable(),
  joinedOn: dateSchema.nullable(),
  photos: z.array(photoRef),
  note: z.string(),
  reason: z.string().nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type MyMembership = z.infer<typeof myMembershipSchema>;

/** A membership as staff see it: name and a masked phone only. */
export const memberSchema = myMembershipSchema.omit({ regionName: true }).extend({
  regionId: regionIdSchema,
  userId: z.uuid(),
  name: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  homeCommunityName: z.string().nullable(),
  decidedByName: z.string().nullable(),
});
export type Member = z.infer<typeof memberSchema>;

export const memberListQuery = pageQuery.extend({
  organizationId: z.uuid().optional(),
  kind: z.enum(ORGANIZATION_KINDS).optional(),
  status: z.enum(MEMBERSHIP_STATUSES).optional(),
  partyStatus: z.enum(PARTY_STATUSES).optional(),
  regionId: regionIdSchema.optional(),
  q: plainText(40).optional(),
});
export const memberListResponse = pageOf(memberSchema);

/** 亮明身份 for a party branch (partyStatus and joinedOn required), or an application to a team. */
export const joinRequest = z.strictObject({
  organizationId: z.uuid(),
  partyStatus: z.enum(PARTY_STATUSES).nullable().default(null),
  joinedOn: dateSchema.nullable().default(null),
  photoIds: z.array(z.uuid()).max(3).default([]),
  note: noteText(200).default(''),
});
export type JoinRequest = z.input<typeof joinRequest>;

export const addMemberRequest = z.strictObject({
  userId: z.uuid(),
  partyStatus: z.enum(PARTY_STATUSES).nullable().default(null),
  joinedOn: dateSchema.nullable().default(null),
});
export const verifyMemberRequest = z.strictObject({
  /** The leader may correct the declared status (e.g. 预备 → 正式). */
  partyStatus: z.enum(PARTY_STATUSES).optional(),
});
export const organizationReasonRequest = z.strictObject({ reason: noteText(200, 2) });

/** The badge a verified member shows (亮身份): name, organization, verified date and a check link. */
export const badgeSchema = z.object({
  membershipId: z.uuid(),
  name: z.string().nullable(),
  organizationName: z.string(),
  kind: z.enum(ORGANIZATION_KINDS),
  partyStatus: z.enum(PARTY_STATUSES).nullable(),
  regionName: z.string(),
  verifiedAt: z.iso.datetime(),
  /** Signed; the public check page takes it. */
  token: z.string(),
});
export type Badge = z.infer<typeof badgeSchema>;

/** What anyone scanning a badge learns: masked name, organization, whether it is valid. No phone, no id. */
export const badgeCheckSchema = z.object({
  valid: z.boolean(),
  maskedName: z.string(),
  organizationName: z.string(),
  kind: z.enum(ORGANIZATION_KINDS),
  regionName: z.string(),
  verifiedOn: dateSchema.nullable(),
});
export type BadgeCheck = z.infer<typeof badgeCheckSchema>;
export const badgeTokenParams = z.strictObject({ token: z.string().min(1).max(200) });

// Badge tokens: base64url of the 16 membership-id bytes, a dot, base64url of a 12-byte signature.
const BADGE_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{16})$/;

/** The membership id and signature in a badge token, or null for anything else. */
export function parseBadgeToken(token: string): { membershipId: string; signature: string } | null {
  const match = BADGE_TOKEN.exec(token);
  if (!match) return null;
  const hex = base64UrlToHex(match[1]!);
  if (hex?.length !== 32) return null;
  const membershipId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { membershipId, signature: match[2]! };
}

/** The id part of a badge token (the inverse of `parseBadgeToken` for the id). */
export function badgeTokenId(membershipId: string): string {
  return hexToBase64Url(membershipId.replaceAll('-', '').toLowerCase());
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function hexToBase64Url(hex: string): string {
  let bits = '';
  for (const c of hex) bits += parseInt(c, 16).toString(2).padStart(4, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += B64[parseInt(bits.slice(i, i + 6).padEnd(6, '0'), 2)];
  return out;
}
function base64UrlToHex(text: string): string | null {
  let bits = '';
  for (const c of text) {
    const v = B64.indexOf(c);
    if (v < 0) return null;
    bits += v.toString(2).padStart(6, '0');
  }
  const usable = bits.length - (bits.length % 8);
  // Canonical only: the padding bits of the last character must be zero.
  if (/1/.test(bits.slice(usable))) return null;
  let hex = '';
  for (let i = 0; i < usable; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/** The public check page a badge's QR opens. */
export function badgeCheckLink(origin: string, token: string): string {
  return `${origin}/badge/${encodeURIComponent(token)}`;
}

// ---- Grid members ----

export const gridMemberSchema = z.object({
  id: z.uuid(),
  regionId: regionIdSchema,
  communityId: regionIdSchema,
  communityName: z.string(),
  status: z.enum(GRID_MEMBER_STATUSES),
  note: z.string(),
  gridId: regionIdSchema.nullable(),
  gridName: z.string().nullable(),
  certificateNo: z.string().nullable(),
  appointedOn: dateSchema.nullable(),
  termEndsOn: dateSchema.nullable(),
  reason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** Staff views only. */
  userId: z.uuid().nullable(),
  name: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  occupation: z.string().nullable(),
  decidedByName: z.string().nullable(),
});
export type GridMember = z.infer<typeof gridMemberSchema>;

export const gridMemberApplyRequest = z.strictObject({ note: noteText(200).default('') });
export const gridMemberListQuery = pageQuery.extend({
  status: z.enum(GRID_MEMBER_STATUSES).optional(),
  regionId: regionIdSchema.optional(),
  q: plainText(40).optional(),
});
export const gridMemberListResponse = pageOf(gridMemberSchema);
export const appointRequest = z.strictObject({
  gridId: regionIdSchema.refine((id) => id.length === 15, { message: 'grid' }),
  /** Left out: the server numbers it (网格-年份-序号). */
  certificateNo: plainText(40, 4).optional(),
  appointedOn: dateSchema,
  termEndsOn: dateSchema,
});

/** What a worker sees on 我的组织. */
export const myOrganizationsSchema = z.object({
  memberships: z.array(myMembershipSchema),
  gridMember: gridMemberSchema.nullable(),
});

// ---- Counts per region ----

export const organizationStatsRow = z.object({
  regionId: regionIdSchema,
  regionName: z.string(),
  branches: z.number().int(),
  verifiedMembers: z.number().int(),
  activists: z.number().int(),
  teams: z.number().int(),
  teamMembers: z.number().int(),
  pioneerPosts: z.number().int(),
  gridMembers: z.number().int(),
  pending: z.number().int(),
});
export const organizationStatsQuery = z.strictObject({ regionId: regionIdSchema.optional() });
export const organizationStatsResponse = z.object({ total: organizationStatsRow, rows: z.array(organizationStatsRow) });
export const organizationIdParams = z.strictObject({ id: z.uuid() });
