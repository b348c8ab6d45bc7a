import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import {
  ADMIN_ROLES,
  ORGANIZATION_DESK_ROLES,
  badgeTokenId,
  isWithin,
  maskPersonName,
  maskPhone,
  nextGridMemberStatus,
  nextMembershipStatus,
  parseBadgeToken,
  type Badge,
  type BadgeCheck,
  type GridMember,
  type GridMemberMove,
  type Member,
  type MembershipMove,
  type MyMembership,
  type Organization,
  type OrganizationKind,
  type Role,
  type addMemberRequest,
  type appointRequest,
  type gridMemberListQuery,
  type joinRequest,
  type memberListQuery,
  type organizationChoicesQuery,
  type organizationInput,
  type organizationListQuery,
} from '@nuanxin/shared';
import { withTransaction, type Database, type Db, type Tx } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { todayCst } from '../../common/time.ts';
import type { MediaService } from '../media/media.service.ts';
import { deliver } from '../notices/inbox.ts';
import * as repo from './organizations.repository.ts';

const KIND_NAMES: Record<OrganizationKind, string> = { party_branch: '党支部', volunteer_team: '志愿服务队', pioneer_post: '先锋岗' };
const BADGE_SECRET = 'organization_badges';
/** Signature bytes in a badge token: 96 bits cannot be guessed, and the QR stays small. */
const SIGNATURE_BYTES = 12;

