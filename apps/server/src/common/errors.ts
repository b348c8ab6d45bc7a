import { ERRORS, errorMessage, fieldMessage, pickLang, type ErrorCode, type Lang } from '@nuanxin/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** A refusal the user can act on: a stable code, HTTP status from the shared table, optional details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
    this.name = 'AppError';
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}

// Fastify's own 4xx errors (body parsing, content type) mapped onto our codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

// PostgreSQL SQLSTATE classes that mean "the input was wrong", should a check slip past the schemas.
/** Socket errors of a database that is restarting or unreachable: the request may simply be tried again. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

function codeForDatabaseError(err: { code?: unknown; message?: unknown }): ErrorCode | null {
  if (typeof err.code === 'string' && UNREACHABLE.has(err.code)) return 'DATABASE_UNAVAILABLE';
  if (typeof err.message === 'string' && /Connection terminated|terminating connection|the database system is (starting up|shutting down)/i.test(err.message)) return 'DATABASE_UNAVAILABLE';
  const sqlState = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : null;
  if (!sqlState) return null;
  // 57P01-03: admin shutdown, crash shutdown, cannot connect now; 08: connection exceptions.
  if (sqlState.startsWith('57P') || sqlState.startsWith('08')) return 'DATABASE_UNAVAILABLE';
  if (sqlState === '23505' || sqlState === '40001' || sqlState === '40P01') return 'CONFLICT';
  if (sqlState.startsWith('22') || sqlState.startsWith('23')) return 'VALIDATION_FAILED';
  return null;
}

function classify(err: FastifyError & { code?: unknown }, lang: Lang): { code: ErrorCode; details?: Record<string, unknown> } {
  if (err instanceof AppError) return { code: err.code, ...(err.details ? { details: err.details } : {}) };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const fields = err.validation.map((v) => ({
      in: err.validationContext ?? 'body',
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: fieldMessage(v.keyword, lang),
    }));
    return { code: 'VALIDATION_FAILED', details: { fields } };
  }
  const mapped = typeof err.code === 'string' ? FASTIFY_CODES[err.code] : undefined;
  if (mapped) return { code: mapped };
  if (err instanceof SyntaxError && err.statusCode === 400) return { code: 'INVALID_JSON' };
  const dbCode = codeForDatabaseError(err);
  if (dbCode) return { code: dbCode };
  if (err.statusCode === 429) return { code: 'RATE_LIMITED' };
  if (err.statusCode === 413) return { code: 'PAYLOAD_TOO_LARGE' };
  if (err.statusCode === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE' };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return { code: 'VALIDATION_FAILED' };
  return { code: 'INTERNAL' };
}

/** The `{"error":{code,message,details?}}` body in the request's language. */
export function sendError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, details?: Record<string, unknown>) {
  const lang = pickLang(request.headers['accept-language']);
  const message = errorMessage(code, lang, { ...details, requestId: request.id });
  return reply
    .code(ERRORS[code].status)
    .header('x-request-id', request.id)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } }));
}

/** One place turns every thrown thing into an answer; unknown errors leak nothing but a request id. */
export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { code, details } = classify(err, pickLang(request.headers['accept-language']));
  if (code === 'DATABASE_UNAVAILABLE') {
    request.log.warn({ err }, 'database unavailable');
    reply.header('retry-after', '5');
  } else if (code === 'INTERNAL') request.log.error({ err }, 'unhandled error');
  else request.log.info({ code, status: ERRORS[code].status }, 'request refused');
  return sendError(request, reply, code, code === 'INTERNAL' ? { requestId: request.id } : details);
}
