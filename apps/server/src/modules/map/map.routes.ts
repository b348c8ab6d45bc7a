import { fieldMessage, mapRoutes as routes, pickLang, tileParams, type MapConfig } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Authenticator } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import { addRoute } from '../../common/route.ts';
import type { LocalTiles } from './map.tiles.ts';

/** Public: the login page and the public station map draw the map too. */
export function registerMapRoutes(app: FastifyInstance, auth: Authenticator, map: { config: MapConfig; tiles: LocalTiles }) {
  const tags = ['map'];
  addRoute(app, auth, routes.config, { access: { who: 'public' }, tags, handler: async () => map.config });

  // A PNG, so registered by hand like the media download. Served whatever MAP_TILE_URL says: it costs
  // one small picture in memory, and a page can fall back to it when the provider is unreachable.
  app.get(routes.tile.path, {
    config: { access: { who: 'public' } },
    schema: { summary: routes.tile.summary, tags, params: tileParams },
    handler: async (request, reply) => {
      const { z: zoom, x, y } = request.params as z.output<typeof tileParams>;
      const size = 2 ** zoom;
      const outside = (['x', 'y'] as const).filter((axis) => (axis === 'x' ? x : y) >= size);
      if (outside.length) {
        const lang = pickLang(request.headers['accept-language']);
        throw new AppError('VALIDATION_FAILED', { fields: outside.map((path) => ({ in: 'params', path, message: fieldMessage('too_big', lang) })) });
      }
      const png = await map.tiles.tile();
      // The picture never changes with the coordinates; a day of caching spares the phone's data.
      reply.header('cache-control', 'public, max-age=86400');
      return reply.type('image/png').send(png);
    },
  });
}
