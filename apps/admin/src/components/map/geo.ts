import gcoord from 'gcoord';
import type { TileCrs } from '@nuanxin/shared';

// The console's copy of the H5's ui/geo.ts (the apps share no front-end code): stored and sent
// positions are WGS-84; only what is drawn on GCJ-02 tiles is shifted.

export interface LatLng {
  lat: number;
  lng: number;
}

export function toTiles(position: LatLng, crs: TileCrs): LatLng {
  if (crs === 'wgs84') return { lat: position.lat, lng: position.lng };
  const [lng, lat] = gcoord.transform([position.lng, position.lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat, lng };
}

export function fromTiles(position: LatLng, crs: TileCrs): LatLng {
  if (crs === 'wgs84') return { lat: position.lat, lng: position.lng };
  const [lng, lat] = gcoord.transform([position.lng, position.lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat, lng };
}

/** Seven decimals are ~1 cm. */
export function rounded(position: LatLng): LatLng {
  return { lat: Math.round(position.lat * 1e7) / 1e7, lng: Math.round(position.lng * 1e7) / 1e7 };
}
