import {
  CASE_ACTION_LABELS,
  CASE_RESULT_LABELS,
  CASE_STATUS_LABELS,
  casesRoutes,
  type CaseAction,
  type CaseCategory,
  type CaseResult,
  type CaseStatus,
} from '@nuanxin/shared';
import type { TagType } from 'vant';
import { api } from '../../api/index.ts';
import { getLang } from '../../i18n.ts';

// What the cases pages share: the words of statuses, steps and results (from the shared package,
// in both languages), their colours, and the category catalogue.

export const statusLabel = (status: CaseStatus) => CASE_STATUS_LABELS[status][getLang()];
export const actionLabel = (action: CaseAction) => CASE_ACTION_LABELS[action][getLang()];
export const resultLabel = (result: CaseResult) => CASE_RESULT_LABELS[result][getLang()];

/** Green once it is over, grey when refused, orange while someone works on it. */
export function statusTag(status: CaseStatus): TagType {
  if (status === 'closed' || status === 'rated' || status === 'archived') return 'success';
  if (status === 'rejected') return 'default';
  if (status === 'submitted') return 'primary';
  return 'warning';
}

export interface CategoryGroup {
  id: string;
  code: string;
  name: string;
  children: CaseCategory[];
}

// The catalogue is kept on the phone: in a basement with no signal the report form must still
// offer the categories, or nothing could be put in the outbox.
const CACHE_KEY = 'nx.h5.caseCategories';

function cached(): CaseCategory[] | null {
  try {
    const text = localStorage.getItem(CACHE_KEY);
    return text ? (JSON.parse(text) as CaseCategory[]) : null;
  } catch {
    return null;
  }
}

/** The active catalogue: the server's if it answers, else the last copy on the phone. Throws when neither. */
export async function loadCategories(): Promise<CaseCategory[]> {
  try {
    const list = await api(casesRoutes.categories, { query: {} });
    localStorage.setItem(CACHE_KEY, JSON.stringify(list));
    return list;
  } catch (err) {
    const copy = cached();
    if (copy) return copy;
    throw err;
  }
}

/** 大类 with their 小类, in catalogue order; a 大类 without active 小类 is left out (nothing to pick). */
export function groupCategories(list: readonly CaseCategory[]): CategoryGroup[] {
  const active = list.filter((c) => c.status === 'active').sort((a, b) => a.sort - b.sort);
  return active
    .filter((c) => c.parentId === null)
    .map((top) => ({ id: top.id, code: top.code, name: top.name, children: active.filter((c) => c.parentId === top.id) }))
    .filter((group) => group.children.length > 0);
}

/** "23.40460, 113.21850": five decimals is about a metre. */
export function formatPosition(lat: number, lng: number): string {
  return `${lat.toFixed(5)}, ${lng.toFixed(5)}`;
}
