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
  /** A CSS class on the pin for a layer's own colour (e.g. `guide-parking`, styled by that layer). */
  variant?: string;
  /** Drawn under the other pins: an extra layer (guide places, partners) never covers a station. */
  below?: boolean;
}
