import { regionLevelOf, type CaseCategory, type categoryInput } from '@nuanxin/shared';
import type { z } from 'zod';
import { withTransaction, type Database } from '../../db/client.ts';
import { requireScope } from '../../common/access.ts';
import { audit } from '../../common/audit.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor, RequestContext } from '../../common/context.ts';
import { toCategory } from './case-views.ts';
import * as repo from './cases.repository.ts';
import type { CaseCategoryCache } from './case-category-cache.ts';

type CategoryInput = z.output<typeof categoryInput>;

/** The two-level catalogue each district keeps: 大类 with 小类 under them, each with its department and time limits. */
export class CaseCategoriesService {
  /** `cache` is the catalogue filing reads: a save here forgets it at once (other processes hear it on commit). */
  constructor(
    private readonly database: Database,
    private readonly cache: CaseCategoryCache | null = null,
  ) {}

  async list(regionId: string | undefined, includeInactive: boolean): Promise<CaseCategory[]> {
    // Catalogues are kept per district; a street or community asks for its district's.
    const district = regionId?.slice(0, 6);
    return (await repo.listCategories(this.database.db, district, includeInactive)).map(toCategory);
  }

  async save(actor: Actor, ctx: RequestContext, id: string | null, input: CategoryInput): Promise<CaseCategory> {
    requireScope(actor, input.regionId);
    if (regionLevelOf(input.regionId) !== 'district') throw new AppError('VALIDATION_FAILED', { fields: [{ in: 'body', path: 'regionId', message: 'a district' }] });
    const saved = await withTransaction(this.database.db, async (tx) => {
      if (input.parentId) {
        const parent = await repo.findCategory(tx, input.parentId);
        if (!parent || parent.parent_id !== null || parent.region_id !== input.regionId || parent.id === id) throw new AppError('CATEGORY_PARENT_INVALID');
      }
      if (input.departmentId) {
        const department = await tx.selectFrom('departments').select('region_id').where('id', '=', input.departmentId).executeTakeFirst();
        if (!department || !department.region_id.startsWith(input.regionId)) throw new AppError('CASE_DISPATCH_TARGET_INVALID');
      }
      const values = {
        region_id: input.regionId,
        parent_id: input.parentId,
        code: input.code,
        name: input.name,
        department_id: input.departmentId,
        limits: JSON.stringify(input.limits),
        urgent_limits: JSON.stringify(input.urgentLimits),
        working_hours: input.workingHours,
        status: input.status,
        sort: input.sort,
      };
      let categoryId = id;
      if (id) {
        const before = await repo.findCategory(tx, id);
        if (!before) throw new AppError('NOT_FOUND');
        requireScope(actor, before.region_id);
        // A top-level category with children stays top-level.
        if (input.parentId && (await tx.selectFrom('case_categories').select('id').where('parent_id', '=', id).executeTakeFirst())) throw new AppError('CATEGORY_PARENT_INVALID');
        await tx.updateTable('case_categories').set({ ...values, updated_at: new Date() }).where('id', '=', id).execute();
      } else {
        categoryId = (await tx.insertInto('case_categories').values(values).returning('id').executeTakeFirstOrThrow()).id;
      }
      await audit(tx, actor, ctx, { action: id ? 'case.category.update' : 'case.category.create', entity: 'case_category', entityId: categoryId, regionId: input.regionId, detail: { code: input.code, name: input.name } });
      return toCategory((await repo.findCategory(tx, categoryId!))!);
    });
    this.cache?.forget();
    return saved;
  }
}
