import { ERRORS, errorMessage, type ErrorCode, type Lang, type Open311Error, type Open311Format } from '@nuanxin/shared';
import type { FastifyReply } from 'fastify';
import type { AppError } from '../../common/errors.ts';

/** A refusal in GeoReport's own form: an HTTP status and a sentence, answered as `[{code, description}]` or `<errors>`. */
export class Open311Refusal extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
    this.name = 'Open311Refusal';
  }
}

/** Our refusal codes, in the reader's language, as Open311 errors (the cases service speaks AppError). */
export function fromAppError(err: AppError, lang: Lang): Open311Refusal {
  return new Open311Refusal(ERRORS[err.code].status, errorMessage(err.code, lang, err.details ?? {}));
}
export const refusal = (code: ErrorCode, lang: Lang) => new Open311Refusal(ERRORS[code].status, errorMessage(code, lang));

/** Elements whose children repeat: the child's tag, as in the spec's examples. */
const ITEM_TAGS: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  errors: 'error',
};

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex -- these are exactly the ones to drop
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function element(tag: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<${tag}/>`;
  if (Array.isArray(value)) {
    const item = ITEM_TAGS[tag] ?? 'item';
    return `<${tag}>${value.map((v) => element(item, v)).join('')}</${tag}>`;
  }
  if (typeof value === 'object') {
    return `<${tag}>${Object.entries(value).map(([k, v]) => element(k, v)).join('')}</${tag}>`;
  }
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

/** The XML document for a JSON answer: an array under its plural root, or one object under `root`. */
export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`;
}

/** Sends a JSON or an XML answer; `root` names the XML document element. */
export function send(reply: FastifyReply, format: Open311Format, root: string, value: unknown, status = 200) {
  reply.code(status).header('cache-control', 'no-store');
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

export function sendErrors(reply: FastifyReply, format: Open311Format, status: number, description: string) {
  const errors: Open311Error[] = [{ code: status, description }];
  return send(reply, format, 'errors', errors, status);
}

/** `services.xml` → xml; anything else JSON, so even a wrong URL gets an answer a client can parse. */
export function formatOfUrl(url: string): Open311Format {
  return /\.xml(\?|$)/i.test(url) ? 'xml' : 'json';
}

/** `env.vending.json` → { name: 'env.vending', format: 'json' }; null without a known extension. */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: m[1]!, format: m[2] as Open311Format } : null;
}
