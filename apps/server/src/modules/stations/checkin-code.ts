import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CHECKIN_STEP_SECONDS } from '@nuanxin/shared';

const STEP_MS = CHECKIN_STEP_SECONDS * 1000;

/** A new per-station secret: 32 random bytes as hex. */
export function newCheckinSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The 30-second step `now` falls in (Unix time / 30 s). */
export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / STEP_MS);
}

/** When the code of `step` stops being shown (it is still accepted for one more step). */
export function stepEnds(step: number): Date {
  return new Date((step + 1) * STEP_MS);
}

/**
 * The six digits for a station and step: HMAC-SHA256 of "station:step" under the station's secret,
 * truncated as TOTP does (RFC 4226 §5.3). Binding the station id means one leaked secret or code
 * says nothing about another station.
 */
export function codeFor(secretHex: string, stationId: string, step: number): string {
  const mac = createHmac('sha256', Buffer.from(secretHex, 'hex')).update(`${stationId}:${step}`).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * The step whose code `code` is, if it is the current or the previous one at `now`; null for any
 * other. Compared in constant time so response timing does not leak digits.
 */
export function verifyCode(secretHex: string, stationId: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const given = Buffer.from(code);
  const step = stepAt(now);
  for (const candidate of [step, step - 1]) {
    if (timingSafeEqual(Buffer.from(codeFor(secretHex, stationId, candidate)), given)) return candidate;
  }
  return null;
}
