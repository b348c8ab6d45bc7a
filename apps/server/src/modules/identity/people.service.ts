import { maskPhone, type UserSummary } from '@nuanxin/shared';
import { withTransaction, type Database } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import * as repo from './identity.repository.ts';
import { announceUserChanged, type SessionAuthenticator } from './sessions.ts';

interface Page {
  page: number;
  pageSize: number;
}

function toSummary(row: repo.PersonRow): UserSummary {
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    phoneMasked: maskPhone(row.phone),
    username: row.username,
    regionId: row.region_id,
    regionName: row.region_name,
    status: row.status,
    occupation: row.occupation,
    createdAt: row.created_at.toISOString(),
  };
}

/** Staff looking after the people of their region: lists, disabling, forced logout, audit log. */
export class PeopleService {
  constructor(
    private readonly database: Database,
    private readonly sessions: SessionAuthenticator,
  ) {}

  /** Phones are masked; the read itself is audited because it shows who lives and works where. */
  async list(actor: Actor, ctx: RequestContext, filter: Omit<repo.PeopleFilter, 'scope'>, page: Page) {
    if (filter.regionId) requireScope(actor, filter.regionId);
    return withTransaction(this.database.db, async (tx) => {
      const result = await repo.listPeople(tx, { ...filter, scope: actor.scopeId }, page);
      await audit(tx, actor, ctx, {
        action: 'people.read',
        entity: 'user',
        regionId: filter.regionId ?? actor.scopeId,
        // Whose details were shown, so each person can learn that staff read them (their data export).
        detail: { filter: { ...filter }, page: page.page, shown: result.items.length, ids: result.items.map((p) => p.id) },
      });
      return { items: result.items.map(toSummary), total: result.total, ...page };
    });
  }

  async setStatus(actor: Actor, ctx: RequestContext, userId: string, status: 'active' | 'disabled'): Promise<UserSummary> {
    if (userId === actor.userId) throw new AppError('CANNOT_CHANGE_SELF');
    const summary = await withTransaction(this.database.db, async (tx) => {
      const person = await repo.findPerson(tx, userId);
      if (!person) throw new AppError('NOT_FOUND');
      requireScope(actor, person.region_id);
      await repo.updateUser(tx, userId, { status });
      if (status === 'disabled') await repo.revokeUserSessions(tx, userId);
      await announceUserChanged(tx, userId);
      await audit(tx, actor, ctx, { action: `user.${status === 'disabled' ? 'disable' : 'enable'}`, entity: 'user', entityId: userId, regionId: person.region_id, detail: { from: person.status, to: status } });
      return toSummary({ ...person, status });
    });
    this.sessions.forgetUser(userId);
    return summary;
  }

  async revokeSessions(actor: Actor, ctx: RequestContext, userId: string): Promise<void> {
    await withTransaction(this.database.db, async (tx) => {
      const person = await repo.findPerson(tx, userId);
      if (!person) throw new AppError('NOT_FOUND');
      requireScope(actor, person.region_id);
      await repo.revokeUserSessions(tx, userId);
      await announceUserChanged(tx, userId);
      await audit(tx, actor, ctx, { action: 'user.revoke_sessions', entity: 'user', entityId: userId, regionId: person.region_id });
    });
    this.sessions.forgetUser(userId);
  }

  async auditLog(actor: Actor, action: string | undefined, page: Page) {
    const result = await repo.listAudit(this.database.db, actor.scopeId, action, page);
    return {
      items: result.items.map((row) => ({
        id: String(row.id),
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        entity: row.entity,
        entityId: row.entity_id,
        regionId: row.region_id,
        detail: row.detail,
        createdAt: row.created_at.toISOString(),
      })),
      total: result.total,
      ...page,
    };
  }

  async summary(actor: Actor) {
    const db = this.database.db;
    const now = new Date();
    const [region, counts] = await Promise.all([
      repo.findRegion(db, actor.scopeId),
      repo.countInScope(db, actor.scopeId, new Date(now.getFullYear(), now.getMonth(), 1)),
    ]);
    return {
      regionId: actor.scopeId,
      regionName: region?.name ?? '',
      workers: Number(counts.workers),
      workersThisMonth: Number(counts.workers_this_month),
      staff: Number(counts.staff),
      stations: Number(counts.stations),
      partners: Number(counts.partners),
      communities: Number(counts.communities),
    };
  }
}
