import { casesRoutes, identityRoutes, isWithin, type CaseCategory, type Department } from '@nuanxin/shared';
import { call } from '../../../api/index.ts';

// The district's category catalogue and its departments, as the workbench filter, the dispatch
// dialog and the catalogue page use them.

/** Every category, inactive ones too (a case may carry a category retired since). */
export function loadCatalogue(): Promise<CaseCategory[]> {
  return call(casesRoutes.categories, { query: { includeInactive: 'true' } });
}

/** 小类 as "大类 · 小类", in catalogue order. */
export function categoryOptions(list: readonly CaseCategory[]): Array<{ value: string; label: string }> {
  const tops = list.filter((c) => c.parentId === null).sort((a, b) => a.sort - b.sort);
  return tops.flatMap((top) =>
    list
      .filter((c) => c.parentId === top.id)
      .sort((a, b) => a.sort - b.sort)
      .map((c) => ({ value: c.id, label: `${top.name} · ${c.name}` })),
  );
}

/** Departments that may take a case in `regionId`: the district's and the case's street's, by name. */
export async function loadDepartments(regionId: string): Promise<Department[]> {
  const all = await call(identityRoutes.departments);
  return all.filter((d) => isWithin(regionId, d.regionId)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
