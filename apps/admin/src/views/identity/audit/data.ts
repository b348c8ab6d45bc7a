import type { identityRoutes, Lang, RouteOutput } from '@nuanxin/shared';
import { formatDateTime } from '../../../utils/format.ts';

type T = (key: string) => string;
export type AuditEntry = RouteOutput<typeof identityRoutes.audit>['items'][number];

export interface CellContext {
  t: T;
  lang: Lang;
  /** Region id → name, from the region tree; ids outside it are shown as they are. */
  regionNames: ReadonlyMap<string, string>;
}

export interface AuditColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  mono?: boolean;
  text: (row: AuditEntry, ctx: CellContext) => string;
}

export const PAGE_SIZES = [20, 50, 100];

/** One line of JSON: enough to scan, the tooltip shows the rest. */
export function compactJson(detail: Record<string, unknown>): string {
  return Object.keys(detail).length ? JSON.stringify(detail) : '';
}

export const auditColumns: AuditColumn[] = [
  { key: 'createdAt', labelKey: 'audit.list.time', minWidth: 150, text: (row, { lang }) => formatDateTime(row.createdAt, lang) },
  {
    key: 'actor',
    labelKey: 'audit.list.actor',
    minWidth: 110,
    // No actor id means the system itself acted (a timer, a migration).
    text: (row, { t }) => row.actorName ?? (row.actorId ? row.actorId.slice(0, 8) : t('audit.list.system')),
  },
  { key: 'action', labelKey: 'audit.list.action', minWidth: 150, mono: true, text: (row) => row.action },
  {
    key: 'entity',
    labelKey: 'audit.list.entity',
    minWidth: 150,
    mono: true,
    text: (row) => (row.entityId ? `${row.entity} #${row.entityId.slice(0, 8)}` : row.entity),
  },
  { key: 'region', labelKey: 'audit.list.region', minWidth: 130, text: (row, { regionNames }) => regionNames.get(row.regionId) ?? row.regionId },
  { key: 'detail', labelKey: 'audit.list.detail', minWidth: 260, mono: true, text: (row, { t }) => compactJson(row.detail) || t('common.none') },
];
