import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import fc from 'fast-check';
import { mapConfigSchema } from '@nuanxin/shared';
import { loadConfig } from '../../config.ts';
import { DB_KINDS, createTestApp, type TestApp } from '../../../test/harness.ts';
import { mapConfigFrom } from './map.service.ts';

describe.each(DB_KINDS)('map on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('tells anyone, without a login, which tiles to draw: AutoNavi in GCJ-02 by default', async () => {
    const res = await t.request('GET', '/api/v1/map/config');
    expect(res.statusCode).toBe(200);
    expect(mapConfigSchema.parse(res.json())).toMatchObject({ crs: 'gcj02', subdomains: '1234', maxZoom: 18, attribution: '© 高德地图 AutoNavi' });
    expect(res.json().tileUrl).toMatch(/^https:\/\/webrd0\{s\}\.is\.autonavi\.com\/.*x=\{x\}&y=\{y\}&z=\{z\}/);
  });

  it('serves an offline tile as a 256 px PNG, cacheable, the same picture at every position', async () => {
    const res = await t.request('GET', '/tiles/16/53340/28570.png');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toContain('max-age=');
    const meta = await sharp(res.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 256, height: 256 });
    expect(res.rawPayload.length).toBeLessThan(2000);
    const other = await t.request('GET', '/tiles/0/0/0.png');
    expect(other.rawPayload.equals(res.rawPayload)).toBe(true);
  });

  it('refuses tiles that do not exist with 400 VALIDATION_FAILED, never a 5xx', async () => {
    const bad = [
      '/tiles/1/2/0.png', // x beyond 2^z
      '/tiles/3/0/8.png', // y beyond 2^z
      '/tiles/20/0/0.png', // deeper than the offline tiles go
      '/tiles/-1/0/0.png',
      '/tiles/a/0/0.png',
      '/tiles/1.5/0/0.png',
      '/tiles/1e3/0/0.png',
      '/tiles/99999999/0/0.png',
      '/tiles/1/0/%00.png',
    ];
    for (const url of bad) {
      const res = await t.request('GET', url, { headers: { 'accept-language': 'en' } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code, url).toBe('VALIDATION_FAILED');
    }
    const outside = await t.request('GET', '/tiles/2/4/0.png');
    expect(outside.json().error).toMatchObject({ message: '提交的内容有误，请检查后重试', details: { fields: [{ in: 'params', path: 'x' }] } });
    // Not a tile path at all: whatever answers unknown paths (the H5's index.html when built), never a tile.
    expect((await t.request('GET', '/tiles/1/0/0.jpg')).headers['content-type']).not.toBe('image/png');
  });

  it('answers any tile path with a PNG or a 4xx, never a 5xx', async () => {
    const segment = fc.oneof(fc.nat({ max: 1 << 20 }).map(String), fc.string({ maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(segment, segment, segment, async (z, x, y) => {
        const res = await t.request('GET', `/tiles/${encodeURIComponent(z)}/${encodeURIComponent(x)}/${encodeURIComponent(y)}.png`);
        // ('.' and '..' segments resolve to other paths, which the SPA fallback may answer with 200 HTML.)
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  it('documents both routes in OpenAPI', async () => {
    const paths = Object.keys((await t.request('GET', '/openapi.json')).json().paths);
    expect(paths).toContain('/api/v1/map/config');
    expect(paths.some((p) => p.startsWith('/tiles/'))).toBe(true);
  });
});

describe('map settings from the environment', () => {
  const from = (env: Record<string, string>) => mapConfigFrom(loadConfig({ NODE_ENV: 'test', ...env }));

  it('local: our own grid tiles, no conversion needed', () => {
    expect(from({ MAP_TILE_URL: 'local' })).toEqual({ tileUrl: '/tiles/{z}/{x}/{y}.png', subdomains: 'abc', crs: 'wgs84', attribution: '', maxZoom: 18 });
  });

  it('guesses the coordinate system from the host, and the settings win over the guess', () => {
    expect(from({ MAP_TILE_URL: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© OpenStreetMap' })).toMatchObject({ crs: 'wgs84', attribution: '© OpenStreetMap', subdomains: 'abc' });
    expect(from({ MAP_TILE_URL: 'https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={y}', MAP_TILE_SUBDOMAINS: '0123' })).toMatchObject({ crs: 'gcj02', subdomains: '0123' });
    expect(from({ MAP_TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png', MAP_TILE_CRS: 'gcj02', MAP_TILE_MAX_ZOOM: '17' })).toMatchObject({ crs: 'gcj02', maxZoom: 17 });
    expect(from({ MAP_TILE_URL: '', MAP_TILE_CRS: '' })).toMatchObject({ crs: 'gcj02' });
  });

  it('stops start-up on a template that is not one', () => {
    for (const url of ['javascript:alert(1)//{x}{y}{z}', 'https://tiles.example.cn/tile.png', 'ftp://x/{z}/{x}/{y}']) {
      expect(() => loadConfig({ MAP_TILE_URL: url }), url).toThrow(/MAP_TILE_URL/);
    }
    expect(() => loadConfig({ MAP_TILE_CRS: 'bd09' })).toThrow(/MAP_TILE_CRS/);
  });
});
