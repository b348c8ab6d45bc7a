/** A place on the map, in WGS-84 like everything we store. */
export interface MapMarker {
  id: string;
  lat: number;
  lng: number;
  /** Read out by screen readers and shown on long press. */
  title: string;
  /** Plain text shown in a bubble on tap; without it the tap only emits `select`. */
  popup?: string;
  /** Closed or out-of-service places are drawn grey. */
  muted?: boolean;
}
