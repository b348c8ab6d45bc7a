import type { RoundMove, RoundStatus, StoryMove, StoryStatus } from '@nuanxin/shared';

type RoundAction = RoundMove | 'publish';

/** The selection round's machine: every allowed move, and nothing else (anything else is 409 HONOR_ILLEGAL_MOVE). */
export const ROUND_MACHINE: Record<RoundAction, { from: readonly RoundStatus[]; to: RoundStatus }> = {
  open_nomination: { from: ['draft'], to: 'nominating' },
  open_voting: { from: ['nominating'], to: 'voting' },
  close: { from: ['voting'], to: 'closed' },
  publish: { from: ['closed'], to: 'published' },
  // A published roll stays: it was announced to the public.
  cancel: { from: ['draft', 'nominating', 'voting', 'closed'], to: 'cancelled' },
};

/** Staff may edit the round, and nominate or withdraw nominees, only before voting opens. */
export const ROUND_EDITABLE: readonly RoundStatus[] = ['draft', 'nominating'];
export const NOMINATION_OPEN: readonly RoundStatus[] = ['draft', 'nominating'];

export function nextRoundStatus(from: RoundStatus, action: RoundAction): RoundStatus | null {
  const move = ROUND_MACHINE[action];
  return move.from.includes(from) ? move.to : null;
}

/** Stories: draft → published ⇄ withdrawn. */
export const STORY_MACHINE: Record<StoryMove, { from: readonly StoryStatus[]; to: StoryStatus }> = {
  publish: { from: ['draft', 'withdrawn'], to: 'published' },
  withdraw: { from: ['published'], to: 'withdrawn' },
};

export function nextStoryStatus(from: StoryStatus, move: StoryMove): StoryStatus | null {
  const m = STORY_MACHINE[move];
  return m.from.includes(from) ? m.to : null;
}

/**
 * The default honorees: the top `n` active nominees by votes. When the last place is shared with
 * someone left out, staff must decide (null with the contested rank).
 */
export function topByVotes<T extends { id: string; votes: number }>(nominees: readonly T[], n: number): { picked: T[] } | { tieAt: number } {
  const sorted = [...nominees].sort((a, b) => b.votes - a.votes);
  const picked = sorted.slice(0, n);
  const next = sorted[n];
  const last = picked.at(-1);
  if (next && last && next.votes === last.votes) return { tieAt: sorted.findIndex((x) => x.votes === last.votes) + 1 };
  return { picked };
}
