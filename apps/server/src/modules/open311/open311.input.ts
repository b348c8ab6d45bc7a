import { noteText, OPEN311_ATTRIBUTES, plainText, type Lang } from '@nuanxin/shared';
import { z } from 'zod';
import { Open311Refusal } from './open311.format.ts';

type Words = Record<Lang, string>;

/** What Open311 refuses, in each language ({field} and {max} filled in). */
const MESSAGES = {
  apiKeyMissing: { 'zh-CN': '缺少 api_key，无法提交服务请求', en: 'api_key is required to create a service request' },
  apiKeyInvalid: { 'zh-CN': 'api_key 无效，无法提交服务请求', en: "Invalid api_key received -- can't proceed with create_request" },
  serviceCodeMissing: { 'zh-CN': '缺少 service_code', en: 'service_code is required' },
  serviceCodeUnknown: { 'zh-CN': '找不到 service_code：{field}', en: 'service_code not found: {field}' },
  positionRequired: {
    'zh-CN': '需要 lat 和 long（WGS-84）：每个请求都要落在地图上，暂不支持仅凭 address_string 定位',
    en: 'lat and long (WGS-84) are required: every request is placed on the map, and address_string alone is not geocoded',
  },
  fieldInvalid: { 'zh-CN': '{field} 的值不正确', en: 'The value of {field} is not valid' },
  fieldRepeated: { 'zh-CN': '{field} 只能提交一次', en: '{field} may be sent only once' },
  attributeUnknown: { 'zh-CN': '该服务没有属性 {field}', en: 'This service has no attribute {field}' },
  dateInvalid: { 'zh-CN': '{field} 须为 W3C 日期时间，如 2026-01-31T08:00:00+08:00', en: '{field} must be a W3C datetime such as 2026-01-31T08:00:00+08:00' },
  dateRange: { 'zh-CN': 'start_date 须早于 end_date，且相隔不超过 {max} 天', en: 'start_date must come before end_date, at most {max} days apart' },
  statusInvalid: { 'zh-CN': 'status 只能是 open 或 closed', en: 'status must be open or closed' },
  idInvalid: { 'zh-CN': 'service_request_id 格式不正确：{field}', en: 'Malformed service_request_id: {field}' },
  tooMany: { 'zh-CN': '{field} 一次最多 {max} 个', en: 'At most {max} values of {field} at once' },
  requestNotFound: { 'zh-CN': '找不到该服务请求', en: 'No such service request' },
  tokenNotFound: { 'zh-CN': '找不到该 token', en: 'No such token' },
  jurisdictionUnknown: { 'zh-CN': '找不到 jurisdiction_id：{field}', en: 'jurisdiction_id not found: {field}' },
  jurisdictionNeeded: { 'zh-CN': '多个辖区都有该服务，请提供 jurisdiction_id', en: 'Several jurisdictions offer this service: send jurisdiction_id' },
  rateLimited: { 'zh-CN': '提交过于频繁，请稍后再试', en: 'Too many requests from this api_key and address; please try again later' },
  mediaType: { 'zh-CN': '请以 application/x-www-form-urlencoded 或 JSON 提交', en: 'Send the request as application/x-www-form-urlencoded or JSON' },
  bodyInvalid: { 'zh-CN': '请求内容无法解析', en: 'The request body cannot be read' },
  formatUnknown: { 'zh-CN': '找不到该地址；格式须为 .json 或 .xml', en: 'Not found; the format must be .json or .xml' },
} satisfies Record<string, Words>;
export type MessageKey = keyof typeof MESSAGES;

export function say(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
export const refuse = (status: number, lang: Lang, key: MessageKey, vars?: Record<string, string | number>) => new Open311Refusal(status, say(lang, key, vars));

/** A form or JSON body as field → values; `attribute[code]` and `attribute[code][]` keep their bracketed names. */
export type Fields = Map<string, string[]>;

export function fieldsFromForm(body: string): Fields {
  const fields: Fields = new Map();
  for (const [key, value] of new URLSearchParams(body)) fields.set(key, [...(fields.get(key) ?? []), value]);
  return fields;
}

/** A JSON object of scalars, with `attribute` as a nested object allowed; anything else is refused. */
export function fieldsFromJson(body: unknown, lang: Lang): Fields {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw refuse(400, lang, 'bodyInvalid');
  const fields: Fields = new Map();
  const scalar = (key: string, v: unknown): string => {
    if (typeof v === 'string') return v;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
    throw refuse(400, lang, 'fieldInvalid', { field: key });
  };
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (key === 'attribute' && typeof value === 'object' && !Array.isArray(value)) {
      for (const [code, v] of Object.entries(value)) fields.set(`attribute[${code}]`, Array.isArray(v) ? v.map((x) => scalar(`attribute[${code}]`, x)) : [scalar(`attribute[${code}]`, v)]);
    } else if (Array.isArray(value)) {
      fields.set(key, value.map((v) => scalar(key, v)));
    } else {
      fields.set(key, [scalar(key, value)]);
    }
  }
  return fields;
}

