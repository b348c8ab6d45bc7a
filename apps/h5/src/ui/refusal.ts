import type { ErrorCode } from '@nuanxin/shared';
import { showDialog } from 'vant';
import 'vant/es/dialog/style/index';
import { ApiError } from '../api/index.ts';
import { i18n } from '../i18n.ts';
import { toastError } from './toast.ts';

// Refusals the person has to read and act on (not enough points, not today, sold out): a dialog
// that stays until tapped, the server's words as the title and what to do next below. A toast
// vanishes in two seconds, too fast on a bike at a shop counter.
const REFUSALS: ErrorCode[] = [
  'INSUFFICIENT_POINTS',
  'OUT_OF_STOCK',
  'LIMIT_REACHED',
  'NOT_REDEMPTION_DAY',
  'EARNING_SUSPENDED',
  'RULE_NOT_CLAIMABLE',
  'CAP_REACHED',
];

/** Shows why the server said no; returns the refusal's code, or null for other errors (toasted). */
export async function showRefusal(err: unknown): Promise<ErrorCode | null> {
  if (!(err instanceof ApiError) || err.code === 'NETWORK' || !REFUSALS.includes(err.code)) {
    toastError(err);
    return null;
  }
  const { t } = i18n.global;
  await showDialog({ title: err.message, message: t(`refusal.${err.code}`), confirmButtonText: t('common.gotIt') });
  return err.code;
}