const isAdmin = (role: Role) => (ADMIN_ROLES as readonly Role[]).includes(role);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Organizations (党建与队伍): branches, teams and posts, their members, and part-time grid members. */
export class OrganizationsService {
  private secret: Buffer | null = null;
  private readonly clock: () => Date;

  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
    options: { clock?: () => Date } = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Loads (or creates, once for all processes) the badge-signing secret. */
  async start(): Promise<void> {
    const db = this.database.db;
    await db.insertInto('app_secrets').values({ name: BADGE_SECRET, value: randomBytes(32).toString('hex') }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const row = await db.selectFrom('app_secrets').select('value').where('name', '=', BADGE_SECRET).executeTakeFirstOrThrow();
    this.secret = Buffer.from(row.value, 'hex');
  }

  // ---- views ----

  private async toOrganizations(db: Db, rows: repo.OrganizationRow[]): Promise<Organization[]> {
    const staff = await repo.staffOf(db, rows.map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      regionId: r.region_id,
      regionName: r.region_name,
      kind: r.kind,
      name: r.name,
      description: r.description,
      stationId: r.station_id,
      stationName: r.station_name,
      status: r.status,
      staff: staff.filter((s) => s.organization_id === r.id).map((s) => ({ userId: s.user_id, name: s.name, role: s.role })),
      memberCount: Number(r.member_count ?? 0),
      pendingCount: Number(r.pending_count ?? 0),
      createdAt: r.created_at.toISOString(),
    }));
  }

  private toMyMembership(m: repo.MemberRow): MyMembership {
    return {
      id: m.id,
      organizationId: m.organization_id,
      organizationName: m.organization_name,
      kind: m.kind,
      regionName: m.region_name,
      status: m.status,
      partyStatus: m.party_status,
      joinedOn: m.joined_on,
      photos: this.media.links(m.photo_ids),
      note: m.note,
      reason: m.reason,
      verifiedAt: iso(m.verified_at),
      createdAt: m.created_at.toISOString(),
    };
  }

  private toMember(m: repo.MemberRow): Member {
    const { regionName: _regionName, ...mine } = this.toMyMembership(m);
    return { ...mine, regionId: m.region_id, userId: m.user_id, name: m.user_name, phoneMasked: maskPhone(m.user_phone), homeCommunityName: m.home_community_name, decidedByName: m.decided_by_name };
  }

  private toGridMember(g: repo.GridMemberRow, forStaff: boolean): GridMember {
    return {
      id: g.id,
      regionId: g.region_id,
      communityId: g.community_id,
      communityName: g.community_name,
      status: g.status,
      note: g.note,
      gridId: g.grid_id,
      gridName: g.grid_name,
      certificateNo: g.certificate_no,
      appointedOn: g.appointed_on,
      termEndsOn: g.term_ends_on,
      reason: g.reason,
      createdAt: g.created_at.toISOString(),
      userId: forStaff ? g.user_id : null,
      name: g.user_name,
      phoneMasked: forStaff ? maskPhone(g.user_phone) : null,
      occupation: g.occupation,
      decidedByName: g.decided_by_name,
    };
  }

  // ---- organizations (staff) ----

  async list(actor: Actor, query: z.output<typeof organizationListQuery>) {
    if (query.regionId) requireScope(actor, query.regionId);
    const db = this.database.db;
    const { total, items } = await repo.listOrganizations(db, { scope: actor.scopeId, kind: query.kind, regionId: query.regionId, status: query.status, q: query.q }, query);
    return { items: await this.toOrganizations(db, items), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: Actor, id: string): Promise<Organization> {
    const db = this.database.db;
    const row = await repo.findOrganization(db, id);
    if (!row) throw new AppError('NOT_FOUND');
    if (!isWithin(row.region_id, actor.scopeId) && !(await repo.isDesignated(db, id, actor.userId, 'leader'))) throw new AppError('OUT_OF_SCOPE');
    return (await this.toOrganizations(db, [row]))[0]!;
  }

  async create(actor: Actor, ctx: RequestContext, input: z.output<typeof organizationInput>): Promise<Organization> {
    const work = withTransaction(this.database.db, async (tx) => {
      await this.checkInput(tx, actor, input, null);
      const { id } = await tx
        .insertInto('organizations')
        .values({ region_id: input.regionId, kind: input.kind, name: input.name, description: input.description, station_id: input.stationId, created_by: actor.userId })
        .returning('id')
        .executeTakeFirstOrThrow();
      await repo.replaceStaff(tx, id, input.regionId, staffList(input));
      await audit(tx, actor, ctx, { action: 'organization.create', entity: 'organization', entityId: id, regionId: input.regionId, detail: { ...input } });
      return id;
    });
    const id = await refusingDuplicates(work, 'ORGANIZATION_NAME_TAKEN');
    return this.get(actor, id);
  }

  async update(actor: Actor, ctx: RequestContext, id: string, input: z.output<typeof organizationInput>): Promise<Organization> {
    await withTransaction(this.database.db, async (tx) => {
      const org = await repo.lockOrganization(tx, id);
      if (!org) throw new AppError('NOT_FOUND');
      requireScope(actor, org.region_id);
      if (org.status !== 'active') throw new AppError('ORGANIZATION_INACTIVE');
      // Members declared for a kind (a party branch keeps party statuses): the kind stays.
      if (input.kind !== org.kind) throw new AppError('ORGANIZATION_ILLEGAL_MOVE');
      await this.checkInput(tx, actor, input, id);
      await tx
        .updateTable('organizations')
        .set({ region_id: input.regionId, name: input.name, description: input.description, station_id: input.stationId, updated_at: this.clock() })
        .where('id', '=', id)
        .execute();
      if (input.regionId !== org.region_id) await tx.updateTable('organization_members').set({ region_id: input.regionId }).where('organization_id', '=', id).execute();
      await repo.replaceStaff(tx, id, input.regionId, staffList(input));
      await audit(tx, actor, ctx, { action: 'organization.update', entity: 'organization', entityId: id, regionId: input.regionId, detail: { ...input, fromRegionId: org.region_id } });
    });
    return this.get(actor, id);
  }

  /** Ends an organization: open declarations are turned down, verified members revoked, with the reason. */
  async dissolve(actor: Actor, ctx: RequestContext, id: string, reason: string): Promise<Organization> {
    await withTransaction(this.database.db, async (tx) => {
      const org = await repo.lockOrganization(tx, id);
      if (!org) throw new AppError('NOT_FOUND');
      requireScope(actor, org.region_id);
      if (org.status !== 'active') throw new AppError('ORGANIZATION_ILLEGAL_MOVE');
      const now = this.clock();
      await tx.updateTable('organizations').set({ status: 'dissolved', updated_at: now }).where('id', '=', id).execute();
      const ended = await tx
        .updateTable('organization_members')
        .set((eb) => ({ status: eb.case().when('status', '=', 'pending').then('rejected' as const).else('revoked' as const).end(), reason, decided_by: actor.userId, decided_at: now, ended_at: now, updated_at: now }))
        .where('organization_id', '=', id)
        .where('status', 'in', ['pending', 'verified'])
        .returning(['user_id'])
        .execute();
      await audit(tx, actor, ctx, { action: 'organization.dissolve', entity: 'organization', entityId: id, regionId: org.region_id, detail: { reason, membershipsEnded: ended.length } });
      await deliver(
        tx,
        ended.map((m) => ({ userId: m.user_id, topic: 'organization' as const, title: `${org.name}已撤销`, body: `您在${org.name}的身份已结束。原因：${reason}`, link: '/organizations' })),
      );
    });
    return this.get(actor, id);
  }

  /** Region a street or community in the actor's subtree; staff designations related to it; a station only for a post. */
  private async checkInput(tx: Tx, actor: Actor, input: z.output<typeof organizationInput>, selfId: string | null) {
    requireScope(actor, input.regionId);
    const region = await tx.selectFrom('regions').select(['id', 'level']).where('id', '=', input.regionId).executeTakeFirst();
    if (!region) throw new AppError('REGION_NOT_FOUND');
    if (region.level !== 'street' && region.level !== 'community') throw new AppError('ORGANIZATION_REGION_INVALID');
    if (input.stationId) {
      if (input.kind !== 'pioneer_post') throw new AppError('ORGANIZATION_STATION_INVALID');
      const station = await tx.selectFrom('stations').select('region_id').where('id', '=', input.stationId).executeTakeFirst();
      if (!station || !isWithin(station.region_id, input.regionId)) throw new AppError('ORGANIZATION_STATION_INVALID');
    }
    if (input.guideIds.length > 0 && input.kind !== 'party_branch') throw new AppError('ORGANIZATION_STAFF_INVALID');
    const ids = [...new Set([...input.leaderIds, ...input.guideIds])];
    const users = await repo.staffUsers(tx, ids);
    const related = (regionId: string) => isWithin(regionId, input.regionId) || isWithin(input.regionId, regionId);
    const valid = users.length === ids.length && users.every((u) => (ORGANIZATION_DESK_ROLES as readonly string[]).includes(u.role) && related(u.region_id));
    if (!valid) throw new AppError('ORGANIZATION_STAFF_INVALID');
    let same = tx.selectFrom('organizations').select('id').where('region_id', '=', input.regionId).where('kind', '=', input.kind).where('name', '=', input.name);
    if (selfId) same = same.where('id', '<>', selfId);
    if (await same.executeTakeFirst()) throw new AppError('ORGANIZATION_NAME_TAKEN');
  }

  /**
   * Whether the actor may decide on this organization's members: its designated leader, or an
   * admin over its region. Grid staff in the region who do not lead it are refused by name.
   */
  private async requireLeader(db: Db, actor: Actor, org: { id: string; region_id: string }): Promise<void> {
    if (await repo.isDesignated(db, org.id, actor.userId, 'leader')) return;
    if (!isWithin(org.region_id, actor.scopeId)) throw new AppError('OUT_OF_SCOPE');
    if (!isAdmin(actor.role)) throw new AppError('NOT_ORGANIZATION_LEADER');
  }

  // ---- memberships (worker) ----

  async choices(actor: Actor, query: z.output<typeof organizationChoicesQuery>) {
    const db = this.database.db;
    const { total, items } = await repo.listChoices(db, actor.regionId.slice(0, 6), query, query);
    return {
      items: items.map((r) => ({ id: r.id, kind: r.kind, name: r.name, description: r.description, regionName: r.region_name, stationName: r.station_name, memberCount: Number(r.member_count ?? 0) })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async mine(actor: Actor) {
    const db = this.database.db;
    const [memberships, grid] = await Promise.all([repo.membershipsOf(db, actor.userId), repo.latestGridMember(db, actor.userId)]);
    return { memberships: memberships.map((m) => this.toMyMembership(m)), gridMember: grid ? this.toGridMember(grid, false) : null };
  }

  /** 亮明身份 (or an application to a team or post): pending until its leader decides. A retry replays. */
  async join(actor: Actor, key: string, input: z.output<typeof joinRequest>): Promise<MyMembership> {
    const id = await this.joinOnce(actor, key, input);
    return this.toMyMembership((await repo.findMember(this.database.db, id))!);
  }

  private joinOnce(actor: Actor, key: string, input: z.output<typeof joinRequest>): Promise<string> {
    const work = withTransaction(this.database.db, async (tx) => {
      const earlier = await tx.selectFrom('organization_members').select(['id', 'organization_id']).where('user_id', '=', actor.userId).where('client_key', '=', key).executeTakeFirst();
      if (earlier) {
        if (earlier.organization_id !== input.organizationId) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        return earlier.id;
      }
      const org = await tx.selectFrom('organizations').selectAll().where('id', '=', input.organizationId).executeTakeFirst();
      // Riders cross streets: any organization of their district, nothing beyond it.
      if (!org || !isWithin(org.region_id, actor.regionId.slice(0, 6))) throw new AppError('NOT_FOUND');
      if (org.status !== 'active') throw new AppError('ORGANIZATION_INACTIVE');
      checkPartyDetails(org.kind, input.partyStatus, input.joinedOn, this.clock());
      if (await repo.openMembership(tx, actor.userId, org.id, org.kind)) throw new AppError('ALREADY_MEMBER');
      const { id } = await tx
        .insertInto('organization_members')
        .values({
          organization_id: org.id,
          region_id: org.region_id,
          kind: org.kind,
          user_id: actor.userId,
          status: 'pending',
          party_status: input.partyStatus,
          joined_on: input.joinedOn,
          photo_ids: input.photoIds,
          note: input.note,
          client_key: key,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.media.attach(tx, actor.userId, input.photoIds, `membership:${id}`);
      return id;
    });
    return refusingDuplicates(work, 'ALREADY_MEMBER');
  }

  /** The member withdraws a declaration or leaves. */
  async leave(actor: Actor, id: string): Promise<MyMembership> {
    await withTransaction(this.database.db, async (tx) => {
      const m = await repo.lockMember(tx, id);
      if (!m || m.user_id !== actor.userId) throw new AppError('NOT_FOUND');
      const to = nextMembershipStatus(m.status, 'leave');
      if (!to) throw new AppError('ORGANIZATION_ILLEGAL_MOVE');
      const now = this.clock();
      await tx.updateTable('organization_members').set({ status: to, ended_at: now, updated_at: now }).where('id', '=', id).execute();
    });
    return this.toMyMembership((await repo.findMember(this.database.db, id))!);
  }

  async badge(actor: Actor, id: string): Promise<Badge> {
    const m = await repo.findMember(this.database.db, id);
    if (!m || m.user_id !== actor.userId) throw new AppError('NOT_FOUND');
    if (m.status !== 'verified' || m.organization_status !== 'active' || !m.verified_at) throw new AppError('BADGE_NOT_AVAILABLE');
    return {
      membershipId: m.id,
      name: m.user_name,
      organizationName: m.organization_name,
      kind: m.kind,
      partyStatus: m.party_status,
      regionName: m.region_name,
      verifiedAt: m.verified_at.toISOString(),
      token: `${badgeTokenId(m.id)}.${this.sign(m.id)}`,
    };
  }

  /** The public check behind a badge's QR: masked name, organization and validity; nothing else. */
  async checkBadge(token: string): Promise<BadgeCheck> {
    const parsed = parseBadgeToken(token);
    if (!parsed) throw new AppError('NOT_FOUND');
    const expected = Buffer.from(this.sign(parsed.membershipId));
    const given = Buffer.from(parsed.signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError('NOT_FOUND');
    const m = await repo.findMember(this.database.db, parsed.membershipId);
    if (!m) throw new AppError('NOT_FOUND');
    const valid = m.status === 'verified' && m.organization_status === 'active';
    return {
      valid,
      maskedName: maskPersonName(m.user_name),
      organizationName: m.organization_name,
      kind: m.kind,
      regionName: m.region_name,
      verifiedOn: valid && m.verified_at ? todayCst(m.verified_at) : null,
    };
  }

  private sign(membershipId: string): string {
    if (!this.secret) throw new Error('OrganizationsService.start() was not called');
    return createHmac('sha256', this.secret).update(`badge:${membershipId}`).digest().subarray(0, SIGNATURE_BYTES).toString('base64url');
  }

  // ---- memberships (staff) ----

  /** Members and the queue; phones masked, and the read is audited (it shows who is a party member). */
  async members(actor: Actor, ctx: RequestContext, query: z.output<typeof memberListQuery>) {
    if (query.regionId) requireScope(actor, query.regionId);
    return withTransaction(this.database.db, async (tx) => {
      const led = await tx.selectFrom('organization_staff').select('organization_id').where('user_id', '=', actor.userId).where('role', '=', 'leader').execute();
      const organizationIds = led.map((r) => r.organization_id);
      // Admins see their subtree; grid staff only the organizations they lead.
      const scope = isAdmin(actor.role) ? actor.scopeId : null;
      const { total, items } = await repo.listMembers(tx, { scope, organizationIds, organizationId: query.organizationId, kind: query.kind, status: query.status, partyStatus: query.partyStatus, regionId: query.regionId, q: query.q }, query);
      await audit(tx, actor, ctx, {
        action: 'organization.members.read',
        entity: 'user',
        regionId: query.regionId ?? actor.scopeId,
        detail: { filter: { ...query }, shown: items.length, ids: items.map((m) => m.user_id) },
      });
      return { items: items.map((m) => this.toMember(m)), total, page: query.page, pageSize: query.pageSize };
    });
  }

  async verify(actor: Actor, ctx: RequestContext, id: string, partyStatus: 'formal' | 'probationary' | 'activist' | undefined): Promise<Member> {
    return this.decide(actor, ctx, id, 'verify', { partyStatus });
  }

  async reject(actor: Actor, ctx: RequestContext, id: string, reason: string): Promise<Member> {
    return this.decide(actor, ctx, id, 'reject', { reason });
  }

  async revoke(actor: Actor, ctx: RequestContext, id: string, reason: string): Promise<Member> {
    return this.decide(actor, ctx, id, 'revoke', { reason });
  }

  private async decide(actor: Actor, ctx: RequestContext, id: string, move: Exclude<MembershipMove, 'leave'>, extra: { partyStatus?: 'formal' | 'probationary' | 'activist' | undefined; reason?: string }): Promise<Member> {
    await withTransaction(this.database.db, async (tx) => {
      const m = await repo.lockMember(tx, id);
      if (!m) throw new AppError('NOT_FOUND');
      const org = (await repo.lockOrganization(tx, m.organization_id))!;
      await this.requireLeader(tx, actor, org);
      if (org.status !== 'active') throw new AppError('ORGANIZATION_INACTIVE');
      const to = nextMembershipStatus(m.status, move);
      if (!to) throw new AppError('ORGANIZATION_ILLEGAL_MOVE', { from: m.status, move });
      const now = this.clock();
      const partyStatus = m.kind === 'party_branch' && extra.partyStatus ? extra.partyStatus : m.party_status;
      await tx
        .updateTable('organization_members')
        .set({
          status: to,
          party_status: partyStatus,
          reason: extra.reason ?? null,
          decided_by: actor.userId,
          decided_at: now,
          ...(to === 'verified' ? { verified_at: now } : { ended_at: now }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await audit(tx, actor, ctx, { action: `organization.member.${move}`, entity: 'organization_member', entityId: id, regionId: m.region_id, detail: { organizationId: org.id, userId: m.user_id, from: m.status, to, ...extra } });
      const what = m.kind === 'party_branch' ? '党员身份' : `加入${KIND_NAMES[m.kind]}的申请`;
      const messages = {
        verify: { title: `${org.name}：${what}已通过`, body: m.kind === 'party_branch' ? '您的党员身份已核实，可在“我的组织”亮出党员徽章。' : `欢迎加入${org.name}。` },
        reject: { title: `${org.name}：${what}未通过`, body: `原因：${extra.reason ?? ''}` },
        revoke: { title: `${org.name}：成员身份已撤销`, body: `原因：${extra.reason ?? ''}` },
      }[move];
      await deliver(tx, [{ userId: m.user_id, topic: 'organization', ...messages, link: '/organizations' }]);
    });
    return this.toMember((await repo.findMember(this.database.db, id))!);
  }

  /** A leader or admin adds a worker as a verified member (a team's roster, a branch's known members). */
  async addMember(actor: Actor, ctx: RequestContext, organizationId: string, input: z.output<typeof addMemberRequest>): Promise<Member> {
    const id = await withTransaction(this.database.db, async (tx) => {
      const org = await repo.lockOrganization(tx, organizationId);
      if (!org) throw new AppError('NOT_FOUND');
      await this.requireLeader(tx, actor, org);
      if (org.status !== 'active') throw new AppError('ORGANIZATION_INACTIVE');
      const worker = await tx.selectFrom('users as u').innerJoin('worker_profiles as wp', 'wp.user_id', 'u.id').select(['u.id', 'u.region_id']).where('u.id', '=', input.userId).where('u.role', '=', 'worker').where('u.status', '=', 'active').executeTakeFirst();
      if (!worker || !(isWithin(worker.region_id, actor.scopeId) || isWithin(worker.region_id, org.region_id))) throw new AppError('MEMBER_NOT_ELIGIBLE');
      checkPartyDetails(org.kind, input.partyStatus, input.joinedOn, this.clock());
      if (await repo.openMembership(tx, worker.id, org.id, org.kind)) throw new AppError('ALREADY_MEMBER');
      const now = this.clock();
      const { id } = await tx
        .insertInto('organization_members')
        .values({ organization_id: org.id, region_id: org.region_id, kind: org.kind, user_id: worker.id, status: 'verified', party_status: input.partyStatus, joined_on: input.joinedOn, added_by: actor.userId, decided_by: actor.userId, decided_at: now, verified_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(tx, actor, ctx, { action: 'organization.member.add', entity: 'organization_member', entityId: id, regionId: org.region_id, detail: { organizationId: org.id, userId: worker.id, partyStatus: input.partyStatus } });
      await deliver(tx, [{ userId: worker.id, topic: 'organization', title: `您已加入${org.name}`, body: `${org.name}已将您登记为成员。`, link: '/organizations' }]);
      return id;
    });
    return this.toMember((await repo.findMember(this.database.db, id))!);
  }

  // ---- grid members ----

  /** A worker applies to be a part-time grid member of their home community. A retry replays. */
  async applyGridMember(actor: Actor, key: string, note: string): Promise<GridMember> {
    if (actor.regionId.length !== 12) throw new AppError('REGION_NOT_COMMUNITY');
    const work = withTransaction(this.database.db, async (tx) => {
      const earlier = await tx.selectFrom('grid_members').select('id').where('user_id', '=', actor.userId).where('client_key', '=', key).executeTakeFirst();
      if (earlier) return earlier.id;
      const open = await tx.selectFrom('grid_members').select('id').where('user_id', '=', actor.userId).where('status', 'in', ['applied', 'appointed']).executeTakeFirst();
      if (open) throw new AppError('GRID_MEMBER_ALREADY_APPLIED');
      const { id } = await tx
        .insertInto('grid_members')
        .values({ region_id: actor.regionId, community_id: actor.regionId, user_id: actor.userId, status: 'applied', note, client_key: key })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    });
    const id = await refusingDuplicates(work, 'GRID_MEMBER_ALREADY_APPLIED');
    return this.toGridMember((await repo.findGridMember(this.database.db, id))!, false);
  }

  async withdrawGridMember(actor: Actor, id: string): Promise<GridMember> {
    await withTransaction(this.database.db, async (tx) => {
      const g = await repo.lockGridMember(tx, id);
      if (!g || g.user_id !== actor.userId) throw new AppError('NOT_FOUND');
      this.moveGridMember(g.status, 'withdraw');
      const now = this.clock();
      await tx.updateTable('grid_members').set({ status: 'withdrawn', ended_at: now, updated_at: now }).where('id', '=', id).execute();
    });
    return this.toGridMember((await repo.findGridMember(this.database.db, id))!, false);
  }

  private moveGridMember(from: repo.GridMemberRow['status'], move: GridMemberMove) {
    const to = nextGridMemberStatus(from, move);
    if (!to) throw new AppError('ORGANIZATION_ILLEGAL_MOVE', { from, move });
    return to;
  }

  async gridMembers(actor: Actor, ctx: RequestContext, query: z.output<typeof gridMemberListQuery>) {
    if (query.regionId) requireScope(actor, query.regionId);
    return withTransaction(this.database.db, async (tx) => {
      const { total, items } = await repo.listGridMembers(tx, { scope: actor.scopeId, status: query.status, regionId: query.regionId, q: query.q }, query);
      await audit(tx, actor, ctx, { action: 'organization.grid_members.read', entity: 'user', regionId: query.regionId ?? actor.scopeId, detail: { filter: { ...query }, shown: items.length, ids: items.map((g) => g.user_id) } });
      return { items: items.map((g) => this.toGridMember(g, true)), total, page: query.page, pageSize: query.pageSize };
    });
  }

  /** Appoints an applicant to a grid of their community with a certificate (numbered by the server unless given). */
  async appoint(actor: Actor, ctx: RequestContext, id: string, input: z.output<typeof appointRequest>): Promise<GridMember> {
    await withTransaction(this.database.db, async (tx) => {
      const g = await repo.lockGridMember(tx, id);
      if (!g) throw new AppError('NOT_FOUND');
      requireScope(actor, g.region_id);
      this.moveGridMember(g.status, 'appoint');
      const grid = await tx.selectFrom('regions').select(['id', 'parent_id', 'level', 'name']).where('id', '=', input.gridId).executeTakeFirst();
      if (!grid || grid.level !== 'grid' || grid.parent_id !== g.community_id) throw new AppError('GRID_INVALID');
      if (input.termEndsOn <= input.appointedOn) throw new AppError('CERTIFICATE_TERM_INVALID');
      let certificateNo = input.certificateNo;
      if (certificateNo) {
        if (await tx.selectFrom('grid_members').select('id').where('certificate_no', '=', certificateNo).executeTakeFirst()) throw new AppError('CERTIFICATE_NO_TAKEN');
      } else {
        certificateNo = await repo.nextCertificateNo(tx, grid.id, input.appointedOn.slice(0, 4));
      }
      const now = this.clock();
      await tx
        .updateTable('grid_members')
        .set({ status: 'appointed', region_id: grid.id, grid_id: grid.id, certificate_no: certificateNo, appointed_on: input.appointedOn, term_ends_on: input.termEndsOn, appointed_at: now, decided_by: actor.userId, decided_at: now, updated_at: now })
        .where('id', '=', id)
        .execute();
      await audit(tx, actor, ctx, { action: 'organization.grid_member.appoint', entity: 'grid_member', entityId: id, regionId: grid.id, detail: { userId: g.user_id, gridId: grid.id, certificateNo, appointedOn: input.appointedOn, termEndsOn: input.termEndsOn } });
      await deliver(tx, [{ userId: g.user_id, topic: 'organization', title: '您已被聘为兼职网格员', body: `聘任网格：${grid.name}，证书编号 ${certificateNo}，任期至 ${input.termEndsOn}。`, link: '/organizations/certificate' }]);
    });
    return this.toGridMember((await repo.findGridMember(this.database.db, id))!, true);
  }

  async rejectGridMember(actor: Actor, ctx: RequestContext, id: string, reason: string): Promise<GridMember> {
    return this.endGridMember(actor, ctx, id, 'reject', reason);
  }

  async dismiss(actor: Actor, ctx: RequestContext, id: string, reason: string): Promise<GridMember> {
    return this.endGridMember(actor, ctx, id, 'dismiss', reason);
  }

  private async endGridMember(actor: Actor, ctx: RequestContext, id: string, move: 'reject' | 'dismiss', reason: string): Promise<GridMember> {
    await withTransaction(this.database.db, async (tx) => {
      const g = await repo.lockGridMember(tx, id);
      if (!g) throw new AppError('NOT_FOUND');
      requireScope(actor, g.region_id);
      const to = this.moveGridMember(g.status, move);
      const now = this.clock();
      await tx.updateTable('grid_members').set({ status: to, reason, decided_by: actor.userId, decided_at: now, ended_at: now, updated_at: now }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: `organization.grid_member.${move}`, entity: 'grid_member', entityId: id, regionId: g.region_id, detail: { userId: g.user_id, from: g.status, to, reason } });
      const title = move === 'reject' ? '兼职网格员申请未通过' : '您的兼职网格员聘任已解除';
      await deliver(tx, [{ userId: g.user_id, topic: 'organization', title, body: `原因：${reason}`, link: '/organizations' }]);
    });
    return this.toGridMember((await repo.findGridMember(this.database.db, id))!, true);
  }

  // ---- counts ----

  /** Counts per child region (streets of a district, communities of a street), and their total. */
  async stats(actor: Actor, regionId: string | undefined) {
    const root = regionId ?? actor.scopeId;
    requireScope(actor, root);
    const db = this.database.db;
    const { children, orgs, members, grid } = await repo.statsByRegion(db, root);
    const self = await db.selectFrom('regions').select(['id', 'name']).where('id', '=', root).executeTakeFirst();
    if (!self) throw new AppError('REGION_NOT_FOUND');
    const rowOf = (id: string, name: string) => {
      const mine = <T extends { key: string }>(rows: T[]) => rows.filter((r) => r.key.startsWith(id));
      const count = <T extends { key: string; n: number }>(rows: T[], pick: (r: T) => boolean) => mine(rows).filter(pick).reduce((s, r) => s + Number(r.n), 0);
      return {
        regionId: id,
        regionName: name,
        branches: count(orgs, (r) => r.kind === 'party_branch'),
        verifiedMembers: count(members, (r) => r.kind === 'party_branch' && r.status === 'verified' && r.party_status !== 'activist'),
        activists: count(members, (r) => r.kind === 'party_branch' && r.status === 'verified' && r.party_status === 'activist'),
        teams: count(orgs, (r) => r.kind === 'volunteer_team'),
        teamMembers: count(members, (r) => r.kind === 'volunteer_team' && r.status === 'verified'),
        pioneerPosts: count(orgs, (r) => r.kind === 'pioneer_post'),
        gridMembers: count(grid, () => true),
        pending: count(members, (r) => r.status === 'pending'),
      };
    };
    // Rows grouped by the prefix one level down: a record on the root itself (a street's own branch) counts only in the total.
    const rows = children.map((c) => rowOf(c.id, c.name));
    return { total: rowOf(root, self.name), rows };
  }
}

/** A unique index refusing a racing twin (two taps, two processes) becomes the refusal the first check would have given. */
async function refusingDuplicates<T>(work: Promise<T>, code: 'ALREADY_MEMBER' | 'GRID_MEMBER_ALREADY_APPLIED' | 'ORGANIZATION_NAME_TAKEN'): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if ((err as { code?: unknown }).code === '23505') throw new AppError(code);
    throw err;
  }
}

function staffList(input: z.output<typeof organizationInput>) {
  return [...input.leaderIds.map((userId) => ({ userId, role: 'leader' as const })), ...input.guideIds.map((userId) => ({ userId, role: 'guide' as const }))];
}

/** A party branch needs the party status and a join date not in the future; teams and posts take neither. */
function checkPartyDetails(kind: OrganizationKind, partyStatus: string | null, joinedOn: string | null, now: Date) {
  const party = kind === 'party_branch';
  if (party !== (partyStatus !== null) || party !== (joinedOn !== null)) throw new AppError('PARTY_DETAILS_REQUIRED');
  if (joinedOn && joinedOn > todayCst(now)) throw new AppError('PARTY_DETAILS_REQUIRED');
}
