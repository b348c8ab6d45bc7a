import { isOpenAt, maskPhone, type Amenity, type StationService, type StationSummary, type WeeklyHours } from '@nuanxin/shared';
import type { Database } from '../../db/client.ts';
import type { StationsTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';
import { AppError } from '../../common/errors.ts';
import * as repo from './stations.repository.ts';
import { averageOf } from './visits.repository.ts';
import type { StationIndex } from './station-index.ts';
import { nearbyJson, staticSummary } from './nearby-json.ts';

type Row = Selectable<StationsTable>;

function toSummary(row: Row, now: Date): StationSummary {
  const hours = row.weekly_hours as WeeklyHours;
  return {
    id: row.id,
    regionId: row.region_id,
    name: row.name,
    type: row.type,
    status: row.status,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    amenities: row.amenities as Amenity[],
    services: row.services as StationService[],
    openHours: row.always_open ? '24小时' : row.open_hours,
    alwaysOpen: row.always_open,
    openNow: isOpenAt(hours, row.always_open, now),
  };
}

/** China-time weekday and 'HH:MM', for the open-now filter in SQL. */
function cstClock(now: Date) {
  const cst = new Date(now.getTime() + 8 * 3_600_000);
  return { weekday: cst.getUTCDay(), hhmm: cst.toISOString().slice(11, 16) };
}

type NearbyQuery = { lat: number; lng: number; limit: number; amenity: Amenity[]; service: StationService[]; openNow?: 'true' | 'false' | undefined };

/** The query as both the index and the SQL path take it: "open now" is the China-time clock of `now`. */
function nearbyFilter(query: NearbyQuery, now: Date) {
  return {
    lat: query.lat,
    lng: query.lng,
    limit: query.limit,
    amenities: query.amenity,
    services: query.service,
    ...(query.openNow === 'true' ? { openAt: cstClock(now) } : {}),
  };
}

/** Stations (暖"新"驿站): the public side — nearest first, and one station's page. */
export class StationsService {
  /** With an index (the server's), nearby search is answered from memory; without, by SQL. */
  constructor(
    private readonly database: Database,
    private readonly index: StationIndex | null = null,
  ) {}

  async nearby(query: NearbyQuery, now = new Date()) {
    if (this.index) return { items: this.index.nearby(nearbyFilter(query, now), now).map((hit) => ({ ...staticSummary(hit.record), openNow: hit.openNow, distanceM: Math.round(hit.distance) })) };
    return this.nearbyBySql(query, now);
  }

  /** The same answer, as the route sends it: written from the index where the server has one. */
  async nearbyAnswer(query: NearbyQuery, now = new Date()) {
    return this.index ? nearbyJson(this.index.nearby(nearbyFilter(query, now), now)) : this.nearbyBySql(query, now);
  }

  /** The same answer straight from the database (the index's reference in tests). */
  async nearbyBySql(query: NearbyQuery, now = new Date()) {
    const rows = await repo.nearby(this.database.db, nearbyFilter(query, now));
    return { items: rows.map((row) => ({ ...toSummary(row, now), ...averageOf(row), distanceM: Math.round(row.distance) })) };
  }

  async get(id: string, now = new Date()) {
    const row = await repo.findStation(this.database.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    return { ...toSummary(row, now), ...averageOf(row), weeklyHours: row.weekly_hours as WeeklyHours, keeperName: row.keeper_name, keeperPhone: maskPhone(row.keeper_phone) };
  }
}
