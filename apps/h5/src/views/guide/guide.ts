import type { GuideKind } from '@nuanxin/shared';

/** The map layers: stations (drawn by the stations map) and the four guide kinds. */
export const LAYERS = ['stations', 'parking', 'charging', 'gate', 'compound'] as const;
export type Layer = (typeof LAYERS)[number];

/** Vant icon per kind, used on the toggles and cards. */
export const KIND_ICONS: Record<GuideKind, string> = {
  parking: 'logistics',
  charging: 'fire-o',
  gate: 'shield-o',
  compound: 'wap-home-o',
};

/** Guide markers share the map with stations: their ids carry a prefix so a tap finds its layer. */
export const GUIDE_MARKER_PREFIX = 'guide:';
