import { sql } from 'kysely';
import type { Db } from '../../db/client.ts';
import type { Period } from './period.ts';

/**
 * SQL only: the community-life figures city reports quote (wishes fulfilled, activities and the
 * people they reached, volunteer hours, partners joined, party branches, part-time grid members),
 * read from the domain tables themselves. They are thousands of rows per district, not millions,
 * and each read is one index range (region prefix, time), so no rollup is kept for them.
 */

/** The instants a period of China days covers: [its first midnight, the midnight after its last day). */
function instants(p: Period): { start: Date; end: Date } {
  const end = new Date(`${p.to}T00:00:00+08:00`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { start: new Date(`${p.from}T00:00:00+08:00`), end };
}

export interface CommunityPeriodFigures {
  wishesFulfilled: number;
  activitiesHeld: number;
  peopleCovered: number;
  volunteerHours: number;
  partnersJoined: number;
}

export async function communityPeriodFigures(db: Db, scope: string, p: Period): Promise<CommunityPeriodFigures> {
  const { start, end } = instants(p);
  const prefix = `${scope}%`;
  const { rows } = await sql<{ wishes: number; activities: number; people: number; minutes: number; partners: number }>`
    select
      (select count(*) from wishes where region_id like ${prefix} and fulfilled_at >= ${start} and fulfilled_at < ${end})::float8 as wishes,
      (select count(*) from activities where region_id like ${prefix} and starts_at >= ${start} and starts_at < ${end} and status in ('published', 'finished'))::float8 as activities,
      (select count(distinct worker_id) from activity_attendance where region_id like ${prefix} and checked_in_at >= ${start} and checked_in_at < ${end})::float8 as people,
      (select coalesce(sum(minutes), 0) from activity_attendance where region_id like ${prefix} and checked_in_at >= ${start} and checked_in_at < ${end})::float8 as minutes,
      (select count(*) from partners where region_id like ${prefix} and certified_at >= ${start} and certified_at < ${end})::float8 as partners`.execute(db);
  const r = rows[0]!;
  return { wishesFulfilled: r.wishes, activitiesHeld: r.activities, peopleCovered: r.people, volunteerHours: Math.round(r.minutes / 6) / 10, partnersJoined: r.partners };
}

/** Standing figures at the time of asking: certified partners, active party branches, appointed grid members. */
export async function communityStanding(db: Db, scope: string): Promise<{ partnersCertified: number; partyBranches: number; gridMembers: number }> {
  const prefix = `${scope}%`;
  const { rows } = await sql<{ partners: number; branches: number; grid: number }>`
    select
      (select count(*) from partners where region_id like ${prefix} and status = 'certified')::float8 as partners,
      (select count(*) from organizations where region_id like ${prefix} and kind = 'party_branch' and status = 'active')::float8 as branches,
      (select count(*) from grid_members where region_id like ${prefix} and status = 'appointed')::float8 as grid`.execute(db);
  const r = rows[0]!;
  return { partnersCertified: r.partners, partyBranches: r.branches, gridMembers: r.grid };
}
