import { ApiError, createApiClient } from '@nuanxin/shared';
import { getLang } from '../locales/index.ts';

const TOKEN_KEY = 'nx.admin.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

// Set by the router once it exists; kept as a hook so this module does not import the router
// (the router's lazy views import this module).
let unauthenticatedHandler: () => void = () => {};
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

/** The one API client of the console; same-origin, so paths are used as they are. */
export const call = createApiClient({
  getToken,
  getLang,
  onUnauthenticated: () => unauthenticatedHandler(),
});

/** A message fit to show a person: the server's own (already in their language) or the JS error's. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError || err instanceof Error) return err.message;
  return String(err);
}

export { ApiError };

/**
 * Field errors of a VALIDATION_FAILED answer (`details.fields = [{path, message}]`) by top-level
 * field name, for the form item that shows them ("body.name" and "name" both become "name").
 */
export function fieldErrors(err: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return result;
  const fields = err.details?.fields;
  if (!Array.isArray(fields)) return result;
  for (const field of fields as unknown[]) {
    if (typeof field !== 'object' || field === null) continue;
    const { path, message } = field as { path?: unknown; message?: unknown };
    const name = String(path ?? '')
      .split('.')
      .find((p) => p && p !== 'body');
    if (name && !result[name]) result[name] = typeof message === 'string' ? message : err.message;
  }
  return result;
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts, and staff sometimes
 * open the console over plain http on the office network; getRandomValues works everywhere.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Downloads a file route (an Excel export) with the session's token: a plain link cannot send the
 * Authorization header, so the file comes through fetch and leaves as a blob link.
 * Errors arrive as the usual `{"error":…}` body and are thrown as ApiError, as `call` does.
 */
export async function downloadFile(path: string, query: Record<string, string>, fallbackName: string): Promise<void> {
  const headers: Record<string, string> = { 'Accept-Language': getLang() };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${path}?${new URLSearchParams(query)}`, { headers });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : 'network error');
  }
  if (!res.ok) {
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    if (data?.error?.code === 'UNAUTHENTICATED') unauthenticatedHandler();
    throw new ApiError(res.status, (data?.error?.code ?? 'INTERNAL') as ApiError['code'], data?.error?.message ?? res.statusText);
  }
  const blob = await res.blob();
  // The server's name (RFC 5987 filename*) wins; ours is the fallback.
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  let name = fallbackName;
  try {
    if (encoded) name = decodeURIComponent(encoded);
  } catch {
    // a malformed name is not worth failing the download for
  }
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked a moment later: some browsers start the download only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
