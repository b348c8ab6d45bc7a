import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { appContentSecurityPolicy, tileImageSource } from './security-headers.ts';

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('every API answer forbids sniffing and framing', async () => {
    const res = await t.request('GET', '/api/v1/me');
    expect(res.statusCode).toBe(401);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'strict-origin-when-cross-origin' });
    expect(res.headers['permissions-policy']).toContain('geolocation=(self)');
  });

  it('the apps’ policy allows only our own scripts and the map’s tile hosts for images', () => {
    const csp = appContentSecurityPolicy({ imageSources: tileImageSource('https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}') });
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("img-src 'self' data: blob: https://*.is.autonavi.com;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(tileImageSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toEqual(['https://tile.openstreetmap.org']);
    expect(tileImageSource('local')).toEqual([]);
    expect(tileImageSource('/tiles/{z}/{x}/{y}.png')).toEqual([]);
  });
});
