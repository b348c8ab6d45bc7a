import { maskPhone, type User, type WorkerProfileRequest } from '@nuanxin/shared';
import type { z } from 'zod';
import type { workerProfileRequest } from '@nuanxin/shared';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor } from '../../common/context.ts';
import * as repo from './identity.repository.ts';
import { CACHE_TTL_MS, announceUserChanged, type SessionAuthenticator } from './sessions.ts';

export type ProfileInput = z.output<typeof workerProfileRequest>;

export function toUser(view: repo.UserView): User {
  const profile =
    view.occupation && view.home_id && view.home_name
      ? {
          occupation: view.occupation,
          platformCompany: view.platform_company,
          vehicle: view.vehicle,
          homeCommunityId: view.home_id,
          homeCommunityName: view.home_name,
        }
      : null;
  return {
    id: view.id,
    role: view.role,
    name: view.name,
    phoneMasked: maskPhone(view.phone),
    username: view.username,
    regionId: view.region_id,
    regionName: view.region_name,
    status: view.status,
    profileComplete: view.role !== 'worker' || (profile !== null && view.name !== null),
    profile,
    organization: view.organization,
    stationId: view.station_id,
  };
}

/** The logged-in person's own account: what `me` shows and worker self-registration. */
export class AccountService {
  // `me` is the first call of every screen; the view changes rarely and every change announces itself.
  private readonly views = new Map<string, { user: User; expiresAt: number }>();

  constructor(
    private readonly database: Database,
    private readonly sessions: SessionAuthenticator,
  ) {
    sessions.onUserChanged((userId) => (userId === null ? this.views.clear() : this.views.delete(userId)));
  }

  async view(db: Db, userId: string): Promise<User> {
    const row = await repo.findUserView(db, userId);
    if (!row) throw new AppError('NOT_FOUND');
    return toUser(row);
  }

  async me(actor: Actor): Promise<User> {
    const now = Date.now();
    const hit = this.views.get(actor.userId);
    if (hit && hit.expiresAt > now) return hit.user;
    const user = await this.view(this.database.db, actor.userId);
    if (this.views.size >= 50_000) this.views.clear();
    this.views.set(actor.userId, { user, expiresAt: now + CACHE_TTL_MS });
    return user;
  }

  /** Registration and later edits: the worker joins the home community they pick. */
  async saveProfile(actor: Actor, input: ProfileInput | WorkerProfileRequest): Promise<User> {
    if (actor.role !== 'worker') throw new AppError('NOT_A_WORKER');
    const user = await withTransaction(this.database.db, async (tx) => {
      const community = await repo.findRegion(tx, input.homeCommunityId);
      if (!community) throw new AppError('REGION_NOT_FOUND');
      if (community.level !== 'community') throw new AppError('REGION_NOT_COMMUNITY');
      await repo.upsertWorkerProfile(tx, actor.userId, {
        regionId: community.id,
        occupation: input.occupation,
        platformCompany: input.platformCompany ?? null,
        vehicle: input.vehicle ?? null,
      });
      await repo.updateUser(tx, actor.userId, { name: input.name, region_id: community.id });
      // The cached actor carries the region: every process must re-read it.
      await announceUserChanged(tx, actor.userId);
      return this.view(tx, actor.userId);
    });
    this.sessions.forgetUser(actor.userId);
    return user;
  }
}
