import type { Lang, stationExportQuery } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import * as repo from './registry.repository.ts';
import { stationColumns } from './registry.service.ts';
import { readStations } from './station-import.ts';
import { stationsWorkbook, templateWorkbook } from './station-export.ts';

/** More than any district has; an export stops here rather than build a workbook without end. */
const EXPORT_MAX_ROWS = 50_000;
// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters (about 20 per station).
const INSERT_CHUNK = 500;

/** The station list as Excel, the import template, and the all-or-nothing import. */
export class StationFilesService {
  constructor(private readonly database: Database) {}

  async exportList(actor: Actor, query: z.output<typeof stationExportQuery>): Promise<Buffer> {
    const scope = query.regionId ?? actor.scopeId;
    requireScope(actor, scope);
    return stationsWorkbook(await repo.all(this.database.db, { scope, status: query.status, type: query.type, q: query.q }, EXPORT_MAX_ROWS));
  }

  template(): Promise<Buffer> {
    return templateWorkbook();
  }

  /**
   * Checks every row first; one wrong row imports nothing and the answer lists every problem
   * (IMPORT_ROWS_INVALID with `details.errors`). A clean file goes in as one transaction.
   */
  async importStations(actor: Actor, ctx: RequestContext, regionId: string, bytes: Buffer, lang: Lang): Promise<{ imported: number }> {
    requireScope(actor, regionId);
    const db = this.database.db;
    if (!(await repo.regionExists(db, regionId))) throw new AppError('REGION_NOT_FOUND');
    const { stations, errors } = await readStations(bytes, regionId, await repo.namesIn(db, regionId), lang);
    if (errors.length) throw new AppError('IMPORT_ROWS_INVALID', { count: errors.length, errors });
    await withTransaction(db, async (tx) => {
      for (let i = 0; i < stations.length; i += INSERT_CHUNK) {
        const chunk = stations.slice(i, i + INSERT_CHUNK);
        // A name taken since the check (another import) fails the unique key: the whole import rolls back (409).
        const inserted = await repo.insertMany(tx, chunk.map((s) => ({ ...stationColumns(s), status: s.status })));
        await repo.addHistory(
          tx,
          inserted.map((s) => ({ region_id: s.region_id, station_id: s.id, from_status: null, to_status: s.status, reason: 'Excel 导入', actor_id: actor.userId, inspection_id: null })),
        );
      }
      await audit(tx, actor, ctx, { action: 'station.import', entity: 'station', regionId, detail: { count: stations.length } });
    });
    return { imported: stations.length };
  }
}
