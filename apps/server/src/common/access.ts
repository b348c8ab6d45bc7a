import { isWithin, type Role } from '@nuanxin/shared';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';
import type { Actor } from './context.ts';

/**
 * Who may call a route and over what. Every /api/v1 route must declare one: the app refuses to
 * start otherwise, and the access-matrix test checks each declaration.
 * - `scope: 'self'`: acts only on the caller's own account.
 * - `scope: 'region'`: acts on records inside the caller's region subtree (checked by the service).
 */
export type Access = { who: 'public' } | { who: 'authenticated' | readonly Role[]; scope: 'self' | 'region' };

export interface Authenticator {
  /** The actor for a bearer token, or null when the token is unknown, revoked or expired. */
  authenticate(token: string): Promise<Actor | null>;
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,100})$/.exec(header);
  return match?.[1] ?? null;
}

/** Resolves the actor and checks the route's roles; runs before the body is parsed. */
export async function checkAccess(request: FastifyRequest, access: Access, auth: Authenticator): Promise<Actor | null> {
  if (access.who === 'public') return null;
  const token = bearerToken(request);
  const actor = token ? await auth.authenticate(token) : null;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (access.who !== 'authenticated' && !access.who.includes(actor.role)) throw new AppError('FORBIDDEN');
  return actor;
}

/** Refuses a staff action on a record outside the actor's region subtree. */
export function requireScope(actor: Actor, regionId: string): void {
  if (!isWithin(regionId, actor.scopeId)) throw new AppError('OUT_OF_SCOPE');
}
