import type { z } from 'zod';

/**
 * One API route as both sides see it. The server registers it with these schemas (validation and
 * OpenAPI); the client takes its types from them. A `null` response means 204 No Content.
 */
export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType | null;
}

export function defineRoute<const R extends RouteContract>(route: R): R {
  return route;
}

type Input<S> = S extends z.ZodType ? z.input<S> : never;
export type RouteInput<R extends RouteContract> = (R['params'] extends z.ZodType ? { params: Input<R['params']> } : { params?: never }) &
  (R['query'] extends z.ZodType ? { query?: Input<R['query']> } : { query?: never }) &
  (R['body'] extends z.ZodType ? { body: Input<R['body']> } : { body?: never });
export type RouteOutput<R extends RouteContract> = R['response'] extends z.ZodType ? z.output<R['response']> : void;
