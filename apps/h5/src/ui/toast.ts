import { showToast } from 'vant';
import 'vant/es/toast/style/index';
import { ApiError } from '../api/index.ts';
import { i18n } from '../i18n.ts';

export function toast(message: string): void {
  showToast({ message, wordBreak: 'break-word' });
}

/** Shows what went wrong in words: the server's message is already in the person's language. */
export function toastError(err: unknown): void {
  if (err instanceof ApiError && err.code !== 'NETWORK') toast(err.message);
  else toast(i18n.global.t('common.offline'));
}
