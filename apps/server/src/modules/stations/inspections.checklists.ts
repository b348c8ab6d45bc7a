import { regionLevelOf, type Checklist, type checklistInput } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import * as repo from './inspections.repository.ts';

type ChecklistInput = z.output<typeof checklistInput>;

export function toChecklist(row: repo.ChecklistRow): Checklist {
  return { id: row.id, regionId: row.region_id, name: row.name, items: row.items, passMark: row.pass_mark, active: row.active, updatedAt: row.updated_at.toISOString() };
}

/** Checklist templates (验收标准), kept per district by the district admin; read by every admin below it. */
export class ChecklistsService {
  constructor(private readonly database: Database) {}

  /** The district's templates: a street or community admin reads their district's (handed down, like case categories). */
  async list(actor: Actor, regionId: string | undefined) {
    const district = (regionId ?? actor.scopeId).slice(0, 6);
    // Only one's own district: a street admin may read its templates, not another district's.
    if (!actor.scopeId.startsWith(district)) throw new AppError('OUT_OF_SCOPE');
    return { items: (await repo.checklists(this.database.db, [district])).map(toChecklist) };
  }

  async save(actor: Actor, ctx: RequestContext, id: string | null, input: ChecklistInput): Promise<Checklist> {
    if (regionLevelOf(input.regionId) !== 'district') throw new AppError('CHECKLIST_REGION_INVALID');
    requireScope(actor, input.regionId);
    return withTransaction(this.database.db, async (tx) => {
      if (await repo.checklistNameTaken(tx, input.regionId, input.name, id)) throw new AppError('CONFLICT');
      const values = { region_id: input.regionId, name: input.name, items: JSON.stringify(input.items), pass_mark: input.passMark, active: input.active };
      let checklistId = id;
      if (id) {
        const before = await repo.findChecklist(tx, id);
        if (!before) throw new AppError('NOT_FOUND');
        requireScope(actor, before.region_id);
        // Inspections keep their own copy of the items, so changing a template rewrites no result.
        await tx.updateTable('station_checklists').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
      } else {
        checklistId = (await tx.insertInto('station_checklists').values(values).returning('id').executeTakeFirstOrThrow()).id;
      }
      await audit(tx, actor, ctx, { action: id ? 'station.checklist.update' : 'station.checklist.create', entity: 'station_checklist', entityId: checklistId, regionId: input.regionId, detail: { name: input.name } });
      return toChecklist((await repo.findChecklist(tx, checklistId!))!);
    });
  }
}
