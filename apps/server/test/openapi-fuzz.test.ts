import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@nuanxin/shared';
import { createTestApp, type TestApp } from './harness.ts';

/**
 * Hostile input for every route, generated from /openapi.json: each body field, query parameter
 * and path parameter in turn gets wrong types, boundary numbers, huge and broken strings, deep
 * JSON and injection text; every answer must be below 500, and a route that refused everything
 * must have changed no row. Run on PGlite (the property tests of each domain cover PostgreSQL).
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  minLength?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
};
type Parameter = { in: 'query' | 'path' | 'header'; name: string; schema: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };

const deep = (depth: number): unknown => (depth === 0 ? 'end' : [deep(depth - 1)]);
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  0,
  -0.5,
  1e308,
  2 ** 53 + 1,
  '',
  'x'.repeat(100_000),
  '\ud800',
  '\u202e\u0000\u200b',
  '🙂'.repeat(600),
  "' OR 1=1 --",
  "Robert'); DROP TABLE users;--",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  {},
  [],
  { __proto__: { polluted: 1 }, constructor: { prototype: { polluted: 1 } } },
  deep(400),
];
const HOSTILE_TEXT = ['', '-1', '0', '1e308', 'NaN', 'true', 'x'.repeat(10_000), '\ud800', '%00', "1' or '1'='1", '<script>', '../..', '🙂'.repeat(300)];

/** A lone surrogate cannot be URI-encoded: send the bytes a broken client would (CESU-8 of U+D800). */
const encodePath = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

const USERS: Record<Exclude<Role, 'worker'>, string> = {
  district_admin: 'district',
  street_admin: 'xinhua',
  community_admin: 'sanhua',
  grid_staff: 'grid01',
  department_handler: 'chengguan',
  partner_staff: 'barber',
  station_keeper: 'keeper01',
};

/** A plausible value for a schema, so that mutating one field probes past the others. */
function sample(schema: Schema | undefined): unknown {
  if (!schema) return 'x';
  const option = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (option) return sample(option);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((key) => [key, sample(schema.properties?.[key])]));
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2026-11-01';
      if (schema.format === 'date-time') return '2026-11-01T08:00:00+08:00';
      if (schema.pattern?.includes('[3-9]')) return '13900000001';
      if (schema.pattern?.startsWith('^\\d{6}')) return '440114001001';
      return 'x'.repeat(Math.max(2, schema.minLength ?? 2));
  }
}

async function tableCounts(t: TestApp): Promise<string> {
  return t.database.script(async (run) => {
    // Rate-limit counters count refused attempts too: that is their job, not a change of data.
    const tables = await run.query<{ name: string }>(
      `select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and relkind = 'r' and relname <> 'rate_counters' order by 1`,
    );
    const parts = await Promise.all(tables.map(async ({ name }) => `${name}=${(await run.query<{ n: number }>(`select count(*)::int as n from "${name}"`))[0]!.n}`));
    return parts.join(' ');
  });
}

describe('hostile input on every route (from /openapi.json)', () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    for (const [role, username] of Object.entries(USERS)) tokens[role as Role] = await t.loginStaff(username);
    tokens.worker = (await t.newWorker()).token;
  });
  afterAll(async () => t?.close());

  it('never answers 5xx, and a route that refused every case changed nothing', async () => {
    const doc = (await t.request('GET', '/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    const access = new Map(t.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.access]));
    let sent = 0;
    let accepted = 0;
    const failures: string[] = [];

    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1/') || path.endsWith('/stream')) continue; // the live stream never ends
      for (const [method, operation] of Object.entries(operations)) {
        const rule = access.get(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
        const role: Role | null = !rule || rule.who === 'public' ? null : rule.who === 'authenticated' ? 'worker' : (rule.who.find((r) => ROLES.includes(r)) ?? null);
        const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
        const params = operation.parameters ?? [];
        const basePath = (overrides: Record<string, string> = {}) =>
          path.replace(/\{(\w+)\}/g, (_, name: string) => encodePath(overrides[name] ?? (name === 'regionId' ? '440114001' : randomUUID())));
        const baseQuery = Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, String(sample(p.schema))]));
        const bodySchema = operation.requestBody?.content['application/json']?.schema;
        const baseBody = bodySchema ? (sample(bodySchema) as Record<string, unknown>) : undefined;

        const attempts: Array<{ url: string; body?: unknown }> = [];
        const withQuery = (query: Record<string, string>) => `?${new URLSearchParams(query)}`;
        for (const p of params.filter((q) => q.in === 'path')) for (const text of HOSTILE_TEXT) attempts.push({ url: basePath({ [p.name]: text }) + withQuery(baseQuery), body: baseBody });
        for (const p of params.filter((q) => q.in === 'query')) for (const text of HOSTILE_TEXT) attempts.push({ url: basePath() + withQuery({ ...baseQuery, [p.name]: text }), body: baseBody });
        if (baseBody !== undefined) {
          for (const value of HOSTILE_VALUES) attempts.push({ url: basePath() + withQuery(baseQuery), body: value });
          for (const field of Object.keys(bodySchema?.properties ?? {})) {
            for (const value of HOSTILE_VALUES) attempts.push({ url: basePath() + withQuery(baseQuery), body: { ...baseBody, [field]: value } });
          }
        }

        const before = await tableCounts(t);
        let routeAccepted = 0;
        for (const attempt of attempts) {
          const res = await t.request(method.toUpperCase(), attempt.url, {
            token: role ? tokens[role] : undefined,
            headers: { ...headers, 'idempotency-key': randomUUID() },
            ...(method === 'get' ? {} : { body: JSON.stringify(attempt.body ?? null) }),
          });
          sent += 1;
          if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${attempt.url.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          else if (res.statusCode < 300) routeAccepted += 1;
          else expect(res.json().error?.code ?? res.json(), `${method} ${path}`).toBeTruthy();
        }
        accepted += routeAccepted;
        if (routeAccepted === 0 && method !== 'get') expect(await tableCounts(t), `${method.toUpperCase()} ${path} refused everything but changed rows`).toBe(before);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(2000);
    console.log(`openapi fuzz: ${sent} requests to ${Object.keys(doc.paths).length} paths, ${sent - accepted} refused with 4xx, ${accepted} accepted as valid, 0 server errors`);
  }, 600_000);
});
