import type { LatLng } from './geo.ts';

/** The device's WGS-84 position with its accuracy in metres, or null (refused, no fix in 10 s, http page). */
export function currentPosition(): Promise<(LatLng & { accuracyM: number }) | null> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (found) => resolve({ lat: found.coords.latitude, lng: found.coords.longitude, accuracyM: Math.round(found.coords.accuracy) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}
