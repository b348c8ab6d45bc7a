import { mapRoutes, type MapConfig } from '@nuanxin/shared';
import { api } from '../../api/index.ts';

let pending: Promise<MapConfig> | null = null;

/** The tile source, asked once per page load; a failure is not kept, so "retry" asks again. */
export function loadMapConfig(): Promise<MapConfig> {
  pending ??= api(mapRoutes.config).catch((err: unknown) => {
    pending = null;
    throw err;
  });
  return pending;
}
