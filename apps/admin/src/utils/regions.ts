import { identityRoutes, type Region, type RegionLevel } from '@nuanxin/shared';
import { call } from '../api/index.ts';
import { session } from '../stores/session.ts';

export interface RegionNode {
  id: string;
  name: string;
  level: RegionLevel;
  /** Absent on leaves, so the cascader does not open an empty column. */
  children?: RegionNode[];
}

/** Nests the flat list the API returns. Roots are regions whose parent is outside the caller's scope. */
export function buildRegionTree(regions: readonly Region[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>(regions.map((r) => [r.id, { id: r.id, name: r.name, level: r.level }]));
  const roots: RegionNode[] = [];
  // Sorting by code keeps siblings in 区划代码 order, which is the order people know.
  for (const r of [...regions].sort((a, b) => a.id.localeCompare(b.id))) {
    const node = nodes.get(r.id)!;
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

// Regions change rarely; one fetch per logged-in user serves every page.
let cached: { userId: string; promise: Promise<Region[]> } | null = null;

/** The regions the current user may see. */
export function fetchRegions(): Promise<Region[]> {
  const userId = session.user?.id ?? '';
  if (!cached || cached.userId !== userId) {
    const promise = call(identityRoutes.regions);
    // A failed fetch is not cached, so the next page visit tries again.
    promise.catch(() => {
      if (cached?.promise === promise) cached = null;
    });
    cached = { userId, promise };
  }
  return cached.promise;
}
