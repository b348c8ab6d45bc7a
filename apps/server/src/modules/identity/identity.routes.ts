import { ADMIN_ROLES, PEOPLE_READER_ROLES, STAFF_ROLES, identityRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import { addRoute } from '../../common/route.ts';
import type { Database } from '../../db/client.ts';
import { listDepartments, listRegions } from './identity.repository.ts';
import type { AuthService } from './auth.service.ts';
import type { AccountService } from './account.service.ts';
import type { PeopleService } from './people.service.ts';
import type { SessionAuthenticator } from './sessions.ts';

export interface IdentityDeps {
  database: Database;
  sessions: SessionAuthenticator;
  auth: AuthService;
  accounts: AccountService;
  people: PeopleService;
}

/** Thin: each route is its contract, its access rule and one service call. */
export function registerIdentityRoutes(app: FastifyInstance, deps: IdentityDeps) {
  const { sessions, auth, accounts, people } = deps;
  const tags = ['identity'];

  addRoute(app, sessions, routes.smsCode, { access: { who: 'public' }, tags, handler: ({ body, ctx }) => auth.sendCode(body.phone, ctx) });
  addRoute(app, sessions, routes.login, { access: { who: 'public' }, tags, handler: ({ body, ctx }) => auth.login(body, ctx) });
  addRoute(app, sessions, routes.logout, { access: { who: 'authenticated', scope: 'self' }, tags, handler: ({ actor }) => auth.logout(actor) });
  addRoute(app, sessions, routes.me, { access: { who: 'authenticated', scope: 'self' }, tags, handler: ({ actor }) => accounts.me(actor) });
  addRoute(app, sessions, routes.saveProfile, {
    access: { who: ['worker'], scope: 'self' },
    tags,
    handler: ({ actor, body }) => accounts.saveProfile(actor, body),
  });
  addRoute(app, sessions, routes.regions, {
    access: { who: 'public' },
    tags,
    handler: async () =>
      (await listRegions(deps.database.db)).map((r) => ({ id: r.id, parentId: r.parent_id, level: r.level, name: r.name })),
  });
  addRoute(app, sessions, routes.departments, {
    access: { who: 'public' },
    tags,
    handler: async () => (await listDepartments(deps.database.db)).map((d) => ({ id: d.id, regionId: d.region_id, name: d.name, kind: d.kind })),
  });
  addRoute(app, sessions, routes.users, {
    access: { who: PEOPLE_READER_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, ctx, query }) =>
      people.list(actor, ctx, { role: query.role, regionId: query.regionId, q: query.q }, { page: query.page, pageSize: query.pageSize }),
  });
  addRoute(app, sessions, routes.setUserStatus, {
    access: { who: ADMIN_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, ctx, params, body }) => people.setStatus(actor, ctx, params.id, body.status),
  });
  addRoute(app, sessions, routes.revokeSessions, {
    access: { who: ADMIN_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, ctx, params }) => people.revokeSessions(actor, ctx, params.id),
  });
  addRoute(app, sessions, routes.audit, {
    access: { who: ADMIN_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, query }) => people.auditLog(actor, query.action, { page: query.page, pageSize: query.pageSize }),
  });
  addRoute(app, sessions, routes.summary, { access: { who: STAFF_ROLES, scope: 'region' }, tags, handler: ({ actor }) => people.summary(actor) });
}
