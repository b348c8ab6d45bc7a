import { divIcon, type DivIcon } from 'leaflet/dist/leaflet-src.esm.js';

/**
 * A teardrop pin drawn in CSS (map.css). The 28 px square turned 45° puts its point ~34 px below
 * the top-left of the icon box, which is where the position is.
 */
export function pinIcon(variant: string): DivIcon {
  return divIcon({ className: 'nx-pin-icon', html: `<span class="nx-pin ${variant}"></span>`, iconSize: [28, 28], iconAnchor: [14, 34], popupAnchor: [0, -30] });
}
