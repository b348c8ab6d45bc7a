import { ApiError, createApiClient, type ApiCall } from '@nuanxin/shared';
import { getLang } from '../i18n.ts';

const TOKEN_KEY = 'nx.h5.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  localStorage.removeItem(TOKEN_KEY);
}

let sessionExpired: () => void = () => {};

/** The app (main.ts) decides what a dead session means: clear the user and go to /login. */
export function onSessionExpired(handler: () => void): void {
  sessionExpired = handler;
}

/**
 * The one API client of the H5. Writes that must survive a retry (the coming outbox) pass their
 * own stable `idempotencyKey` in the third argument.
 */
export const api: ApiCall = createApiClient({
  getToken,
  getLang,
  onUnauthenticated() {
    // A 401 without a token is a wrong SMS code on the login page, not an expired session.
    if (!getToken()) return;
    clearToken();
    sessionExpired();
  },
});

export interface FieldError {
  path: string;
  message: string;
}

/**
 * Field errors of a VALIDATION_FAILED answer (`details.fields = [{path, message}]`), with the path
 * reduced to the top-level field name ("body.name", ["name"] and "name" all become "name").
 */
export function fieldErrors(err: unknown): FieldError[] {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED') return [];
  const fields = err.details?.fields;
  if (!Array.isArray(fields)) return [];
  const result: FieldError[] = [];
  for (const field of fields as unknown[]) {
    if (typeof field !== 'object' || field === null) continue;
    const { path, message } = field as { path?: unknown; message?: unknown };
    const parts = (Array.isArray(path) ? path.map(String) : String(path ?? '').split('.')).filter((p) => p && p !== 'body');
    if (parts[0]) result.push({ path: parts[0], message: typeof message === 'string' ? message : err.message });
  }
  return result;
}

export { ApiError };
