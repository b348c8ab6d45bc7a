import { starsFor, type Inspection, type inspectionInput } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import { todayCst } from '../../common/time.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import type { MediaService } from '../media/media.service.ts';
import * as stations from './registry.repository.ts';
import type { RegistryService } from './registry.service.ts';
import * as repo from './inspections.repository.ts';

type InspectionInput = z.output<typeof inspectionInput>;
type Item = { key: string; label: string; weight: number };

/** Each template item scored once, 0 up to its weight; null when the scores do not fit the template. */
export function scoreItems(items: readonly Item[], scores: ReadonlyArray<{ key: string; score: number }>) {
  if (scores.length !== items.length) return null;
  const byKey = new Map(scores.map((s) => [s.key, s.score]));
  if (byKey.size !== scores.length) return null;
  const scored = items.map((item) => ({ ...item, score: byKey.get(item.key) }));
  if (scored.some((i) => i.score === undefined || i.score > i.weight)) return null;
  const result = scored as Array<Item & { score: number }>;
  return { items: result, total: result.reduce((sum, i) => sum + i.score, 0) };
}

/**
 * Acceptance inspections (验收) and yearly reviews. A passing acceptance inspection of a built
 * station is the only way to "accepted" (the database checks it too); a failing one leaves it
 * built for a re-inspection. A yearly review re-rates an accepted station: its stars become the
 * review's, so a station that slipped loses stars (it stays accepted; suspending it is a
 * separate, deliberate move).
 */
export class InspectionsService {
  constructor(
    private readonly database: Database,
    private readonly media: MediaService,
    private readonly registry: RegistryService,
  ) {}

  async inspect(actor: Actor, ctx: RequestContext, stationId: string, input: InspectionInput, now = new Date()) {
    if (input.inspectedOn > todayCst(now)) throw new AppError('INSPECTION_DATE_INVALID');
    const inspectionId = await withTransaction(this.database.db, async (tx) => {
      const station = await stations.lock(tx, stationId);
      if (!station) throw new AppError('NOT_FOUND');
      requireScope(actor, station.region_id);
      const expected = input.kind === 'acceptance' ? 'built' : 'accepted';
      if (station.status !== expected) throw new AppError('STATION_ILLEGAL_MOVE', { status: station.status, kind: input.kind });
      const checklist = await repo.findChecklist(tx, input.checklistId);
      if (!checklist || !checklist.active || checklist.region_id !== station.region_id.slice(0, 6)) throw new AppError('CHECKLIST_NOT_FOUND');
      const scored = scoreItems(checklist.items, input.scores);
      if (!scored) throw new AppError('INSPECTION_SCORES_INVALID');

      const passed = scored.total >= checklist.pass_mark;
      const stars = starsFor(scored.total);
      const { id } = await repo.insertInspection(tx, {
        region_id: station.region_id,
        station_id: station.id,
        checklist_id: checklist.id,
        kind: input.kind,
        items: JSON.stringify(scored.items),
        total: scored.total,
        pass_mark: checklist.pass_mark,
        passed,
        stars,
        remarks: input.remarks,
        photo_ids: input.photoIds,
        inspector_id: actor.userId,
        inspected_on: input.inspectedOn,
      });
      await this.media.attach(tx, actor.userId, input.photoIds, `inspection:${id}`);

      if (input.kind === 'acceptance' && passed) {
        await tx
          .updateTable('stations')
          .set({ status: 'accepted', accepted_inspection_id: id, stars, last_inspected_on: input.inspectedOn, updated_at: new Date() })
          .where('id', '=', station.id)
          .execute();
        await stations.addHistory(tx, [
          { region_id: station.region_id, station_id: station.id, from_status: 'built', to_status: 'accepted', reason: `验收通过：${scored.total} 分，${stars} 星`, actor_id: actor.userId, inspection_id: id },
        ]);
      } else if (input.kind === 'annual') {
        await tx.updateTable('stations').set({ stars, last_inspected_on: input.inspectedOn, updated_at: new Date() }).where('id', '=', station.id).execute();
      }
      await audit(tx, actor, ctx, {
        action: `station.inspect.${input.kind}`,
        entity: 'station',
        entityId: station.id,
        regionId: station.region_id,
        detail: { inspectionId: id, total: scored.total, passed, stars, starsBefore: station.stars },
      });
      return id;
    });
    const inspection = this.toInspection(await repo.findInspection(this.database.db, inspectionId));
    return { inspection, station: await this.registry.get(actor, stationId) };
  }

  async list(actor: Actor, stationId: string) {
    const station = await stations.find(this.database.db, stationId);
    if (!station) throw new AppError('NOT_FOUND');
    requireScope(actor, station.region_id);
    return { items: (await repo.inspections(this.database.db, stationId)).map((r) => this.toInspection(r)) };
  }

  private toInspection(row: repo.InspectionRow): Inspection {
    return {
      id: row.id,
      stationId: row.station_id,
      regionId: row.region_id,
      kind: row.kind,
      checklistId: row.checklist_id,
      checklistName: row.checklist_name,
      items: row.items,
      total: row.total,
      passMark: row.pass_mark,
      passed: row.passed,
      stars: row.stars,
      remarks: row.remarks,
      photos: this.media.links(row.photo_ids),
      inspectorId: row.inspector_id,
      inspectorName: row.inspector_name,
      inspectedOn: row.inspected_on,
      createdAt: row.created_at.toISOString(),
    };
  }
}
