import { ADMIN_ROLES, type Member, type Organization, type OrganizationInput, type Role } from '@nuanxin/shared';

export const PAGE_SIZES = [10, 20, 50];

/** Who opens which page (the server checks again). Grid staff lead organizations by designation. */
export const ORGANIZATION_READER_ROLES = ['grid_staff', ...ADMIN_ROLES] as const satisfies readonly Role[];
export const ORGANIZATION_ADMIN_ROLES = ADMIN_ROLES;

export const MEMBER_TAG: Record<Member['status'], 'info' | 'primary' | 'success' | 'warning' | 'danger'> = {
  pending: 'warning',
  verified: 'success',
  rejected: 'danger',
  left: 'info',
  revoked: 'danger',
};
export const GRID_TAG = { applied: 'warning', appointed: 'success', rejected: 'danger', withdrawn: 'info', dismissed: 'info' } as const;
export const KIND_TAG: Record<Organization['kind'], 'danger' | 'primary' | 'warning'> = { party_branch: 'danger', volunteer_team: 'primary', pioneer_post: 'warning' };

/** What the form edits. */
export interface OrganizationForm {
  kind: Organization['kind'];
  regionId: string;
  name: string;
  description: string;
  stationId: string;
  leaderIds: string[];
  guideIds: string[];
}

export function emptyForm(regionId: string): OrganizationForm {
  return { kind: 'party_branch', regionId: regionId.length === 9 || regionId.length === 12 ? regionId : '', name: '', description: '', stationId: '', leaderIds: [], guideIds: [] };
}

export function formOf(o: Organization): OrganizationForm {
  return {
    kind: o.kind,
    regionId: o.regionId,
    name: o.name,
    description: o.description,
    stationId: o.stationId ?? '',
    leaderIds: o.staff.filter((s) => s.role === 'leader').map((s) => s.userId),
    guideIds: o.staff.filter((s) => s.role === 'guide').map((s) => s.userId),
  };
}

export function inputOf(f: OrganizationForm): OrganizationInput {
  return {
    kind: f.kind,
    regionId: f.regionId,
    name: f.name.trim(),
    description: f.description.trim(),
    stationId: f.kind === 'pioneer_post' && f.stationId ? f.stationId : null,
    leaderIds: f.leaderIds,
    guideIds: f.kind === 'party_branch' ? f.guideIds : [],
  };
}

/** 2026-11-24 from an ISO time, in the console's (China) time zone. */
export function dayOf(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
