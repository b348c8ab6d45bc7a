import { defineRoute } from './contract.ts';
import { mapConfigSchema, tileParams } from './map.ts';

/** The base map both apps draw under stations, cases and pins. */
export const mapRoutes = {
  config: defineRoute({ method: 'GET', path: '/api/v1/map/config', summary: 'Tile source of the base map: URL template, coordinate system, attribution, max zoom', response: mapConfigSchema }),
  /** A PNG, not JSON: registered by hand on the server, read by Leaflet through `config.tileUrl`. */
  tile: defineRoute({ method: 'GET', path: '/tiles/:z/:x/:y.png', summary: 'An offline base-map tile (a plain grid, no data)', params: tileParams, response: null }),
};
