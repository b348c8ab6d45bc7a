import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { OPEN311_DEMO_API_KEY } from '@nuanxin/shared';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { DB_KINDS, createTestApp, openTestDatabase, type TestApp } from '../../../test/harness.ts';
import { LocalMediaStore } from '../media/media.store.ts';
import { Open311Service } from './open311.service.ts';
import { fieldsFromForm } from './open311.input.ts';
import { Open311Refusal } from './open311.format.ts';

/** Beside 三华社区暖新驿站 (新华街道, 440114001001). */
const SANHUA = { lat: '23.4025', long: '113.2153' };
/** What the outside reporter leaves: none of it may appear in any GET. */
const PERSON = { first_name: '秀英', last_name: '欧阳', email: 'ouyang.xy@example.com', phone: '13712345678', device_id: 'dev-9f8e7d', account_id: 'hotline-4711' };

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe.each(DB_KINDS)('open311 on %s', (kind) => {
  let t: TestApp;
  let xinhua: string;
  let chengguan: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    [xinhua, chengguan] = await Promise.all([t.loginStaff('xinhua'), t.loginStaff('chengguan')]);
  });
  afterAll(async () => t?.close());

  const post = (format: 'json' | 'xml', payload: string, type = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload, headers: { 'content-type': type, ...headers } });
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const caseCount = async () => Number((await t.database.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const file = (extra: Record<string, string> = {}) =>
    post('json', form({ api_key: OPEN311_DEMO_API_KEY, service_code: 'env.vending', ...SANHUA, description: '人行道上有流动摊贩', ...PERSON, 'attribute[urgent]': 'yes', 'attribute[address_detail]': '北门公交站旁', address_string: '三华路28号', ...extra }));

  function expectNoPerson(body: string) {
    for (const value of Object.values(PERSON)) expect(body, value).not.toContain(value);
  }

  it('lists services and their definitions in JSON and XML', async () => {
    const json = await get('/open311/v2/services.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toContain('application/json');
    const vending = (json.json() as Array<Record<string, unknown>>).find((s) => s.service_code === 'env.vending');
    expect(vending).toMatchObject({ service_name: '占道经营', metadata: true, type: 'realtime', group: '市容环境' });
    expect(vending!.keywords).toContain('市容环境');
    // Top-level categories are groups, not services.
    expect((json.json() as Array<{ service_code: string }>).some((s) => s.service_code === 'env')).toBe(false);

    const xml = await get('/open311/v2/services.xml');
    expect(xml.headers['content-type']).toContain('text/xml');
    expect(xml.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>/);
    expect(xml.body).toContain('<service_code>env.vending</service_code><service_name>占道经营</service_name>');
    expect(xml.body).toContain('<metadata>true</metadata><type>realtime</type>');

    const definition = await get('/open311/v2/services/env.vending.json', { 'accept-language': 'en' });
    expect(definition.statusCode).toBe(200);
    expect(definition.json()).toMatchObject({
      service_code: 'env.vending',
      attributes: [
        { code: 'urgent', datatype: 'singlevaluelist', required: false, order: 1, variable: true, values: [{ key: 'no' }, { key: 'yes' }] },
        { code: 'address_detail', datatype: 'string', required: false, order: 2 },
      ],
    });
    const definitionXml = await get('/open311/v2/services/env.vending.xml');
    expect(definitionXml.body).toContain('<service_definition><service_code>env.vending</service_code><attributes><attribute><variable>true</variable><code>urgent</code><datatype>singlevaluelist</datatype>');
    expect(definitionXml.body).toContain('<values><value><key>no</key>');
    expect(definitionXml.body).toContain('<datatype_description/>');

    const unknown = await get('/open311/v2/services/no.such.json');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual([{ code: 404, description: expect.stringContaining('no.such') }]);
    const unknownXml = await get('/open311/v2/services/no.such.xml');
    expect(unknownXml.statusCode).toBe(404);
    expect(unknownXml.body).toMatch(/<errors><error><code>404<\/code><description>[^<]+<\/description><\/error><\/errors>$/);
    expect((await get('/open311/v2/services/env.vending.html')).statusCode).toBe(404);
    expect((await get('/open311/v2/services.csv')).json()[0].code).toBe(404);
    expect((await get('/open311/v2/services.json?jurisdiction_id=999999')).statusCode).toBe(404);
    expect((await get('/open311/v2/services.json?jurisdiction_id=440114')).json().length).toBe(json.json().length);
    const paths = Object.keys((await get('/openapi.json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/open311/v2/services.json', '/open311/v2/requests.xml', '/open311/v2/tokens/{file}', '/api/v1/cases/public']));
  });

  it('files a form-encoded request as a real case: in GET requests, in the workbench, by token; no personal data in any GET', async () => {
    const before = await caseCount();
    const res = await file();
    expect(res.statusCode, res.body).toBe(200);
    const [created] = res.json() as Array<{ service_request_id: string; token: string; service_notice: string; account_id: string | null }>;
    expect(created).toMatchObject({ account_id: PERSON.account_id });
    expect(created!.service_notice).toMatch(/分钟内立案派遣/);
    const id = created!.service_request_id;
    expect(await caseCount()).toBe(before + 1);

    const row = await t.database.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ reporter_id: null, source: 'open311', status: 'submitted', urgent: true, region_id: '440114001001', address: '三华路28号 北门公交站旁', description: '人行道上有流动摊贩' });
    const stored = await t.database.db.selectFrom('open311_requests').selectAll().where('case_id', '=', id).executeTakeFirstOrThrow();
    expect(stored.attributes).toEqual({ urgent: 'yes', address_detail: '北门公交站旁' });
    expect(stored.api_key_hash).not.toContain(OPEN311_DEMO_API_KEY);
    expect((await t.database.db.selectFrom('case_external_reporters').selectAll().where('case_id', '=', id).executeTakeFirstOrThrow()).phone).toBe(PERSON.phone);

    const list = await get('/open311/v2/requests.json');
    expect(list.statusCode).toBe(200);
    const mine = (list.json() as Array<Record<string, unknown>>).find((r) => r.service_request_id === id);
    expect(mine).toMatchObject({ status: 'open', status_notes: '已上报', service_code: 'env.vending', service_name: '占道经营', description: '人行道上有流动摊贩', address: '三华路28号 北门公交站旁', lat: 23.4025, long: 113.2153, agency_responsible: null, media_url: null });
    expect(mine!.expected_datetime).toEqual(row.due_at!.toISOString());
    const one = await get(`/open311/v2/requests/${id}.json`);
    expect(one.json()).toEqual([mine]);
    const oneXml = await get(`/open311/v2/requests/${id}.xml`);
    expect(oneXml.body).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`);
    expect(oneXml.body).toContain('<lat>23.4025</lat><long>113.2153</long><media_url/></request></service_requests>');
    const token = await get(`/open311/v2/tokens/${created!.token}.json`);
    expect(token.json()).toEqual([{ service_request_id: id, token: created!.token }]);
    const tokenXml = await get(`/open311/v2/tokens/${created!.token}.xml`);
    expect(tokenXml.body).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><token>${created!.token}</token></request></service_requests>`);
    const filtered = await get(`/open311/v2/requests.xml?service_request_id=${id},00000000-0000-4000-8000-000000000000`);
    expect(filtered.body.match(/<request>/g)).toHaveLength(1);

    for (const body of [list.body, one.body, oneXml.body, token.body, filtered.body, (await get('/open311/v2/requests.xml')).body, (await get('/api/v1/cases/public?lat=23.4025&lng=113.2153&radius=5000')).body]) {
      expectNoPerson(body);
    }

    // The desk sees it among new cases, and its detail shows the contact masked (the read audited).
    const desk = (await t.request('GET', '/api/v1/cases?view=new&pageSize=100', { token: xinhua })).json();
    expect(desk.items.find((c: { id: string }) => c.id === id)).toMatchObject({ source: 'open311', urgent: true, status: 'submitted' });
    const detail = (await t.request('GET', `/api/v1/cases/${id}`, { token: xinhua })).json();
    expect(detail.reporter).toEqual({ id: null, name: '欧阳 秀英', phoneMasked: '137****5678', emailMasked: 'o***@example.com' });
    expect(detail.timeline[0]).toMatchObject({ action: 'report', actorName: null });
  });

  it('accepts JSON bodies and answers POST in XML', async () => {
    const json = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: { api_key: OPEN311_DEMO_API_KEY, service_code: 'env.garbage', lat: 23.4024, long: 113.2152, attribute: { urgent: 'no' }, description: 'JSON 提交' },
    });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.body).toMatch(/^<\?xml[^>]+>\n<service_requests><request><service_request_id>[0-9a-f-]{36}<\/service_request_id><token>[\w-]+<\/token><service_notice>[^<]+<\/service_notice><account_id\/><\/request><\/service_requests>$/);
  });

  it('refuses a missing or wrong api_key (401/403) and bad input with 4xx in the spec format, writing nothing', async () => {
    const before = await caseCount();
    const base = { service_code: 'env.vending', ...SANHUA };
    const missing = await post('json', form(base));
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual([{ code: 401, description: expect.stringContaining('api_key') }]);
    const wrong = await post('xml', form({ ...base, api_key: 'not-the-key' }));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toMatch(/<errors><error><code>403<\/code><description>[^<]*api_key[^<]*<\/description><\/error><\/errors>$/);
    const en = { 'accept-language': 'en' };
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{ service_code: 'env.vending', address_string: '三华路28号' }, 400, /lat and long/],
      [{ service_code: 'env.vending', lat: '91', long: '113.2' }, 400, /lat/],
      [{ service_code: 'env.vending', lat: 'abc', long: '113.2' }, 400, /lat/],
      [{ service_code: 'env.vending', lat: '23.4', long: '1e2' }, 400, /long/],
      [{ service_code: 'no.such', ...SANHUA }, 400, /service_code/],
      [{ ...SANHUA }, 400, /service_code/],
      [{ service_code: 'env', ...SANHUA }, 400, /service_code/],
      [{ service_code: 'env.vending', lat: '39.9', long: '116.4' }, 400, /outside the area/],
      [{ service_code: 'env.vending', ...SANHUA, email: 'not-an-email' }, 400, /email/],
      [{ service_code: 'env.vending', ...SANHUA, media_url: 'javascript:alert(1)' }, 400, /media_url/],
      [{ service_code: 'env.vending', ...SANHUA, 'attribute[urgent]': 'maybe' }, 400, /urgent/],
      [{ service_code: 'env.vending', ...SANHUA, 'attribute[colour]': 'red' }, 400, /colour/],
      [{ service_code: 'env.vending', ...SANHUA, description: '<script>alert(1)</script>' }, 400, /description/],
      [{ service_code: 'env.vending', ...SANHUA, jurisdiction_id: '123456' }, 404, /jurisdiction_id/],
    ];
    for (const [fields, status, message] of cases) {
      const res = await post('json', form({ api_key: OPEN311_DEMO_API_KEY, ...fields }), undefined, en);
      expect(res.statusCode, `${JSON.stringify(fields)}: ${res.body}`).toBe(status);
      expect(res.json()[0].description).toMatch(message);
    }
    expect((await post('json', 'api_key=x', 'text/plain')).statusCode).toBe(415);
    expect((await post('json', '{bad', 'application/json')).statusCode).toBe(400);
    expect((await post('json', '[1,2]', 'application/json')).statusCode).toBe(400);
    expect((await post('xml', 'x', 'multipart/form-data; boundary=x')).body).toMatch(/^<\?xml[^>]+>\n<errors>/);

    for (const [url, status] of [
      ['/open311/v2/requests.json?start_date=yesterday', 400],
      ['/open311/v2/requests.json?end_date=2026-13-45T99:00:00Z', 400],
      ['/open311/v2/requests.json?start_date=2025-01-01T00:00:00Z&end_date=2025-12-31T00:00:00Z', 400],
      ['/open311/v2/requests.json?start_date=2026-02-01&end_date=2026-01-01', 400],
      ['/open311/v2/requests.json?status=pending', 400],
      ['/open311/v2/requests.json?service_code=no.such', 400],
      ['/open311/v2/requests.json?service_request_id=1234', 400],
      ['/open311/v2/requests/00000000-0000-4000-8000-000000000000.json', 404],
      ['/open311/v2/requests/not-an-id.xml', 404],
      ['/open311/v2/tokens/nosuchtokenatall.json', 404],
      ['/open311/v2/nothing.json', 404],
    ] as const) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(status);
      if (url.endsWith('.xml')) expect(res.body).toContain(`<errors><error><code>${status}</code>`);
      else expect(res.json()).toEqual([{ code: status, description: expect.any(String) }]);
    }
    expect(await caseCount()).toBe(before);
  });

  it('maps the workflow onto open/closed with status notes, agency and due time, and the closed case reaches the public map', async () => {
    const id = (await file({ 'attribute[urgent]': 'no' })).json()[0].service_request_id as string;
    const step = async (token: string, action: string, body: Record<string, unknown> = {}) => {
      const res = await t.request('POST', `/api/v1/cases/${id}/${action}`, { token, body });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    };
    const read = async (lang = 'zh-CN') => (await get(`/open311/v2/requests/${id}.json`, { 'accept-language': lang })).json()[0];

    await step(xinhua, 'accept');
    expect(await read()).toMatchObject({ status: 'open', status_notes: '已立案' });
    await step(xinhua, 'dispatch');
    const dispatched = await read('en');
    const row = await t.database.db.selectFrom('cases').select(['handle_due_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(dispatched).toMatchObject({ status: 'open', status_notes: 'Dispatched', agency_responsible: '区城市管理和综合执法局', expected_datetime: row.handle_due_at!.toISOString() });
    await step(chengguan, 'acknowledge');
    await step(chengguan, 'start');
    const jpeg = await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 20, g: 120, b: 200 } } }).jpeg().toBuffer();
    const upload = await t.app.inject({ method: 'POST', url: '/api/v1/media', payload: jpeg, headers: { authorization: `Bearer ${chengguan}`, 'content-type': 'image/jpeg' } });
    const photoId = upload.json().id as string;
    await step(chengguan, 'handle', { note: '已劝离，联系人欧阳女士', photoIds: [photoId] });
    await step(xinhua, 'verify');
    expect((await read()).status).toBe('open');
    await step(xinhua, 'close', { result: 'partly_resolved', outcome: '摊位已清理，早高峰仍有反复' });
    const closed = await read();
    expect(closed).toMatchObject({ status: 'closed', status_notes: '部分解决：摊位已清理，早高峰仍有反复', expected_datetime: null });
    expect(JSON.stringify(closed)).not.toContain('欧阳');

    const closedList = (await get('/open311/v2/requests.json?status=closed&service_code=env.vending')).json() as Array<{ service_request_id: string; status: string }>;
    expect(closedList.map((r) => r.service_request_id)).toContain(id);
    expect(closedList.every((r) => r.status === 'closed')).toBe(true);
    expect(((await get('/open311/v2/requests.json?status=open')).json() as Array<{ service_request_id: string }>).map((r) => r.service_request_id)).not.toContain(id);

    // The public map: rounded position, the outcome in words, the result photo's thumbnail; no people, no notes.
    const map = await get('/api/v1/cases/public?south=23.39&west=113.20&north=23.41&east=113.23');
    expect(map.statusCode, map.body).toBe(200);
    const item = map.json().items.find((c: { id: string }) => c.id === id);
    expect(item).toMatchObject({ status: 'closed', result: 'partly_resolved', outcome: '部分解决：摊位已清理，早高峰仍有反复', lat: 23.4025, lng: 113.2153, category: { code: 'env.vending', name: '占道经营', parentName: '市容环境' } });
    expect(item.photos).toHaveLength(1);
    expect(Object.keys(item.photos[0])).toEqual(['thumbUrl']);
    expect((await t.app.inject({ method: 'GET', url: item.photos[0].thumbUrl })).statusCode).toBe(200);
    expect(map.body).not.toContain('欧阳');
    expect(map.body).not.toMatch(/reporter|assignee|note|phone/i);
    expectNoPerson(map.body);
    const english = await get('/api/v1/cases/public?lat=23.4025&lng=113.2153&radius=100', { 'accept-language': 'en' });
    expect(english.json().items.find((c: { id: string }) => c.id === id).outcome).toBe('Partly fixed: 摊位已清理，早高峰仍有反复');
    expect((await get('/api/v1/cases/public?lat=23.4')).statusCode).toBe(400);
    expect((await get('/api/v1/cases/public?south=23.5&west=113.2&north=23.4&east=113.3')).statusCode).toBe(400);
    // Open cases never reach the map.
    const open = (await get('/api/v1/cases/public?lat=23.4025&lng=113.2153&radius=20000&limit=500')).json();
    expect(open.items.every((c: { status: string }) => ['closed', 'rated', 'archived'].includes(c.status))).toBe(true);
  });

  it('any form fields give a 2xx or a 4xx, never a 5xx, and a refusal writes nothing', async () => {
    const key = fc.oneof(
      fc.constantFrom('api_key', 'service_code', 'lat', 'long', 'description', 'email', 'phone', 'first_name', 'last_name', 'device_id', 'account_id', 'media_url', 'address_string', 'jurisdiction_id', 'attribute[urgent]', 'attribute[address_detail]', 'attribute[x][]'),
      fc.string({ maxLength: 12 }),
    );
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(OPEN311_DEMO_API_KEY, 'env.vending', '23.4025', '113.2153', '', 'yes', '-0', '1e999'));
    const base = fc.constantFrom<Record<string, string>>({}, { api_key: OPEN311_DEMO_API_KEY }, { api_key: OPEN311_DEMO_API_KEY, service_code: 'env.vending', ...SANHUA });
    await fc.assert(
      fc.asyncProperty(base, fc.array(fc.tuple(key, value), { maxLength: 8 }), fc.constantFrom('json' as const, 'xml' as const), async (start, pairs, format) => {
        const params = new URLSearchParams(start);
        for (const [k, v] of pairs) params.append(k, v);
        const before = await caseCount();
        const res = await post(format, params.toString());
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode === 200) return;
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        if (format === 'json') expect(res.json()[0].code).toBe(res.statusCode);
        else expect(res.body).toContain(`<code>${res.statusCode}</code>`);
        expect(await caseCount()).toBe(before);
      }),
      { numRuns: 120 },
    );
  });

  it('limits requests per api_key and address, and accepts only the keys it was given', async () => {
    const service = new Open311Service(t.database, t.app.services.cases, t.app.services.media, { apiKeys: ['only-this-key'], perKeyIpPerHour: 1 });
    const fields = (apiKey: string) => fieldsFromForm(form({ api_key: apiKey, service_code: 'env.vending', ...SANHUA }));
    await expect(service.create(fields(OPEN311_DEMO_API_KEY), '10.9.8.7', 'en')).rejects.toMatchObject({ status: 403 });
    expect((await service.create(fields('only-this-key'), '10.9.8.7', 'en')).service_request_id).toMatch(/^[0-9a-f-]{36}$/);
    const before = await caseCount();
    const limited = await service.create(fields('only-this-key'), '10.9.8.7', 'en').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Open311Refusal);
    expect(limited).toMatchObject({ status: 429 });
    expect(await caseCount()).toBe(before);
    // Another address has its own allowance.
    expect((await service.create(fields('only-this-key'), '10.9.8.8', 'en')).token).toBeTruthy();
  });
});

describe.each(DB_KINDS)('open311 with OPEN311_API_KEY on %s', (kind) => {
  it('accepts the key from the environment as well as the demo key', async () => {
    const { database, drop } = await openTestDatabase(kind);
    const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nuanxin-open311-'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OPEN311_API_KEY: 'city-hotline-12345-key' });
    const app = await buildApp({ config, database, mediaStore: new LocalMediaStore(mediaDir), serveApps: false, runJobs: false, logger: false });
    try {
      const filed = (apiKey: string) =>
        app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: form({ api_key: apiKey, service_code: 'env.garbage', ...SANHUA }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect((await filed('city-hotline-12345-key')).statusCode).toBe(200);
      expect((await filed(OPEN311_DEMO_API_KEY)).statusCode).toBe(200);
      expect((await filed('city-hotline-12345-kez')).statusCode).toBe(403);
    } finally {
      await app.close();
      await drop();
      fs.rmSync(mediaDir, { recursive: true, force: true });
    }
  });
});
