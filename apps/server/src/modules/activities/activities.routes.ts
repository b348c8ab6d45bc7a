import { ACTIVITY_STAFF_ROLES, activitiesRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { addRoute } from '../../common/route.ts';
import type { ActivitiesService } from './activities.service.ts';

/** Activities: workers find, sign up and check in; staff run them, confirm hours and count. */
export function registerActivitiesRoutes(app: FastifyInstance, auth: Authenticator, activities: ActivitiesService) {
  const tags = ['activities'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  const staff = { who: ACTIVITY_STAFF_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.list, { access: worker, tags, handler: ({ actor, query }) => activities.list(actor, query) });
  addRoute(app, auth, routes.mine, { access: worker, tags, handler: ({ actor }) => activities.mine(actor) });
  addRoute(app, auth, routes.detail, { access: worker, tags, handler: ({ actor, params }) => activities.detail(actor, params.id) });
  addRoute(app, auth, routes.signUp, { access: worker, tags, handler: ({ actor, params }) => activities.signUp(actor, params.id) });
  addRoute(app, auth, routes.cancelSignup, { access: worker, tags, handler: ({ actor, params }) => activities.cancelSignup(actor, params.id) });
  addRoute(app, auth, routes.checkin, { access: worker, tags, handler: ({ actor, body }) => activities.checkIn(actor, body) });

  addRoute(app, auth, routes.manageList, { access: staff, tags, handler: ({ actor, query }) => activities.manageList(actor, query) });
  addRoute(app, auth, routes.create, { access: staff, tags, handler: ({ actor, ctx, body }) => activities.create(actor, ctx, body) });
  addRoute(app, auth, routes.update, { access: staff, tags, handler: ({ actor, ctx, params, body }) => activities.update(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.move, { access: staff, tags, handler: ({ actor, ctx, params, body }) => activities.move(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.manage, { access: staff, tags, handler: ({ actor, ctx, params }) => activities.manage(actor, ctx, params.id) });
  addRoute(app, auth, routes.code, { access: staff, tags, handler: ({ actor, params, query }) => activities.code(actor, params.id, query.mode) });
  addRoute(app, auth, routes.scan, { access: staff, tags, handler: ({ actor, ctx, params, body }) => activities.scan(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.confirm, { access: staff, tags, handler: ({ actor, ctx, params, body }) => activities.confirm(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.message, { access: staff, tags, handler: ({ actor, ctx, params, body }) => activities.message(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.stats, { access: staff, tags, handler: ({ actor, query }) => activities.stats(actor, query) });
}
