import { LOCAL_TILE_MAX_ZOOM, LOCAL_TILE_TEMPLATE, type MapConfig, type TileCrs } from '@nuanxin/shared';
import type { Config } from '../../config.ts';

type MapSettings = Pick<Config, 'MAP_TILE_URL' | 'MAP_TILE_CRS' | 'MAP_TILE_ATTRIBUTION' | 'MAP_TILE_SUBDOMAINS' | 'MAP_TILE_MAX_ZOOM'>;

// Providers that publish their tiles in GCJ-02 (the shifted "Mars" coordinates Chinese law requires).
const GCJ02_HOSTS = /(^|\.)(autonavi\.com|amap\.com|gtimg\.com|map\.qq\.com)$/;

function hostOf(template: string): string {
  try {
    return new URL(template.replace(/\{(\w)\}/g, '$1')).hostname;
  } catch {
    return '';
  }
}

/**
 * The base map the apps draw, from the environment: `local` means our own grid tiles (offline,
 * used by the tests); otherwise the template as given, with the coordinate system, subdomains
 * and credit line guessed from the host when they are not set.
 */
export function mapConfigFrom(settings: MapSettings): MapConfig {
  if (settings.MAP_TILE_URL === 'local') {
    return {
      tileUrl: LOCAL_TILE_TEMPLATE,
      subdomains: 'abc',
      // The grid has no geography: any system draws it right, and wgs84 skips the conversion.
      crs: settings.MAP_TILE_CRS ?? 'wgs84',
      attribution: settings.MAP_TILE_ATTRIBUTION ?? '',
      maxZoom: Math.min(settings.MAP_TILE_MAX_ZOOM, LOCAL_TILE_MAX_ZOOM),
    };
  }
  const host = hostOf(settings.MAP_TILE_URL);
  const autonavi = /(^|\.)autonavi\.com$/.test(host);
  const crs: TileCrs = settings.MAP_TILE_CRS ?? (GCJ02_HOSTS.test(host) ? 'gcj02' : 'wgs84');
  return {
    tileUrl: settings.MAP_TILE_URL,
    subdomains: settings.MAP_TILE_SUBDOMAINS ?? (autonavi ? '1234' : 'abc'),
    crs,
    attribution: settings.MAP_TILE_ATTRIBUTION ?? (autonavi ? '© 高德地图 AutoNavi' : ''),
    maxZoom: settings.MAP_TILE_MAX_ZOOM,
  };
}
