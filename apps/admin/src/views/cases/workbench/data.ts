import { CASE_STATUSES, type CASE_VIEWS, type CaseSummary, type Lang } from '@nuanxin/shared';
import { formatDateTime } from '../../../utils/format.ts';
import { statusLabel } from '../labels.ts';

type T = (key: string, named?: Record<string, unknown>) => string;
export type CaseView = (typeof CASE_VIEWS)[number];

export const PAGE_SIZES = [20, 50, 100];
/** The tabs, in the order work arrives: new, mine, late, everything. */
export const VIEWS: readonly CaseView[] = ['new', 'queue', 'overdue', 'all'];

export const statusOptions = (lang: Lang) => CASE_STATUSES.map((s) => ({ value: s, label: statusLabel(s, lang) }));

export interface CaseColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  /** Kept on a phone-width screen. */
  phone?: boolean;
  long?: boolean;
  text?: (row: CaseSummary, ctx: { t: T; lang: Lang }) => string;
}

export const caseColumns: CaseColumn[] = [
  { key: 'createdAt', labelKey: 'cases.list.createdAt', minWidth: 140, text: (row, { lang }) => formatDateTime(row.createdAt, lang) },
  { key: 'category', labelKey: 'cases.list.category', minWidth: 150, phone: true, text: (row) => [row.category.parentName, row.category.name].filter(Boolean).join(' · ') },
  { key: 'description', labelKey: 'cases.list.description', minWidth: 200, long: true, text: (row, { t }) => row.description || t('common.none') },
  { key: 'place', labelKey: 'cases.list.place', minWidth: 150, long: true, text: (row) => [row.regionName, row.address].filter(Boolean).join(' · ') },
  { key: 'status', labelKey: 'cases.list.status', minWidth: 110, phone: true },
  { key: 'handler', labelKey: 'cases.list.handler', minWidth: 150, long: true, text: (row, { t }) => [row.departmentName, row.assigneeName].filter(Boolean).join(' · ') || t('common.none') },
  { key: 'due', labelKey: 'cases.list.due', minWidth: 150 },
];
