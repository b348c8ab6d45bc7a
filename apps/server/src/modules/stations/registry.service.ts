import { STATION_MOVES, type RegistryStation, type StationMove, type stationInput, type stationListQuery, type stationOfferInput } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database, type Db } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import * as repo from './registry.repository.ts';
import { hoursText } from './registry.sheet.ts';
import { toStation, toSummary } from './registry.views.ts';

type StationInput = z.output<typeof stationInput>;
type OfferInput = z.output<typeof stationOfferInput>;
type ListQuery = z.output<typeof stationListQuery>;

/** The columns hours, amenities, services and photos fill (what a keeper may change). */
export function offerColumns(input: OfferInput) {
  return {
    weekly_hours: JSON.stringify(input.weeklyHours),
    always_open: input.alwaysOpen,
    // The public pages show this text; it follows the weekly hours.
    open_hours: hoursText(input.weeklyHours, input.alwaysOpen),
    holiday_open: input.holidayOpen,
    extended_hours: input.extendedHours,
    amenities: input.amenities,
    services: input.services,
    photo_ids: input.photoIds,
  };
}

/** Every column a station form fills. */
export function stationColumns(input: StationInput) {
  return {
    ...offerColumns(input),
    region_id: input.regionId,
    name: input.name,
    type: input.type,
    address: input.address,
    lat: input.lat,
    lng: input.lng,
    operator: input.operator,
    co_builders: input.coBuilders,
    access_mode: input.accessMode,
    area_m2: input.areaM2,
    seats: input.seats,
    keeper_name: input.keeperName,
    keeper_phone: input.keeperPhone,
  };
}

/** Where a lifecycle move leads; null when the station's status does not allow it. */
export function moveTarget(move: StationMove, station: { status: string; accepted_inspection_id: string | null }) {
  if (!(STATION_MOVES[move].from as readonly string[]).includes(station.status)) return null;
  if (move === 'build') return 'built' as const;
  if (move === 'suspend') return 'suspended' as const;
  if (move === 'close') return 'closed' as const;
  // Reopening restores the acceptance an inspection gave, and nothing more.
  return station.accepted_inspection_id ? ('accepted' as const) : ('built' as const);
}

