import { dateCst, organizationsRoutes, type MyMembership } from '@nuanxin/shared';
import { ApiError, api } from '../../api/index.ts';

/** 2026-11-24T… → 2026-11-24 (China time), for badge and certificate dates. */
export function dayOfIso(iso: string | null | undefined): string {
  if (!iso) return '';
  return dateCst(new Date(iso));
}

/** The party membership that matters on 我的组织: the open one, else the latest ended one. */
export function partyMembershipOf(memberships: MyMembership[]): MyMembership | null {
  const party = memberships.filter((m) => m.kind === 'party_branch');
  return party.find((m) => m.status === 'pending' || m.status === 'verified') ?? party[0] ?? null;
}

/** Whether an error is the server saying the thing is gone (404), e.g. a stale link. */
export const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;

export const loadMine = () => api(organizationsRoutes.mine);
