import type { FormItemRule } from 'element-plus';
import { categoryInput, type CaseCategory, type CategoryInput, type CategoryLimits } from '@nuanxin/shared';
import { schemaRule } from '../../../utils/form.ts';

type T = (key: string, named?: Record<string, unknown>) => string;

/** The four clocks of a category, in the order a case meets them. */
export const LIMIT_KEYS: ReadonlyArray<keyof CategoryLimits> = ['dispatch', 'acknowledge', 'handle', 'verify'];

/** A row of the catalogue table: a 大类 with its 小类 as tree children. */
export type CategoryRow = CaseCategory & { children?: CaseCategory[] };

export function categoryTree(list: readonly CaseCategory[]): CategoryRow[] {
  const bySort = (a: CaseCategory, b: CaseCategory) => a.sort - b.sort;
  return list
    .filter((c) => c.parentId === null)
    .sort(bySort)
    .map((top) => ({ ...top, children: list.filter((c) => c.parentId === top.id).sort(bySort) }));
}

/** "30 分钟", "4 小时", "2 天": limits are stored in minutes, read in the unit that fits. */
export function minutesText(minutes: number, t: T): string {
  if (minutes % 1440 === 0) return t('cases.categories.days', { n: minutes / 1440 });
  if (minutes % 60 === 0) return t('cases.categories.hours', { n: minutes / 60 });
  return t('cases.categories.minutes', { n: minutes });
}

export interface CategoryForm {
  regionId: string;
  parentId: string | null;
  code: string;
  name: string;
  departmentId: string | null;
  limits: CategoryLimits;
  urgentLimits: CategoryLimits;
  workingHours: boolean;
  status: 'active' | 'inactive';
  sort: number;
}

export const emptyCategoryForm = (regionId: string, parentId: string | null = null): CategoryForm => ({
  regionId,
  parentId,
  code: '',
  name: '',
  departmentId: null,
  limits: { dispatch: 30, acknowledge: 60, handle: 1440, verify: 240 },
  urgentLimits: { dispatch: 10, acknowledge: 15, handle: 240, verify: 60 },
  workingHours: false,
  status: 'active',
  sort: 0,
});

export function formFromCategory(c: CaseCategory): CategoryForm {
  const { regionId, parentId, code, name, departmentId, limits, urgentLimits, workingHours, status, sort } = c;
  return { regionId, parentId, code, name, departmentId, limits: { ...limits }, urgentLimits: { ...urgentLimits }, workingHours, status, sort };
}

export const inputFromForm = (form: CategoryForm): CategoryInput => ({ ...form, code: form.code.trim(), name: form.name.trim() });

export function categoryRules(t: T): Record<string, FormItemRule[]> {
  const shape = categoryInput.shape;
  return {
    code: [{ required: true, message: t('cases.categories.codeInvalid'), trigger: 'blur' }, schemaRule(shape.code, t('cases.categories.codeInvalid'))],
    name: [{ required: true, message: t('cases.categories.nameInvalid'), trigger: 'blur' }, schemaRule(shape.name, t('cases.categories.nameInvalid'))],
  };
}
