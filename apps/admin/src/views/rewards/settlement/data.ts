import type { Lang, RouteOutput, rewardsRoutes } from '@nuanxin/shared';
import { formatDateTime } from '../../../utils/format.ts';

export type Settlement = RouteOutput<typeof rewardsRoutes.settlement>;
export type SettlementItem = Settlement['items'][number];

export interface SettlementColumn {
  key: string;
  labelKey: string;
  minWidth: number;
  /** Kept on a phone screen. */
  phone?: boolean;
  /** Admins settle many partners; a partner knows its own name. */
  staffOnly?: boolean;
  mono?: boolean;
  text: (row: SettlementItem, lang: Lang, none: string) => string;
}

export const settlementColumns: SettlementColumn[] = [
  { key: 'fulfilledAt', labelKey: 'rewards.settlement.fulfilledAt', minWidth: 140, phone: true, text: (row, lang) => formatDateTime(row.fulfilledAt, lang) },
  { key: 'partner', labelKey: 'rewards.settlement.partner', minWidth: 140, staffOnly: true, text: (row) => row.partnerName },
  { key: 'reward', labelKey: 'rewards.settlement.reward', minWidth: 140, phone: true, text: (row) => row.rewardName },
  { key: 'points', labelKey: 'rewards.settlement.points', minWidth: 70, phone: true, text: (row) => String(row.points) },
  { key: 'code', labelKey: 'rewards.settlement.code', minWidth: 100, mono: true, text: (row) => row.code },
  { key: 'worker', labelKey: 'rewards.settlement.worker', minWidth: 80, text: (row) => row.workerName },
  { key: 'fulfilledBy', labelKey: 'rewards.settlement.fulfilledBy', minWidth: 80, text: (row, _lang, none) => row.fulfilledBy ?? none },
];

/** Where the Excel export lives: the same query and access as the report itself. */
export const EXPORT_PATH = '/api/v1/rewards/settlement.xlsx';
