import { OPEN311_BASE, OPEN311_FORMATS, pickLang, type Open311Format } from '@nuanxin/shared';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors.ts';
import { formatOfUrl, fromAppError, Open311Refusal, send, sendErrors, splitFormat } from './open311.format.ts';
import { fieldsFromForm, fieldsFromJson, refuse, say, type Fields } from './open311.input.ts';
import type { Open311Service, RequestQuery } from './open311.service.ts';

const tags = ['open311'];
const config = { access: { who: 'public' } } as const;
const langOf = (request: FastifyRequest) => pickLang(request.headers['accept-language']);

/** Query values as single strings: a repeated parameter reads as a comma list, as the spec's lists do. */
function queryOf(request: FastifyRequest): RequestQuery & Record<string, string | undefined> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === 'string').join(',');
  }
  return out;
}

/** `/requests/{id}.json` → its id and format, or a 404 in JSON when the extension is neither. */
function fileParam(request: FastifyRequest): { name: string; format: Open311Format } {
  const split = splitFormat(String((request.params as { file?: string }).file ?? ''));
  if (!split) throw new Open311Refusal(404, say(langOf(request), 'formatUnknown'));
  return split;
}

/** Where this server is reached, for absolute photo links. */
const baseOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

function onError(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const format = formatOfUrl(request.url);
  const lang = langOf(request);
  if (err instanceof Open311Refusal) return sendErrors(reply, format, err.status, err.description);
  if (err instanceof AppError) {
    const r = fromAppError(err, lang);
    return sendErrors(reply, format, r.status, r.description);
  }
  // Fastify's own refusals: a content type we do not read, a body too large or not JSON.
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) return sendErrors(reply, format, 415, say(lang, 'mediaType'));
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return sendErrors(reply, format, err.statusCode, say(lang, 'bodyInvalid'));
  request.log.error({ err }, 'unhandled error');
  return sendErrors(reply, format, 500, `internal error (ref ${request.id})`);
}

/**
 * Open311 GeoReport v2 at /open311/v2/: every answer in JSON or XML after the extension, errors
 * as the spec's `[{code, description}]` / `<errors>`. Registered in a scope of its own, so the
 * form-body parser and these error answers do not reach /api/v1.
 */
export function registerOpen311Routes(app: FastifyInstance, open311: Open311Service) {
  app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, fieldsFromForm(body as string)));
      scope.setErrorHandler(onError);
      scope.setNotFoundHandler((request, reply) => sendErrors(reply, formatOfUrl(request.url), 404, say(langOf(request), 'formatUnknown')));

      for (const format of OPEN311_FORMATS) {
        scope.get(`/services.${format}`, { config, schema: { tags, summary: `Services (our second-level case categories), ${format.toUpperCase()}` } }, async (request, reply) =>
          send(reply, format, 'services', await open311.services(queryOf(request).jurisdiction_id, langOf(request))),
        );
        scope.get(`/requests.${format}`, { config, schema: { tags, summary: `Service requests (cases, no personal data): service_request_id, service_code, start_date, end_date, status; ${format.toUpperCase()}` } }, async (request, reply) =>
          send(reply, format, 'service_requests', await open311.requests(queryOf(request), baseOf(request), langOf(request))),
        );
        scope.post(
          `/requests.${format}`,
          { config, schema: { tags, summary: `File a service request (form-encoded or JSON, api_key required); ${format.toUpperCase()}` } },
          async (request, reply) => {
            const lang = langOf(request);
            if (typeof request.body === 'string') throw refuse(415, lang, 'mediaType');
            const fields: Fields = request.body instanceof Map ? (request.body as Fields) : fieldsFromJson(request.body, lang);
            // Some clients put api_key in the query string; the body wins when both are there.
            const key = queryOf(request).api_key;
            if (key && !fields.has('api_key')) fields.set('api_key', [key]);
            const created = await open311.create(fields, request.ip, lang);
            return send(reply, format, 'service_requests', [created]);
          },
        );
      }
      scope.get('/services/:file', { config, schema: { tags, summary: 'Service definition with its attributes: /services/{service_code}.json or .xml' } }, async (request, reply) => {
        const { name, format } = fileParam(request);
        return send(reply, format, 'service_definition', await open311.definition(name, queryOf(request).jurisdiction_id, langOf(request)));
      });
      scope.get('/requests/:file', { config, schema: { tags, summary: 'One service request: /requests/{service_request_id}.json or .xml' } }, async (request, reply) => {
        const { name, format } = fileParam(request);
        return send(reply, format, 'service_requests', await open311.request(name, baseOf(request), langOf(request)));
      });
      scope.get('/tokens/:file', { config, schema: { tags, summary: 'The service request a token stands for: /tokens/{token}.json or .xml' } }, async (request, reply) => {
        const { name, format } = fileParam(request);
        return send(reply, format, 'service_requests', await open311.token(name, langOf(request)));
      });
    },
    { prefix: OPEN311_BASE },
  );
}
