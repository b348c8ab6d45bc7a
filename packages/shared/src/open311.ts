import { z } from 'zod';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) at `/open311/v2/`, mapped onto our cases:
 * a service is a second-level case category (service_code = its code), a service request is a case.
 * These shapes are the JSON answers; the XML answers carry the same fields under the spec's roots.
 */
export const OPEN311_BASE = '/open311/v2';
/** Accepted outside production so integrators can try it (README); OPEN311_API_KEY, when set, is accepted too. */
export const OPEN311_DEMO_API_KEY = 'nuanxin-demo-open311';
export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

/** The attributes every service defines (GET services/{code}): both are stored and used on the case. */
export const OPEN311_ATTRIBUTES = {
  /** singlevaluelist yes|no: an urgent case runs on the category's urgent time limits. */
  urgent: 'urgent',
  /** string: added to the case address, e.g. "north gate, beside the bus stop". */
  addressDetail: 'address_detail',
} as const;

/** Requests answered by GET requests when no window is given, and at most in one answer (the spec's defaults). */
export const OPEN311_DEFAULT_DAYS = 90;
export const OPEN311_MAX_REQUESTS = 1000;

export const open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  /** Comma separated, as in the spec's examples. */
  keywords: z.string(),
  group: z.string(),
});
export type Open311ServiceItem = z.infer<typeof open311ServiceSchema>;

export const open311AttributeSchema = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean(),
  datatype_description: z.string().nullable(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
export const open311ServiceDefinitionSchema = z.object({ service_code: z.string(), attributes: z.array(open311AttributeSchema) });
export type Open311ServiceDefinition = z.infer<typeof open311ServiceDefinitionSchema>;

export const open311CreatedSchema = z.object({
  service_request_id: z.string(),
  token: z.string(),
  service_notice: z.string().nullable(),
  account_id: z.string().nullable(),
});
export type Open311Created = z.infer<typeof open311CreatedSchema>;

/** A case as Open311 clients see it: never who reported it. `status` is open until 结案 (or a refusal). */
export const open311RequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string().nullable(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number(),
  long: z.number(),
  media_url: z.string().nullable(),
});
export type Open311Request = z.infer<typeof open311RequestSchema>;

export const open311TokenSchema = z.object({ service_request_id: z.string(), token: z.string() });
export const open311ErrorSchema = z.object({ code: z.number().int(), description: z.string() });
export type Open311Error = z.infer<typeof open311ErrorSchema>;
