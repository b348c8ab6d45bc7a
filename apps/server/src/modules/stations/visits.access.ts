import { AppError } from '../../common/errors.ts';
import { requireScope } from '../../common/access.ts';
import type { Actor } from '../../common/context.ts';
import type { Db } from '../../db/client.ts';

/** Statuses in which a station takes check-ins and bookings. */
export const IN_SERVICE = ['built', 'accepted'] as const;

export function findStation(db: Db, id: string) {
  return db.selectFrom('stations').select(['id', 'region_id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}
export type StationRef = NonNullable<Awaited<ReturnType<typeof findStation>>>;

/** A keeper acts only on the station they keep; admins on any station in their region subtree. */
export function requireStationStaff(actor: Actor, station: { id: string; region_id: string }): void {
  if (actor.role === 'station_keeper') {
    if (actor.stationId !== station.id) throw new AppError('OUT_OF_SCOPE');
    return;
  }
  requireScope(actor, station.region_id);
}

/** The station, if it exists and the actor may run it; NOT_FOUND / OUT_OF_SCOPE otherwise. */
export async function stationForStaff(db: Db, actor: Actor, stationId: string): Promise<StationRef> {
  const station = await findStation(db, stationId);
  if (!station) throw new AppError('NOT_FOUND');
  requireStationStaff(actor, station);
  return station;
}

/** 'YYYY-MM-DD' and hour (0–23) of `at` in China time. */
export function cstDayHour(at: Date): { day: string; hour: number } {
  const shifted = new Date(at.getTime() + 8 * 3_600_000);
  return { day: shifted.toISOString().slice(0, 10), hour: shifted.getUTCHours() };
}

/** The instant of a China-time day and 'HH:MM'. */
export function cstInstant(day: string, hhmm: string): Date {
  return new Date(`${day}T${hhmm}:00+08:00`);
}
