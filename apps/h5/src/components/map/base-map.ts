import type { MapConfig, TileCrs } from '@nuanxin/shared';
import { control, latLng, map as createMap, tileLayer, type LatLng as LeafletLatLng, type Map as LeafletMap } from 'leaflet/dist/leaflet-src.esm.js';
import 'leaflet/dist/leaflet.css';
import './map.css';
import { fromTiles, toTiles, type LatLng } from '../../ui/geo.ts';

/** A Leaflet map on the configured tiles, with the WGS-84 ⇄ tile conversion of its CRS. */
export interface BaseMap {
  map: LeafletMap;
  crs: TileCrs;
  /** Where a stored (WGS-84) position is drawn. */
  toMap(position: LatLng): LeafletLatLng;
  /** The WGS-84 position of a point on the map (a dragged pin, the centre). */
  fromMap(point: { lat: number; lng: number }): LatLng;
}

// Failed tiles before the map says so: one or two time out on any weak signal.
const TILE_ERRORS_TO_REPORT = 4;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Draws the base map into `element`. `onTilesFailing` is called once when tiles keep failing
 * and none has loaded (no signal, or the provider blocked): markers stay right, the page says why
 * the background is empty.
 */
export function createBaseMap(element: HTMLElement, config: MapConfig, view: { center: LatLng; zoom: number }, onTilesFailing: () => void): BaseMap {
  const crs = config.crs;
  const toMap = (position: LatLng) => {
    const p = toTiles(position, crs);
    return latLng(p.lat, p.lng);
  };
  const fromMap = (point: { lat: number; lng: number }) => fromTiles({ lat: point.lat, lng: point.lng }, crs);

  const map = createMap(element, {
    center: toMap(view.center),
    zoom: Math.min(view.zoom, config.maxZoom),
    maxZoom: config.maxZoom,
    minZoom: 4,
    attributionControl: false,
  });
  // The tile provider's credit, as text; Leaflet's own prefix carries a flag image we do not need.
  control.attribution({ prefix: 'Leaflet' }).addAttribution(escapeHtml(config.attribution)).addTo(map);

  let failures = 0;
  let loaded = false;
  tileLayer(config.tileUrl, { subdomains: config.subdomains, maxZoom: config.maxZoom })
    .on('tileload', () => (loaded = true))
    .on('tileerror', () => {
      failures += 1;
      if (!loaded && failures === TILE_ERRORS_TO_REPORT) onTilesFailing();
    })
    .addTo(map);
  return { map, crs, toMap, fromMap };
}
