import { STATION_STAFF_ROLES, stationVisitsRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { addRoute } from '../../common/route.ts';
import type { SessionsService } from './sessions.service.ts';

/** Service sessions: anyone sees what is on; workers book and cancel; the keeper and admins run them. */
export function registerSessionsRoutes(app: FastifyInstance, auth: Authenticator, sessions: SessionsService) {
  const tags = ['stations'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  const staff = { who: STATION_STAFF_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.upcoming, { access: { who: 'public' }, tags, handler: ({ params, query }) => sessions.upcoming(params.id, query.days) });
  addRoute(app, auth, routes.book, { access: worker, tags, handler: ({ actor, params, body, request }) => sessions.book(actor, idempotencyKey(request), params.id, body.occursOn) });
  addRoute(app, auth, routes.myBookings, { access: worker, tags, handler: ({ actor }) => sessions.mine(actor) });
  addRoute(app, auth, routes.cancelBooking, { access: worker, tags, handler: ({ actor, params }) => sessions.cancelBooking(actor, params.id) });
  addRoute(app, auth, routes.createSession, { access: staff, tags, handler: ({ actor, ctx, params, body }) => sessions.create(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.cancelSession, { access: staff, tags, handler: ({ actor, ctx, params }) => sessions.cancel(actor, ctx, params.id) });
  addRoute(app, auth, routes.roster, { access: staff, tags, handler: ({ actor, params, query }) => sessions.roster(actor, params.id, query.occursOn) });
  addRoute(app, auth, routes.attendance, { access: staff, tags, handler: ({ actor, ctx, params, body }) => sessions.markAttendance(actor, ctx, params.id, body.attended) });
}
