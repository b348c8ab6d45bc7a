import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * Responses are written by fast-json-stringify compiled from each route's zod schema: only the
 * fields a schema names leave the server (nothing extra can leak), a missing required field is an
 * error, and it costs far less per request than re-validating every answer with zod.
 */
export function compileSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]) as (data: unknown) => string;
}

/**
 * An answer already written as JSON, for a hot route that keeps parts of its answer serialised
 * ahead of time. Write its text only with serializers compiled here from the route's own response
 * schema, so that nothing the schema does not name can leave; `addRoute` sends it as it is.
 */
export class JsonText<T> {
  /** The answer this text stands for (type only), so a route can return it only for its own contract. */
  declare readonly answer: T;
  /** The JSON, as text or as its UTF-8 bytes. */
  constructor(readonly body: string | Buffer) {}
}
