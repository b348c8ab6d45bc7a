import { ORGANIZATION_ADMIN_ROLES, ORGANIZATION_DESK_ROLES, organizationsRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { addRoute } from '../../common/route.ts';
import type { OrganizationsService } from './organizations.service.ts';

/** Workers declare and show; leaders verify; admins run organizations and appoint grid members. */
export function registerOrganizationsRoutes(app: FastifyInstance, auth: Authenticator, organizations: OrganizationsService) {
  const tags = ['organizations'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  // Grid staff act where designated as a leader; admins over their subtree (checked by the service).
  const desk = { who: ORGANIZATION_DESK_ROLES, scope: 'region' } as const;
  const admin = { who: ORGANIZATION_ADMIN_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.checkBadge, { access: { who: 'public' }, tags, handler: ({ params }) => organizations.checkBadge(params.token) });

  addRoute(app, auth, routes.choices, { access: worker, tags, handler: ({ actor, query }) => organizations.choices(actor, query) });
  addRoute(app, auth, routes.mine, { access: worker, tags, handler: ({ actor }) => organizations.mine(actor) });
  addRoute(app, auth, routes.join, { access: worker, tags, handler: ({ actor, body, request }) => organizations.join(actor, idempotencyKey(request), body) });
  addRoute(app, auth, routes.leave, { access: worker, tags, handler: ({ actor, params }) => organizations.leave(actor, params.id) });
  addRoute(app, auth, routes.badge, { access: worker, tags, handler: ({ actor, params }) => organizations.badge(actor, params.id) });
  addRoute(app, auth, routes.applyGridMember, { access: worker, tags, handler: ({ actor, body, request }) => organizations.applyGridMember(actor, idempotencyKey(request), body.note) });
  addRoute(app, auth, routes.withdrawGridMember, { access: worker, tags, handler: ({ actor, params }) => organizations.withdrawGridMember(actor, params.id) });

  addRoute(app, auth, routes.list, { access: desk, tags, handler: ({ actor, query }) => organizations.list(actor, query) });
  addRoute(app, auth, routes.stats, { access: desk, tags, handler: ({ actor, query }) => organizations.stats(actor, query.regionId) });
  addRoute(app, auth, routes.members, { access: desk, tags, handler: ({ actor, ctx, query }) => organizations.members(actor, ctx, query) });
  addRoute(app, auth, routes.gridMembers, { access: admin, tags, handler: ({ actor, ctx, query }) => organizations.gridMembers(actor, ctx, query) });
  addRoute(app, auth, routes.get, { access: desk, tags, handler: ({ actor, params }) => organizations.get(actor, params.id) });
  addRoute(app, auth, routes.create, { access: admin, tags, handler: ({ actor, ctx, body }) => organizations.create(actor, ctx, body) });
  addRoute(app, auth, routes.update, { access: admin, tags, handler: ({ actor, ctx, params, body }) => organizations.update(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.dissolve, { access: admin, tags, handler: ({ actor, ctx, params, body }) => organizations.dissolve(actor, ctx, params.id, body.reason) });
  addRoute(app, auth, routes.addMember, { access: desk, tags, handler: ({ actor, ctx, params, body }) => organizations.addMember(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.verify, { access: desk, tags, handler: ({ actor, ctx, params, body }) => organizations.verify(actor, ctx, params.id, body.partyStatus) });
  addRoute(app, auth, routes.reject, { access: desk, tags, handler: ({ actor, ctx, params, body }) => organizations.reject(actor, ctx, params.id, body.reason) });
  addRoute(app, auth, routes.revoke, { access: desk, tags, handler: ({ actor, ctx, params, body }) => organizations.revoke(actor, ctx, params.id, body.reason) });
  addRoute(app, auth, routes.appoint, { access: admin, tags, handler: ({ actor, ctx, params, body }) => organizations.appoint(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.rejectGridMember, { access: admin, tags, handler: ({ actor, ctx, params, body }) => organizations.rejectGridMember(actor, ctx, params.id, body.reason) });
  addRoute(app, auth, routes.dismiss, { access: admin, tags, handler: ({ actor, ctx, params, body }) => organizations.dismiss(actor, ctx, params.id, body.reason) });
}
