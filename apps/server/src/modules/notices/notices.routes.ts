import { ADMIN_ROLES, noticesRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { addRoute } from '../../common/route.ts';
import type { NoticesService } from './notices.service.ts';

export function registerNoticesRoutes(app: FastifyInstance, auth: Authenticator, notices: NoticesService) {
  const tags = ['notices'];
  const publisher = { who: ADMIN_ROLES, scope: 'region' } as const;
  // Everyone reads the notices of their own region and the regions above it.
  const reader = { who: 'authenticated', scope: 'region' } as const;
  const self = { who: 'authenticated', scope: 'self' } as const;

  addRoute(app, auth, routes.feed, { access: reader, tags, handler: ({ actor, query }) => notices.feed(actor, query) });
  addRoute(app, auth, routes.manage, { access: publisher, tags, handler: ({ actor, query }) => notices.manage(actor, query) });
  addRoute(app, auth, routes.detail, { access: reader, tags, handler: ({ actor, params }) => notices.detail(actor, params.id) });
  addRoute(app, auth, routes.create, { access: publisher, tags, handler: ({ actor, ctx, body }) => notices.create(actor, ctx, body) });
  addRoute(app, auth, routes.update, { access: publisher, tags, handler: ({ actor, ctx, params, body }) => notices.update(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.move, { access: publisher, tags, handler: ({ actor, ctx, params, body }) => notices.move(actor, ctx, params.id, body.action) });

  addRoute(app, auth, routes.messages, { access: self, tags, handler: ({ actor, query }) => notices.messages(actor, query) });
  addRoute(app, auth, routes.unread, { access: self, tags, handler: ({ actor }) => notices.unread(actor) });
  addRoute(app, auth, routes.read, { access: self, tags, handler: ({ actor, params }) => notices.markRead(actor, params.id) });
  addRoute(app, auth, routes.readAll, { access: self, tags, handler: ({ actor, body }) => notices.markAllRead(actor, body.topic) });
  addRoute(app, auth, routes.preferences, { access: self, tags, handler: ({ actor }) => notices.preferences(actor) });
  addRoute(app, auth, routes.savePreferences, { access: self, tags, handler: ({ actor, body }) => notices.savePreferences(actor, body.preferences) });
}
