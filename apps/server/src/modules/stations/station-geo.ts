/**
 * The earthdistance extension's geometry, computed the same way in JS so the in-memory index
 * orders and measures exactly as the SQL path (`ll_to_earth(lat, lng) <-> …`, `earth_distance`):
 * points on a sphere of radius earth() = 6378168 m as 3-D coordinates, ordered by the straight
 * (chord) distance, reported as the great-circle distance along the sphere.
 */
export const EARTH_RADIUS_M = 6_378_168;
const RADIANS_PER_DEGREE = Math.PI / 180;

/** ll_to_earth(lat, lng) as [x, y, z]. */
export function toEarth(lat: number, lng: number): [number, number, number] {
  const la = lat * RADIANS_PER_DEGREE;
  const lo = lng * RADIANS_PER_DEGREE;
  return [EARTH_RADIUS_M * Math.cos(la) * Math.cos(lo), EARTH_RADIUS_M * Math.cos(la) * Math.sin(lo), EARTH_RADIUS_M * Math.sin(la)];
}

/** sec_to_gc: the great-circle metres of a chord. */
export function chordToMetres(chord: number): number {
  if (chord < 0) return 0;
  if (chord / (2 * EARTH_RADIUS_M) > 1) return Math.PI * EARTH_RADIUS_M;
  return 2 * EARTH_RADIUS_M * Math.asin(chord / (2 * EARTH_RADIUS_M));
}
