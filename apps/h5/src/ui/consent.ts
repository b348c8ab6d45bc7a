import { showConfirmDialog } from 'vant';
import 'vant/es/dialog/style/index';
import { i18n } from '../i18n.ts';

/**
 * Separate consent before the first use of position and of photos (个人信息保护法 art. 29:
 * position is sensitive personal information). Asked once per phone in our own words, before the
 * browser's permission prompt; "no" is remembered for this page only, so the question comes back
 * next time rather than never.
 */
export type ConsentKind = 'location' | 'camera';

const storageKey = (kind: ConsentKind) => `nx.consent.${kind}`;
const declinedThisVisit = new Set<ConsentKind>();
let asking: Promise<boolean> | null = null;

export function hasConsent(kind: ConsentKind): boolean {
  return localStorage.getItem(storageKey(kind)) === 'granted';
}

export function withdrawConsent(kind: ConsentKind): void {
  localStorage.removeItem(storageKey(kind));
}

export async function ensureConsent(kind: ConsentKind): Promise<boolean> {
  if (hasConsent(kind)) return true;
  if (declinedThisVisit.has(kind)) return false;
  // Two maps on one page ask at once: one dialog answers both.
  asking ??= (async () => {
    const { t } = i18n.global;
    const yes = await showConfirmDialog({
      title: t(`consent.${kind}.title`),
      message: t(`consent.${kind}.message`),
      confirmButtonText: t('consent.agree'),
      cancelButtonText: t('consent.decline'),
      messageAlign: 'left',
    }).then(
      () => true,
      () => false,
    );
    if (yes) localStorage.setItem(storageKey(kind), 'granted');
    else declinedThisVisit.add(kind);
    return yes;
  })().finally(() => (asking = null));
  return asking;
}
