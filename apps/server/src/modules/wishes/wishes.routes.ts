import { wishesRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { addRoute } from '../../common/route.ts';
import { WISH_DONOR_ROLES, WISH_SETTINGS_ROLES, WISH_STAFF_ROLES } from './wish-workflow.ts';
import type { WishesService } from './wishes.service.ts';

/** Micro-wishes: the wall is public; workers post and confirm; donors claim and fulfil; staff review. */
export function registerWishesRoutes(app: FastifyInstance, auth: Authenticator, wishes: WishesService) {
  const tags = ['wishes'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  // Donors act on wishes of their district; the service checks it.
  const donor = { who: WISH_DONOR_ROLES, scope: 'region' } as const;
  const staff = { who: WISH_STAFF_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.wall, { access: { who: 'public' }, tags, handler: ({ query }) => wishes.wall(query) });
  addRoute(app, auth, routes.wallItem, { access: { who: 'public' }, tags, handler: ({ params }) => wishes.wallItem(params.id) });

  addRoute(app, auth, routes.post, { access: worker, tags, handler: ({ actor, body, request }) => wishes.post(actor, idempotencyKey(request), body) });
  addRoute(app, auth, routes.mine, { access: worker, tags, handler: ({ actor, query }) => wishes.mine(actor, query) });
  addRoute(app, auth, routes.myWish, { access: worker, tags, handler: ({ actor, params }) => wishes.myWish(actor, params.id) });
  addRoute(app, auth, routes.cancel, { access: worker, tags, handler: ({ actor, params, body }) => wishes.cancel(actor, params.id, body) });
  addRoute(app, auth, routes.confirm, { access: worker, tags, handler: ({ actor, params, body }) => wishes.confirm(actor, params.id, body) });
  addRoute(app, auth, routes.thank, { access: worker, tags, handler: ({ actor, params, body }) => wishes.thank(actor, params.id, body) });

  addRoute(app, auth, routes.claims, { access: { who: WISH_DONOR_ROLES, scope: 'self' }, tags, handler: ({ actor, query }) => wishes.claims(actor, query) });
  addRoute(app, auth, routes.claim, { access: donor, tags, handler: ({ actor, ctx, params, body }) => wishes.claimStep(actor, ctx, params.id, 'claim', body) });
  addRoute(app, auth, routes.withdraw, { access: donor, tags, handler: ({ actor, ctx, params, body }) => wishes.claimStep(actor, ctx, params.id, 'withdraw', body) });
  addRoute(app, auth, routes.fulfil, { access: donor, tags, handler: ({ actor, ctx, params, body }) => wishes.claimStep(actor, ctx, params.id, 'fulfil', body) });

  addRoute(app, auth, routes.list, { access: staff, tags, handler: ({ actor, ctx, query }) => wishes.list(actor, ctx, query) });
  addRoute(app, auth, routes.counts, { access: staff, tags, handler: ({ actor, query }) => wishes.counts(actor, query) });
  // Read by anyone logged in for their own street or above (the H5 form shows the cap); set by street and district admins.
  addRoute(app, auth, routes.settings, { access: { who: 'authenticated', scope: 'region' }, tags, handler: ({ actor, params }) => wishes.settings(actor, params.regionId) });
  addRoute(app, auth, routes.saveSettings, { access: { who: WISH_SETTINGS_ROLES, scope: 'region' }, tags, handler: ({ actor, ctx, params, body }) => wishes.saveSettings(actor, ctx, params.regionId, body) });
  addRoute(app, auth, routes.get, { access: staff, tags, handler: ({ actor, ctx, params }) => wishes.detail(actor, ctx, params.id) });
  addRoute(app, auth, routes.approve, { access: staff, tags, handler: ({ actor, ctx, params, body }) => wishes.staffStep(actor, ctx, params.id, 'approve', body) });
  addRoute(app, auth, routes.reject, { access: staff, tags, handler: ({ actor, ctx, params, body }) => wishes.staffStep(actor, ctx, params.id, 'reject', body) });
  addRoute(app, auth, routes.offline, { access: staff, tags, handler: ({ actor, ctx, params, body }) => wishes.staffStep(actor, ctx, params.id, 'offline', body) });
}
