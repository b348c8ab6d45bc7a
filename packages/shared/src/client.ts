import type { ErrorBody, ErrorCode } from './errors.ts';
import type { RouteContract, RouteInput, RouteOutput } from './contract.ts';

/** An answer with an `{"error":…}` body, or no answer at all (code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  baseUrl?: string;
  getToken?: () => string | null | undefined;
  getLang?: () => string;
  /** Called on 401 so the app can send the person back to the login page. */
  onUnauthenticated?: () => void;
  fetch?: typeof fetch;
}

export type ApiCall = <R extends RouteContract>(
  route: R,
  input?: RouteInput<R>,
  /** `file`: a photo to send as the body itself (the media upload route). */
  init?: { idempotencyKey?: string; file?: Blob },
) => Promise<RouteOutput<R>>;

function fillPath(path: string, params: Record<string, unknown> = {}): string {
  return path.replace(/:(\w+)/g, (_, key: string) => encodeURIComponent(String(params[key])));
}

function toQueryString(query: Record<string, unknown> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A typed client: `call(identityRoutes.login, { body })` returns what the server's schema says. */
export function createApiClient(options: ApiClientOptions = {}): ApiCall {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async (route, input, init) => {
    const { params, query, body } = (input ?? {}) as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    const headers: Record<string, string> = { 'Accept-Language': options.getLang?.() ?? 'zh-CN' };
    const token = options.getToken?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (init?.file) headers['Content-Type'] = init.file.type || 'application/octet-stream';
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (init?.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
    const url = `${options.baseUrl ?? ''}${fillPath(route.path, params)}${toQueryString(query)}`;
    let res: Response;
    try {
      res = await doFetch(url, { method: route.method, headers, body: init?.file ?? (body === undefined ? undefined : JSON.stringify(body)) });
    } catch (err) {
      throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : 'network error');
    }
    if (res.status === 204) return undefined as never;
    const data: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error = (data as Partial<ErrorBody> | null)?.error;
      if (error?.code === 'UNAUTHENTICATED') options.onUnauthenticated?.();
      throw new ApiError(res.status, error?.code ?? 'INTERNAL', error?.message ?? res.statusText, error?.details);
    }
    return data as never;
  };
}
