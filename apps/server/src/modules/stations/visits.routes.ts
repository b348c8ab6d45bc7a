import { STATION_STAFF_ROLES, stationVisitsRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { addRoute } from '../../common/route.ts';
import type { VisitsService } from './visits.service.ts';

/** Check-in, visits and ratings: workers scan and rate; the keeper and admins read the figures. */
export function registerVisitsRoutes(app: FastifyInstance, auth: Authenticator, visits: VisitsService) {
  const tags = ['stations'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  const staff = { who: STATION_STAFF_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.checkin, { access: worker, tags, handler: ({ actor, body, request }) => visits.checkIn(actor, idempotencyKey(request), body) });
  addRoute(app, auth, routes.myVisits, { access: worker, tags, handler: ({ actor, query }) => visits.myVisits(actor, query.stationId) });
  addRoute(app, auth, routes.rate, { access: worker, tags, handler: ({ actor, params, body }) => visits.rate(actor, params.id, body) });
  addRoute(app, auth, routes.checkinCode, { access: staff, tags, handler: ({ actor, params }) => visits.currentCode(actor, params.id) });
  addRoute(app, auth, routes.visitsToday, { access: staff, tags, handler: ({ actor }) => visits.today(actor) });
  addRoute(app, auth, routes.feedback, { access: staff, tags, handler: ({ actor, params, query }) => visits.feedback(actor, params.id, query) });
  addRoute(app, auth, routes.visits, { access: staff, tags, handler: ({ actor, params, query }) => visits.visitsBetween(actor, params.id, query) });
}
