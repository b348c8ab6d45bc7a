import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { WeeklyHours, Amenity, StationService } from '@nuanxin/shared';
import type { Database, Db } from '../../db/client.ts';
import { StationIndex, type StationRecord } from './station-index.ts';
import { IN_SERVICE } from './visits.access.ts';
import { prewrite } from './nearby-json.ts';

/** Where migration 0021's triggers announce changed station ids ('*': too many, reload all). */
export const STATION_CHANNEL = 'nx_station';
const PAGE = 20_000;
const RETRY_MS = 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function select(db: Db) {
  return db
    .selectFrom('stations as s')
    .leftJoin('station_rating_totals as t', 't.station_id', 's.id')
    .leftJoin('station_checkin_secrets as k', 'k.station_id', 's.id')
    .select(['s.id', 's.region_id', 's.name', 's.type', 's.status', 's.address', 's.lat', 's.lng', 's.amenities', 's.services', 's.open_hours', 's.always_open', 's.weekly_hours', 't.stars_sum', 't.ratings', 'k.secret'])
    .where('s.status', 'in', IN_SERVICE);
}

function toRecord(r: Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number]): StationRecord {
  return {
    id: r.id,
    regionId: r.region_id,
    name: r.name,
    type: r.type,
    status: r.status as StationRecord['status'],
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    amenities: r.amenities as Amenity[],
    services: r.services as StationService[],
    openHours: r.open_hours,
    alwaysOpen: r.always_open,
    weeklyHours: r.weekly_hours as WeeklyHours,
    starsSum: r.stars_sum,
    ratings: r.ratings,
    secret: r.secret,
  };
}

export interface StationIndexSyncOptions {
  /** How often (PostgreSQL) to check that the listening connection still hears: a silent one is replaced and everything reloaded. */
  probeMs?: number;
}

/**
 * Keeps a StationIndex equal to the database. It listens before the first load, so no change
 * falls between them; each announcement re-reads just the named stations, one batch at a time
 * (a later read never lands before an earlier one). A lost connection comes back by itself
 * (`Database.listen`) and everything is reloaded. On PostgreSQL a probe notification sent now and
 * then must also come back on the listening connection: one that went silent without an error
 * (a half-open socket) is replaced the same way.
 */
export class StationIndexSync {
  readonly index = new StationIndex();
  private pending = new Set<string>();
  private reloadAll = false;
  private draining: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probe: { token: string; heard: boolean } | null = null;
  private stopped = false;

  constructor(
    private readonly database: Database,
    private readonly options: StationIndexSyncOptions = {},
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.listen();
    this.reloadAll = true;
    await this.drain();
    if (this.database.kind === 'postgres') {
      this.probeTimer = setInterval(() => void this.checkProbe(), this.options.probeMs ?? 15_000);
      this.probeTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    await this.unlisten?.();
    await this.draining;
  }

  /** Resolves once every announcement heard so far is applied (tests; a read right after a write). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Re-reads these stations now and resolves once applied: a write made by this process shows in
   * its own next answer (the announcement would do the same, a moment later). Never throws: a
   * failed read is retried in the background.
   */
  async refresh(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.pending.add(id);
    await this.drain().catch(() => this.drainOrRetry());
  }

  private heard(payload: string): void {
    if (payload.startsWith('probe:')) {
      if (this.probe && payload === `probe:${this.probe.token}`) this.probe.heard = true;
      return;
    }
    if (payload === '*') this.reloadAll = true;
    else for (const id of payload.split(',')) if (UUID.test(id)) this.pending.add(id);
    this.drainOrRetry();
  }

  /** A failed read (the database away) is retried with everything reloaded, since some ids were taken off the queue. */
  private drainOrRetry(): void {
    this.drain().catch(() => {
      this.reloadAll = true;
      if (!this.stopped) setTimeout(() => this.drainOrRetry(), RETRY_MS).unref();
    });
  }

  private drain(): Promise<void> {
    this.draining ??= this.run().finally(() => (this.draining = null));
    return this.draining;
  }

  private async run(): Promise<void> {
    while (!this.stopped && (this.reloadAll || this.pending.size > 0)) {
      if (this.reloadAll) {
        this.reloadAll = false;
        this.pending.clear();
        const records = await this.loadAll();
        this.index.replaceAll(records);
        // Not awaited: changes heard meanwhile need not wait for the warm-up. In the tree's order,
        // so that the bytes of stations near each other sit together in memory.
        void prewrite(this.index.inTreeOrder());
        continue;
      }
      const ids = [...this.pending].slice(0, 1000);
      for (const id of ids) this.pending.delete(id);
      const rows = await select(this.database.db).where('s.id', 'in', ids).execute();
      this.index.apply(ids, rows.map(toRecord));
    }
  }

  private async loadAll(): Promise<StationRecord[]> {
    const records: StationRecord[] = [];
    for (;;) {
      let query = select(this.database.db).orderBy('s.id').limit(PAGE);
      const last = records.at(-1);
      if (last) query = query.where('s.id', '>', last.id);
      const rows = await query.execute();
      for (const row of rows) records.push(toRecord(row));
      if (rows.length < PAGE) return records;
    }
  }

  /** Announcements of changed stations; back after a lost connection, reload everything. */
  private listen() {
    return this.database.listen(
      STATION_CHANNEL,
      (payload) => this.heard(payload),
      () => this.resync(),
    );
  }

  /** Announcements may have been missed: read every station again. */
  private resync(): void {
    this.reloadAll = true;
    this.drainOrRetry();
  }

  /** The previous probe must have come back by now; then send the next. */
  private async checkProbe(): Promise<void> {
    if (this.stopped) return;
    try {
      if (this.probe && !this.probe.heard) {
        await this.unlisten?.();
        this.unlisten = await this.listen();
        this.resync();
      }
      this.probe = { token: randomUUID(), heard: false };
      await sql`select pg_notify(${STATION_CHANNEL}, ${`probe:${this.probe.token}`})`.execute(this.database.db);
    } catch {
      // The database is away: the next probe will not be heard either, and recovers then.
    }
  }
}
