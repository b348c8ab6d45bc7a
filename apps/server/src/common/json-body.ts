import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from './errors.ts';

/** No form of ours nests deeper than a handful of levels; 32 leaves room and stops abuse early. */
export const MAX_JSON_DEPTH = 32;

/** How deep a parsed JSON value nests, walked without recursion so a hostile body cannot overflow the stack. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * The JSON body parser: Fastify's own rules (no `__proto__` or `constructor.prototype` keys) plus
 * a depth limit, so deeply nested bodies are refused before any schema walks them.
 */
export function registerJsonBodyParser(app: FastifyInstance) {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    let value: unknown;
    try {
      value = secureJson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch (err) {
      return done(Object.assign(err instanceof SyntaxError ? err : new SyntaxError(String(err)), { statusCode: 400 }), undefined);
    }
    if (jsonDepth(value) > MAX_JSON_DEPTH) return done(new AppError('JSON_TOO_DEEP', { max: MAX_JSON_DEPTH }), undefined);
    done(null, value);
  });
}
