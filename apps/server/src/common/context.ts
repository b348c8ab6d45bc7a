import type { Role } from '@nuanxin/shared';

/** Who is acting: the logged-in user as the session says. */
export interface Actor {
  userId: string;
  sessionId: string;
  role: Role;
  /** Staff act within this region's subtree; for workers it is their home community. */
  regionId: string;
  /** The subtree this person acts over (see `actingScope`): what every scope check uses. */
  scopeId: string;
  departmentId: string | null;
  partnerId: string | null;
  stationId: string | null;
}

/** Facts about the request that services record (audit log, rate limits). */
export interface RequestContext {
  requestId: string;
  ip: string;
  userAgent: string | null;
}
