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
