import { stationsRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { addRoute } from '../../common/route.ts';
import type { StationsService } from './stations.service.ts';

/** Public: anyone may find a station (the keeper's phone is masked). */
export function registerStationsRoutes(app: FastifyInstance, auth: Authenticator, stations: StationsService) {
  const tags = ['stations'];
  addRoute(app, auth, routes.nearby, { access: { who: 'public' }, tags, handler: ({ query }) => stations.nearbyAnswer(query) });
  addRoute(app, auth, routes.get, { access: { who: 'public' }, tags, handler: ({ params }) => stations.get(params.id) });
}
