import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { actingScope, type Role } from '@nuanxin/shared';
import type { Database, Db } from '../../db/client.ts';
import type { Authenticator } from '../../common/access.ts';
import type { Actor } from '../../common/context.ts';
import { findLiveSession } from './identity.repository.ts';

/** Channel on which any process announces "this user's sessions or role changed". */
export const SESSION_CHANNEL = 'nx_session';
export const CACHE_TTL_MS = 30_000;
const CACHE_MAX = 50_000;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only the hash is stored: a leaked sessions table logs nobody in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Tell every server process to forget cached sessions of this user (delivered on commit). */
export async function announceUserChanged(tx: Db, userId: string): Promise<void> {
  await sql`select pg_notify(${SESSION_CHANNEL}, ${userId})`.execute(tx);
}

interface CachedActor {
  actor: Actor;
  expiresAt: number;
}

/**
 * Bearer-token authentication with a short in-process cache, so an authenticated request does
 * not always cost a database round trip. Revocation, disabling and role changes reach every
 * process through LISTEN/NOTIFY; the TTL bounds staleness should a notification be missed.
 */
export class SessionAuthenticator implements Authenticator {
  private readonly cache = new Map<string, CachedActor>();
  private readonly listeners: Array<(userId: string | null) => void> = [];
  private stopListening: (() => Promise<void>) | null = null;

  constructor(private readonly database: Database) {}

  async start(): Promise<void> {
    // Back after a lost connection, changes may have been missed: forget everyone.
    this.stopListening = await this.database.listen(SESSION_CHANNEL, (userId) => this.forgetUser(userId), () => this.forgetUser(null));
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
  }

  async authenticate(token: string): Promise<Actor | null> {
    const tokenHash = hashToken(token);
    const now = Date.now();
    const hit = this.cache.get(tokenHash);
    if (hit && hit.expiresAt > now) return hit.actor;
    const row = await findLiveSession(this.database.db, tokenHash);
    if (!row) {
      this.cache.delete(tokenHash);
      return null;
    }
    const actor: Actor = {
      userId: row.user_id,
      sessionId: row.session_id,
      role: row.role as Role,
      regionId: row.region_id,
      scopeId: actingScope(row.role, row.region_id),
      departmentId: row.department_id,
      partnerId: row.partner_id,
      stationId: row.station_id,
    };
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(tokenHash, { actor, expiresAt: Math.min(now + CACHE_TTL_MS, row.expires_at.getTime()) });
    return actor;
  }

  /** Other per-user caches (the account view) forget on the same signal; null is everyone. */
  onUserChanged(listener: (userId: string | null) => void): void {
    this.listeners.push(listener);
  }

  /** Forgets what is cached of this user, or of everyone (null). */
  forgetUser(userId: string | null): void {
    if (userId === null) this.cache.clear();
    else for (const [key, entry] of this.cache) if (entry.actor.userId === userId) this.cache.delete(key);
    for (const listener of this.listeners) listener(userId);
  }
}
