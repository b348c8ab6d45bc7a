import { fulfilRequest } from '@nuanxin/shared';

export const CODE_LENGTH = 8;

/** What the counter types, made into a code: capitals, no spaces or dashes (people group 4+4). */
export function normalizeCode(value: string): string {
  return value
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .slice(0, CODE_LENGTH);
}

/** Exactly what the API accepts: 8 of A–Z and 2–9. */
export const isCode = (value: string) => value.length === CODE_LENGTH && fulfilRequest.safeParse({ code: value }).success;

/**
 * The code inside a scanned QR: the code itself, a link carrying it (`?code=` or the last path
 * segment), or failing those one 8-character token standing on its own in the text.
 */
export function codeFromQr(raw: string): string | null {
  const text = raw.trim();
  const whole = text.replace(/[\s-]/g, '').toUpperCase();
  if (whole.length === CODE_LENGTH && isCode(whole)) return whole;
  try {
    const url = new URL(text);
    const candidates = [url.searchParams.get('code'), url.pathname.split('/').filter(Boolean).at(-1)];
    for (const c of candidates) if (c && isCode(c.toUpperCase())) return c.toUpperCase();
  } catch {
    // not a link: look for a token below
  }
  const tokens = text.match(/(?<![A-Za-z0-9])[A-Za-z2-9]{8}(?![A-Za-z0-9])/g) ?? [];
  const codes = tokens.map((s) => s.toUpperCase()).filter(isCode);
  return codes.length === 1 ? codes[0]! : null;
}
