import { ApiError } from './index.ts';

/**
 * One form's Idempotency-Keys. Sending the same thing again after a network error or a 5xx (the
 * first try may have reached the server, only the answer was lost) reuses the key, so the server
 * replays the first result instead of filing a second claim or issuing a second voucher. Once the
 * server answered with 2xx or a refusal, or the person changed what they send, the next try is a
 * new submission with a new key.
 */
export function createSubmission() {
  let pending: { fingerprint: string; key: string } | null = null;
  return {
    /** `fingerprint` names what is sent (target and body); `run` makes the call with the key. */
    async send<T>(fingerprint: string, run: (idempotencyKey: string) => Promise<T>): Promise<T> {
      if (pending?.fingerprint !== fingerprint) pending = { fingerprint, key: newKey() };
      try {
        const result = await run(pending.key);
        pending = null;
        return result;
      } catch (err) {
        const unanswered = err instanceof ApiError && (err.code === 'NETWORK' || err.status >= 500);
        if (!unanswered) pending = null;
        throw err;
      }
    },
  };
}

/** A v4 UUID; crypto.randomUUID() exists only on https or localhost, not on http to a LAN address. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