/** The stations registry: staff keep their region's stations, keepers their own station's offer. */
export class RegistryService {
  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
  ) {}

  private readonly links = (ids: readonly string[]) => this.media.links(ids);

  async list(actor: Actor, query: ListQuery) {
    const scope = query.regionId ?? actor.scopeId;
    requireScope(actor, scope);
    const { rows, total } = await repo.list(this.database.db, { scope, status: query.status, type: query.type, q: query.q }, query);
    return { items: rows.map((r) => toSummary(r)), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: Actor, id: string): Promise<RegistryStation> {
    const row = await repo.find(this.database.db, id);
    if (!row) throw new AppError('NOT_FOUND');
    this.mayManage(actor, row);
    return toStation(row, this.links);
  }

  async create(actor: Actor, ctx: RequestContext, input: StationInput): Promise<RegistryStation> {
    requireScope(actor, input.regionId);
    const id = await withTransaction(this.database.db, async (tx) => {
      await this.checkPlace(tx, input.regionId, input.name, null);
      const { id } = await repo.insert(tx, { ...stationColumns(input), status: 'planned' });
      await this.media.attach(tx, actor.userId, input.photoIds, `station:${id}`);
      await repo.addHistory(tx, [{ region_id: input.regionId, station_id: id, from_status: null, to_status: 'planned', reason: '新建', actor_id: actor.userId, inspection_id: null }]);
      await audit(tx, actor, ctx, { action: 'station.create', entity: 'station', entityId: id, regionId: input.regionId, detail: { name: input.name } });
      return id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, ctx: RequestContext, id: string, input: StationInput): Promise<RegistryStation> {
    requireScope(actor, input.regionId);
    await withTransaction(this.database.db, async (tx) => {
      const before = await repo.lock(tx, id);
      if (!before) throw new AppError('NOT_FOUND');
      requireScope(actor, before.region_id);
      await this.checkPlace(tx, input.regionId, input.name, id);
      await this.attachNew(tx, actor, before, input.photoIds);
      await tx.updateTable('stations').set({ ...stationColumns(input), updated_at: new Date() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: 'station.update', entity: 'station', entityId: id, regionId: input.regionId, detail: { name: input.name, from: before.region_id } });
    });
    return this.get(actor, id);
  }

  /** Hours, amenities, services and photos: the keeper of this station, or the admins over it. */
  async updateOffer(actor: Actor, ctx: RequestContext, id: string, input: OfferInput): Promise<RegistryStation> {
    await withTransaction(this.database.db, async (tx) => {
      const before = await repo.lock(tx, id);
      if (!before) throw new AppError('NOT_FOUND');
      this.mayManage(actor, before);
      await this.attachNew(tx, actor, before, input.photoIds);
      await tx.updateTable('stations').set({ ...offerColumns(input), updated_at: new Date() }).where('id', '=', id).execute();
      await audit(tx, actor, ctx, { action: 'station.offer', entity: 'station', entityId: id, regionId: before.region_id });
    });
    return this.get(actor, id);
  }

  async move(actor: Actor, ctx: RequestContext, id: string, move: StationMove, reason: string): Promise<RegistryStation> {
    await withTransaction(this.database.db, async (tx) => {
      const station = await repo.lock(tx, id);
      if (!station) throw new AppError('NOT_FOUND');
      requireScope(actor, station.region_id);
      const to = moveTarget(move, station);
      if (!to) throw new AppError('STATION_ILLEGAL_MOVE', { status: station.status, move });
      await tx.updateTable('stations').set({ status: to, updated_at: new Date() }).where('id', '=', id).execute();
      await repo.addHistory(tx, [{ region_id: station.region_id, station_id: id, from_status: station.status, to_status: to, reason, actor_id: actor.userId, inspection_id: null }]);
      await audit(tx, actor, ctx, { action: `station.${move}`, entity: 'station', entityId: id, regionId: station.region_id, detail: { from: station.status, to, reason } });
    });
    return this.get(actor, id);
  }

  async history(actor: Actor, id: string) {
    const station = await repo.find(this.database.db, id);
    if (!station) throw new AppError('NOT_FOUND');
    this.mayManage(actor, station);
    const rows = await repo.history(this.database.db, id);
    return {
      items: rows.map((h) => ({
        id: h.id,
        fromStatus: h.from_status,
        toStatus: h.to_status,
        reason: h.reason,
        actorId: h.actor_id,
        actorName: h.actor_name,
        inspectionId: h.inspection_id,
        createdAt: h.created_at.toISOString(),
      })),
    };
  }

  /** Admins over the station's region, or the keeper of this very station. */
  private mayManage(actor: Actor, station: { id: string; region_id: string }) {
    if (actor.role === 'station_keeper') {
      if (actor.stationId !== station.id) throw new AppError('NOT_YOUR_STATION');
      return;
    }
    requireScope(actor, station.region_id);
  }

  private async checkPlace(tx: Db, regionId: string, name: string, exceptId: string | null) {
    if (!(await repo.regionExists(tx, regionId))) throw new AppError('REGION_NOT_FOUND');
    if (await repo.nameTaken(tx, regionId, name, exceptId)) throw new AppError('STATION_NAME_TAKEN');
  }

  // Photos already on the station may be someone else's uploads; only the new ones must be the caller's.
  private async attachNew(tx: Db, actor: Actor, station: { id: string; photo_ids: string[] }, ids: string[]) {
    const fresh = ids.filter((p) => !station.photo_ids.includes(p));
    await this.media.attach(tx, actor.userId, fresh, `station:${station.id}`);
  }
}

