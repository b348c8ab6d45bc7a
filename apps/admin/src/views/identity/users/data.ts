import { ROLES, maskPhone, type Lang, type Role, type UserSummary } from '@nuanxin/shared';
import { formatDateTime } from '../../../utils/format.ts';

type T = (key: string, named?: Record<string, unknown>) => string;

export interface CellContext {
  t: T;
  lang: Lang;
}

export interface UserColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  /** Plain text of the cell; columns without it are drawn by a named slot in list.vue. */
  text?: (row: UserSummary, ctx: CellContext) => string;
}

/** What the filter bar edits; empty values are left out of the query by the API client. */
export interface UserFilters {
  role: Role | undefined;
  regionId: string | undefined;
  q: string;
}

export const emptyFilters = (): UserFilters => ({ role: undefined, regionId: undefined, q: '' });

export const PAGE_SIZES = [10, 20, 50, 100];

export const roleOptions = (t: T) => ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));

export function displayName(row: UserSummary, t: T): string {
  return row.name ?? row.username ?? t('users.list.unnamed');
}

export const userColumns: UserColumn[] = [
  { key: 'name', labelKey: 'users.list.name', minWidth: 120, text: (row, { t }) => displayName(row, t) },
  { key: 'role', labelKey: 'users.list.role', minWidth: 110, text: (row, { t }) => t(`roles.${row.role}`) },
  // The server sends it masked already; masking again is a no-op that guards against a server slip.
  { key: 'phone', labelKey: 'users.list.phone', minWidth: 130, text: (row, { t }) => maskPhone(row.phoneMasked) ?? t('common.none') },
  { key: 'region', labelKey: 'users.list.region', minWidth: 140, text: (row) => row.regionName },
  {
    key: 'occupation',
    labelKey: 'users.list.occupation',
    minWidth: 110,
    text: (row, { t }) => (row.occupation ? t(`occupations.${row.occupation}`) : t('common.none')),
  },
  { key: 'status', labelKey: 'users.list.status', minWidth: 90 },
  { key: 'createdAt', labelKey: 'users.list.createdAt', minWidth: 150, text: (row, { lang }) => formatDateTime(row.createdAt, lang) },
];