/** The one value of a field, or undefined; empty means absent (form clients send `email=`). */
export function one(fields: Fields, key: string, lang: Lang): string | undefined {
  const values = fields.get(key);
  if (!values) return undefined;
  if (values.length > 1) throw refuse(400, lang, 'fieldRepeated', { field: key });
  const v = values[0]!.trim();
  return v === '' ? undefined : v;
}

const DECIMAL = /^[+-]?\d{1,3}(\.\d{1,15})?$/;

function checked<T>(schema: z.ZodType<T>, value: string | undefined, field: string, lang: Lang): T | null {
  if (value === undefined) return null;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw refuse(400, lang, 'fieldInvalid', { field });
  return parsed.data;
}

export interface CreateInput {
  serviceCode: string | undefined;
  jurisdictionId: string | null;
  lat: number;
  lng: number;
  addressString: string | null;
  description: string;
  mediaUrl: string | null;
  contact: { first_name: string | null; last_name: string | null; email: string | null; phone: string | null; device_id: string | null; account_id: string | null };
  /** Raw attribute values by code; checked against the service definition by the service. */
  attributes: Map<string, string[]>;
}

const ATTRIBUTE = /^attribute\[([^\]]{1,40})\](\[\])?$/;

/**
 * Reads a POST requests body after the api_key was accepted. service_code is left for the service
 * to look up; the rest is checked here, field by field.
 */
export function readCreate(fields: Fields, lang: Lang): CreateInput {
  const attributes = new Map<string, string[]>();
  for (const [key, values] of fields) {
    const m = ATTRIBUTE.exec(key);
    if (m) attributes.set(m[1]!, [...(attributes.get(m[1]!) ?? []), ...values.map((v) => v.trim())]);
  }
  const latText = one(fields, 'lat', lang);
  const lngText = one(fields, 'long', lang);
  if (latText === undefined || lngText === undefined) throw refuse(400, lang, 'positionRequired');
  const lat = DECIMAL.test(latText) ? Number(latText) : NaN;
  const lng = DECIMAL.test(lngText) ? Number(lngText) : NaN;
  if (!(Math.abs(lat) <= 90)) throw refuse(400, lang, 'fieldInvalid', { field: 'lat' });
  if (!(Math.abs(lng) <= 180)) throw refuse(400, lang, 'fieldInvalid', { field: 'long' });
  const name = plainText(40);
  const code = z.string().regex(/^[\w.:@-]{1,100}$/);
  return {
    serviceCode: one(fields, 'service_code', lang),
    jurisdictionId: checked(z.string().regex(/^\d{6}$/), one(fields, 'jurisdiction_id', lang), 'jurisdiction_id', lang),
    lat,
    lng,
    addressString: checked(plainText(150), one(fields, 'address_string', lang), 'address_string', lang),
    description: checked(noteText(500), one(fields, 'description', lang), 'description', lang) ?? '',
    mediaUrl: checked(z.url({ protocol: /^https?$/ }).max(500), one(fields, 'media_url', lang), 'media_url', lang),
    contact: {
      first_name: checked(name, one(fields, 'first_name', lang), 'first_name', lang),
      last_name: checked(name, one(fields, 'last_name', lang), 'last_name', lang),
      email: checked(z.email().max(254), one(fields, 'email', lang), 'email', lang),
      phone: checked(z.string().regex(/^\+?[\d\s()-]{5,20}$/), one(fields, 'phone', lang), 'phone', lang),
      device_id: checked(code, one(fields, 'device_id', lang), 'device_id', lang),
      account_id: checked(code, one(fields, 'account_id', lang), 'account_id', lang),
    },
    attributes,
  };
}

/** The attribute values a service definition allows, checked: urgent yes|no, a short address detail. */
export function readAttributes(attributes: Map<string, string[]>, lang: Lang): { urgent: boolean; addressDetail: string | null; stored: Record<string, string> } {
  const stored: Record<string, string> = {};
  for (const [code, values] of attributes) {
    if (!(Object.values(OPEN311_ATTRIBUTES) as string[]).includes(code)) throw refuse(400, lang, 'attributeUnknown', { field: code });
    const field = `attribute[${code}]`;
    if (values.length > 1) throw refuse(400, lang, 'fieldRepeated', { field });
    if (values[0] !== '') stored[code] = values[0]!;
  }
  const urgent = stored[OPEN311_ATTRIBUTES.urgent];
  if (urgent !== undefined && urgent !== 'yes' && urgent !== 'no') throw refuse(400, lang, 'fieldInvalid', { field: `attribute[${OPEN311_ATTRIBUTES.urgent}]` });
  const detail = checked(plainText(48), stored[OPEN311_ATTRIBUTES.addressDetail], `attribute[${OPEN311_ATTRIBUTES.addressDetail}]`, lang);
  if (detail !== null) stored[OPEN311_ATTRIBUTES.addressDetail] = detail;
  return { urgent: urgent === 'yes', addressDetail: detail, stored };
}

/** A W3C datetime (a day, or a time with seconds optional and a zone), or a 400 naming the field. */
export function readDate(value: string | undefined, field: string, lang: Lang): Date | null {
  if (value === undefined) return null;
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value);
  const date = ok ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : null;
  if (!date || Number.isNaN(date.getTime())) throw refuse(400, lang, 'dateInvalid', { field });
  return date;
}
