import gcoord from 'gcoord';
import type { TileCrs } from '@nuanxin/shared';

/** A WGS-84 position, as GPS gives it and as the server stores it. */
export interface LatLng {
  lat: number;
  lng: number;
}

// Imported only by the map components: gcoord stays out of pages without a map.

/**
 * Where a WGS-84 position is drawn on tiles of the given system. GCJ-02 tiles (AutoNavi) are
 * shifted by a few hundred metres in China; outside China gcoord leaves the position as it is.
 */
export function toTiles(position: LatLng, crs: TileCrs): LatLng {
  if (crs === 'wgs84') return { lat: position.lat, lng: position.lng };
  const [lng, lat] = gcoord.transform([position.lng, position.lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat, lng };
}

/** The WGS-84 position of a point read off the tiles (a dragged pin, the map centre). */
export function fromTiles(position: LatLng, crs: TileCrs): LatLng {
  if (crs === 'wgs84') return { lat: position.lat, lng: position.lng };
  const [lng, lat] = gcoord.transform([position.lng, position.lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat, lng };
}

/** Seven decimals are ~1 cm: more digits only make payloads and diffs noisy. */
export function rounded(position: LatLng): LatLng {
  return { lat: Math.round(position.lat * 1e7) / 1e7, lng: Math.round(position.lng * 1e7) / 1e7 };
}

/** Great-circle distance in metres (to decide whether the map moved far enough to search again). */
export function metresBetween(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
