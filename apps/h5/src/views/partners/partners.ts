import type { BenefitType } from '@nuanxin/shared';

/** A Vant icon per benefit type, so a list reads at a glance on a bike. */
export const BENEFIT_ICONS: Record<BenefitType, string> = {
  discount: 'discount-o',
  off_peak_lane: 'guide-o',
  night_window: 'clock-o',
  booking: 'calendar-o',
  free_service: 'gift-o',
};

/** '350 米' / '1.2 公里': the key under partners.distance and the number. */
export function distanceKey(metres: number): { key: string; n: string } {
  const m = Math.round(metres);
  return m < 1000 ? { key: 'partners.distance.m', n: String(m) } : { key: 'partners.distance.km', n: (m / 1000).toFixed(1) };
}
