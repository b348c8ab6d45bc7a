import { GUIDE_STAFF_ROLES, PASS_GUARD_ROLES, guideRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { addRoute } from '../../common/route.ts';
import type { Database } from '../../db/client.ts';
import type { MediaService } from '../media/media.service.ts';
import type { PointsService } from '../points/points.service.ts';
import { GuidePlacesService } from './guide-places.service.ts';
import { RiderPassService } from './rider-pass.service.ts';

/** The street guide layers and the rider pass: riders contribute and show their pass, staff verify, guards scan. */
export function registerGuideRoutes(app: FastifyInstance, auth: Authenticator, places: GuidePlacesService, passes: RiderPassService) {
  const tags = ['guide'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  const staff = { who: GUIDE_STAFF_ROLES, scope: 'region' } as const;
  const guards = { who: PASS_GUARD_ROLES, scope: 'region' } as const;

  // Verified places are street facts, like the station map: no login needed to see them.
  addRoute(app, auth, routes.nearby, { access: { who: 'public' }, tags, handler: ({ query }) => places.nearby(query) });
  addRoute(app, auth, routes.mine, { access: worker, tags, handler: ({ actor, query }) => places.mine(actor, query) });
  addRoute(app, auth, routes.contribute, { access: worker, tags, handler: ({ actor, body, request }) => places.contribute(actor, idempotencyKey(request), body) });
  addRoute(app, auth, routes.get, { access: { who: 'authenticated', scope: 'self' }, tags, handler: ({ actor, params }) => places.get(actor, params.id) });
  addRoute(app, auth, routes.queue, { access: staff, tags, handler: ({ actor, query }) => places.queue(actor, query) });
  addRoute(app, auth, routes.review, { access: staff, tags, handler: ({ actor, ctx, params, body }) => places.review(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.update, { access: staff, tags, handler: ({ actor, ctx, params, body }) => places.update(actor, ctx, params.id, body) });

  addRoute(app, auth, routes.myPass, { access: worker, tags, handler: ({ actor }) => passes.myPass(actor) });
  addRoute(app, auth, routes.passProfile, { access: worker, tags, handler: ({ actor, body }) => passes.setProfile(actor, body) });
  addRoute(app, auth, routes.scan, { access: guards, tags, handler: ({ actor, body }) => passes.scan(actor, body) });
  addRoute(app, auth, routes.scans, { access: guards, tags, handler: ({ actor, query }) => passes.scans(actor, query) });
  addRoute(app, auth, routes.passes, { access: staff, tags, handler: ({ actor, ctx, query }) => passes.list(actor, ctx, query) });
  addRoute(app, auth, routes.checkIdentity, { access: staff, tags, handler: ({ actor, ctx, params, body }) => passes.checkIdentity(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.revocation, { access: staff, tags, handler: ({ actor, ctx, params, body }) => passes.setRevoked(actor, ctx, params.id, body) });
}

/** Builds the guide services and registers their routes; returns the services for tests and jobs. */
export function wireGuide(app: FastifyInstance, auth: Authenticator, deps: { database: Database; points: PointsService; media: MediaService }) {
  const places = new GuidePlacesService(deps.database, deps.points, deps.media);
  const passes = new RiderPassService(deps.database, deps.media);
  registerGuideRoutes(app, auth, places, passes);
  return { places, passes };
}
