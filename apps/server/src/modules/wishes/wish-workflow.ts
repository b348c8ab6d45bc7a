import { WISH_DONOR_ROLES, WISH_SETTINGS_ROLES, WISH_STAFF_ROLES, isWithin, type ErrorCode, type Role, type WishAction, type WishStatus } from '@nuanxin/shared';

/**
 * Who takes a step: the worker who wished, region staff, anyone who may take a wish on (a worker
 * who is not the wisher, a partner's staff), whoever holds the claim, or the expiry job.
 */
export type WishParty = 'wisher' | 'staff' | 'donor' | 'claimant' | 'system';

interface Move {
  from: readonly WishStatus[];
  /** `same`: recorded, the status stays (a thank-you after confirming). */
  to: WishStatus | 'same';
  by: WishParty;
}

/** The workflow of a micro-wish: every allowed move, and nothing else. */
export const MOVES: Record<WishAction, Move> = {
  submit: { from: [], to: 'submitted', by: 'wisher' },
  approve: { from: ['submitted'], to: 'published', by: 'staff' },
  reject: { from: ['submitted'], to: 'rejected', by: 'staff' },
  cancel: { from: ['submitted', 'published'], to: 'cancelled', by: 'wisher' },
  claim: { from: ['published'], to: 'claimed', by: 'donor' },
  withdraw: { from: ['claimed'], to: 'published', by: 'claimant' },
  expire: { from: ['claimed'], to: 'published', by: 'system' },
  fulfil: { from: ['claimed'], to: 'fulfilled', by: 'claimant' },
  // A donation staff took in person: no claim in between.
  offline: { from: ['published'], to: 'fulfilled', by: 'staff' },
  confirm: { from: ['fulfilled'], to: 'confirmed', by: 'wisher' },
  thank: { from: ['confirmed'], to: 'same', by: 'wisher' },
};

export { WISH_DONOR_ROLES, WISH_SETTINGS_ROLES, WISH_STAFF_ROLES };

/** The status after `action`, or null when the machine has no such move from `from`. */
export function nextStatus(from: WishStatus, action: WishAction): WishStatus | null {
  const move = MOVES[action];
  if (!move.from.includes(from)) return null;
  return move.to === 'same' ? from : move.to;
}

export interface WishParties {
  regionId: string;
  wisherId: string;
  claimantUserId: string | null;
  claimantPartnerId: string | null;
}

export interface WishActor {
  userId: string;
  role: Role;
  regionId: string;
  scopeId: string;
  partnerId: string | null;
}

/** Whether the actor holds this wish's claim: its worker, or any staff member of its partner. */
export function holdsClaim(actor: WishActor, w: WishParties): boolean {
  if (actor.role === 'partner_staff') return actor.partnerId !== null && actor.partnerId === w.claimantPartnerId;
  return actor.role === 'worker' && actor.userId === w.claimantUserId;
}

/**
 * Why this actor may not take this step on this wish, or null when they may. Another worker's wish
 * is not there for a wisher (NOT_FOUND); staff are held to their region subtree; donors to their
 * district (riders cross streets); a step of the claim only by whoever holds it. A claim step on
 * a wish nobody holds is left to the state check, which answers 409.
 */
export function refusal(actor: WishActor | null, w: WishParties, action: WishAction): ErrorCode | null {
  const by = MOVES[action].by;
  if (by === 'system') return actor === null ? null : 'FORBIDDEN';
  if (!actor) return 'UNAUTHENTICATED';
  switch (by) {
    case 'wisher':
      return actor.role === 'worker' && actor.userId === w.wisherId ? null : 'NOT_FOUND';
    case 'staff':
      if (!(WISH_STAFF_ROLES as readonly Role[]).includes(actor.role)) return 'FORBIDDEN';
      return isWithin(w.regionId, actor.scopeId) ? null : 'OUT_OF_SCOPE';
    case 'donor':
      if (!(WISH_DONOR_ROLES as readonly Role[]).includes(actor.role)) return 'FORBIDDEN';
      if (actor.role === 'partner_staff' && !actor.partnerId) return 'FORBIDDEN';
      if (actor.userId === w.wisherId) return 'WISH_OWN_CLAIM';
      return isWithin(w.regionId, actor.regionId.slice(0, 6)) ? null : 'OUT_OF_SCOPE';
    case 'claimant':
      if (!(WISH_DONOR_ROLES as readonly Role[]).includes(actor.role)) return 'FORBIDDEN';
      if (w.claimantUserId === null && w.claimantPartnerId === null) return null;
      return holdsClaim(actor, w) ? null : 'WISH_NOT_CLAIMANT';
  }
}
