import { ensureConsent } from '../../ui/consent.ts';

// Where the phone is, for "nearest first". Asked only when the stations page opens, never kept
// beyond this page load (nothing goes to localStorage; the server gets it only as a query).

/** A rider at a red light will not wait longer than this; then the street centre is used. */
const LOCATE_TIMEOUT_MS = 8000;
/** Back from a station's page within this time: reuse the last answer instead of waiting again. */
const REUSE_MS = 60_000;

/** 花都区新华街道, the centre of the pilot district: the list still makes sense there. */
export const DISTRICT_CENTRE = { lat: 23.3985, lng: 113.22 } as const;

export interface Position {
  lat: number;
  lng: number;
  /** True when this is DISTRICT_CENTRE because the phone gave no position. */
  fallback: boolean;
  /** Radius in metres the phone is fairly sure of (95%); absent for the fallback. */
  accuracyM?: number;
}

let last: { position: Position; at: number } | null = null;

/** The answer of a locate() in the last minute, if any. */
export function recentPosition(): Position | null {
  return last && Date.now() - last.at < REUSE_MS ? last.position : null;
}

/**
 * The phone's WGS-84 position, or the district centre when it is refused, unavailable (no GPS, an
 * http page) or slower than 8 s. Never rejects. A fix that arrives after the 8 s (the person read
 * the permission prompt slowly) goes to `onLate`, so the list can still move to where they are.
 */
export function locate(options: { fresh?: boolean; precise?: boolean; onLate?: (position: Position) => void } = {}): Promise<Position> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (position: Position) => {
      last = { position, at: Date.now() };
      if (!settled) {
        settled = true;
        resolve(position);
      } else if (!position.fallback) {
        options.onLate?.(position);
      }
    };
    const fallback = () => settle({ ...DISTRICT_CENTRE, fallback: true });

    if (!('geolocation' in navigator)) return fallback();
    // Our own question first (position is sensitive personal information), then the browser's.
    void ensureConsent('location').then((agreed) => (agreed ? askPhone() : fallback()));

    function askPhone() {
      // The API's own timeout starts after the permission prompt; this one counts the prompt too.
      const timer = setTimeout(fallback, LOCATE_TIMEOUT_MS);
      navigator.geolocation.getCurrentPosition(
        (found) => {
          clearTimeout(timer);
          settle({ lat: found.coords.latitude, lng: found.coords.longitude, fallback: false, accuracyM: Math.round(found.coords.accuracy) });
        },
        () => {
          clearTimeout(timer);
          if (!settled) fallback();
        },
        // Cell/Wi-Fi accuracy (~100 m) is enough to rank stations and comes far faster indoors than GPS;
        // `precise` (placing a pin on a street problem) asks for the GPS fix instead.
        { enableHighAccuracy: options.precise ?? false, timeout: LOCATE_TIMEOUT_MS, maximumAge: options.fresh ? 0 : REUSE_MS },
      );
    }
  });
}
