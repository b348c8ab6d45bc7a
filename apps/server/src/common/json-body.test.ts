import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { MAX_JSON_DEPTH, jsonDepth } from './json-body.ts';

describe('JSON bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  const send = (payload: string) => t.request('POST', '/api/v1/auth/login', { body: payload, headers: { 'content-type': 'application/json' } });

  it('refuses bodies nested deeper than the limit, however deep, in the caller’s words', async () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(jsonDepth(JSON.parse(nested(MAX_JSON_DEPTH)))).toBe(MAX_JSON_DEPTH);
    expect((await send(nested(MAX_JSON_DEPTH))).json().error.code).toBe('VALIDATION_FAILED');
    for (const depth of [MAX_JSON_DEPTH + 1, 300_000]) {
      const res = await send(nested(depth));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'JSON_TOO_DEEP', message: '请求内容嵌套层级过多（最多 32 层）' });
    }
  });

  it('keeps Fastify’s rules: broken JSON, an empty body and prototype keys are 400', async () => {
    expect((await send('{"username":')).json().error.code).toBe('INVALID_JSON');
    expect((await send('')).json().error.code).toBe('INVALID_JSON');
    expect((await send('{"__proto__":{"admin":true}}')).statusCode).toBe(400);
    expect((await send('{"constructor":{"prototype":{"admin":true}}}')).statusCode).toBe(400);
    expect((await send(JSON.stringify({ username: 'district', password: 'Nuanxin@2026' }))).statusCode).toBe(200);
  });
});
