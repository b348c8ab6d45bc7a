import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WISH_ACTIONS, WISH_STATUSES, type Role, type WishAction, type WishStatus } from '@nuanxin/shared';
import { MOVES, nextStatus, refusal, type WishActor, type WishParties } from './wish-workflow.ts';

const WISH: WishParties = { regionId: '440114001001', wisherId: 'wisher', claimantUserId: null, claimantPartnerId: null };
const actor = (role: Role, over: Partial<WishActor> = {}): WishActor => ({ userId: 'someone', role, regionId: '440114001001', scopeId: '440114001001', partnerId: null, ...over });

/** The machine as a table: from → action → to. Everything not listed is refused. */
const ALLOWED: Record<WishStatus, Partial<Record<WishAction, WishStatus>>> = {
  submitted: { approve: 'published', reject: 'rejected', cancel: 'cancelled' },
  rejected: {},
  published: { cancel: 'cancelled', claim: 'claimed', offline: 'fulfilled' },
  claimed: { withdraw: 'published', expire: 'published', fulfil: 'fulfilled' },
  fulfilled: { confirm: 'confirmed' },
  confirmed: { thank: 'confirmed' },
  cancelled: {},
};

describe('wish workflow', () => {
  it('allows exactly the moves of the design, and refuses every other pair', () => {
    for (const from of WISH_STATUSES) {
      for (const action of WISH_ACTIONS) {
        expect(nextStatus(from, action), `${from} --${action}`).toBe(ALLOWED[from][action] ?? null);
      }
    }
  });

  it('no move leaves a final state except a thank-you after confirming', () => {
    fc.assert(
      fc.property(fc.constantFrom('rejected', 'cancelled', 'confirmed' as const), fc.constantFrom(...WISH_ACTIONS), (from, action) => {
        const to = nextStatus(from, action);
        expect(to === null || (from === 'confirmed' && action === 'thank' && to === 'confirmed')).toBe(true);
      }),
    );
  });

  it('says who may take each step', () => {
    expect(refusal(actor('worker', { userId: 'wisher' }), WISH, 'cancel')).toBeNull();
    expect(refusal(actor('worker'), WISH, 'cancel')).toBe('NOT_FOUND');
    expect(refusal(actor('community_admin'), WISH, 'approve')).toBeNull();
    expect(refusal(actor('community_admin', { scopeId: '440114002001' }), WISH, 'approve')).toBe('OUT_OF_SCOPE');
    expect(refusal(actor('partner_staff', { partnerId: 'p1' }), WISH, 'approve')).toBe('FORBIDDEN');
    expect(refusal(actor('partner_staff', { partnerId: 'p1' }), WISH, 'claim')).toBeNull();
    expect(refusal(actor('partner_staff'), WISH, 'claim')).toBe('FORBIDDEN');
    expect(refusal(actor('worker', { userId: 'wisher' }), WISH, 'claim')).toBe('WISH_OWN_CLAIM');
    expect(refusal(actor('worker', { regionId: '440114002002' }), WISH, 'claim')).toBeNull();
    expect(refusal(actor('worker', { regionId: '440115001001' }), WISH, 'claim')).toBe('OUT_OF_SCOPE');
    const held = { ...WISH, claimantUserId: 'u1', claimantPartnerId: 'p1' };
    expect(refusal(actor('partner_staff', { userId: 'u2', partnerId: 'p1' }), held, 'fulfil')).toBeNull();
    expect(refusal(actor('partner_staff', { partnerId: 'p2' }), held, 'fulfil')).toBe('WISH_NOT_CLAIMANT');
    expect(refusal(actor('worker', { userId: 'u1' }), { ...WISH, claimantUserId: 'u1' }, 'withdraw')).toBeNull();
    expect(refusal(actor('worker', { userId: 'u9' }), { ...WISH, claimantUserId: 'u1' }, 'withdraw')).toBe('WISH_NOT_CLAIMANT');
    // Nobody holds it: the state check answers (409), not a 403.
    expect(refusal(actor('worker'), WISH, 'fulfil')).toBeNull();
    expect(refusal(null, WISH, 'expire')).toBeNull();
    expect(refusal(actor('district_admin', { scopeId: '440114' }), WISH, 'expire')).toBe('FORBIDDEN');
  });

  it('every action has a move, and only the job expires claims', () => {
    expect(Object.keys(MOVES).sort()).toEqual([...WISH_ACTIONS].sort());
    expect(WISH_ACTIONS.filter((a) => MOVES[a].by === 'system')).toEqual(['expire']);
  });
});
