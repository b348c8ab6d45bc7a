import { z } from 'zod';

/**
 * The base map. Everything we store and send is WGS-84; tiles from Chinese providers (高德/AutoNavi,
 * 腾讯) are drawn in GCJ-02, so the apps shift markers onto such tiles and shift a dragged pin back.
 */
export const TILE_CRS = ['gcj02', 'wgs84'] as const;
export type TileCrs = (typeof TILE_CRS)[number];

/** Where the offline tiles live on our own server (`MAP_TILE_URL=local`). */
export const LOCAL_TILE_TEMPLATE = '/tiles/{z}/{x}/{y}.png';
/** Deepest zoom the offline tiles are drawn for: street level, as deep as AutoNavi's road tiles. */
export const LOCAL_TILE_MAX_ZOOM = 19;

export const mapConfigSchema = z.object({
  /** A Leaflet URL template: `{z}/{x}/{y}`, optional `{s}` for subdomains. Relative to our origin when it starts with `/`. */
  tileUrl: z.string(),
  /** Letters or digits that `{s}` cycles through ('1234' for AutoNavi). */
  subdomains: z.string(),
  crs: z.enum(TILE_CRS),
  /** HTML-free credit line for the tile provider; may be empty. */
  attribution: z.string(),
  maxZoom: z.number().int().min(1).max(22),
});
export type MapConfig = z.infer<typeof mapConfigSchema>;

// Digits only: `z.coerce` would read '' as 0 and '1e3' as 1000.
const tileIndex = z.string().regex(/^\d{1,7}$/).transform(Number);
/** `/tiles/{z}/{x}/{y}.png`: x and y must also be below 2^z (checked by the server). */
export const tileParams = z.strictObject({
  z: tileIndex.pipe(z.number().max(LOCAL_TILE_MAX_ZOOM)),
  x: tileIndex,
  y: tileIndex,
});
