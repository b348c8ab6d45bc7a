export const POINTS_TABS = ['history', 'rules', 'claims'] as const;
export type PointsTab = (typeof POINTS_TABS)[number];

export function isPointsTab(value: unknown): value is PointsTab {
  return (POINTS_TABS as readonly unknown[]).includes(value);
}

// The claim form goes *back* to the points page (no second copy of it in the history, so the back
// arrow there still leads home) and asks it to open "my claims", where the new claim is on top.
let requested: PointsTab | null = null;

export function requestTab(tab: PointsTab): void {
  requested = tab;
}

/** The tab asked for by the page that sent the person here, once. */
export function takeRequestedTab(): PointsTab | null {
  const tab = requested;
  requested = null;
  return tab;
}
