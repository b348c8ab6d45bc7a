import { identityRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import { checkAccess, type Access, type Authenticator } from '../../common/access.ts';
import type { Actor } from '../../common/context.ts';
import { addRoute } from '../../common/route.ts';
import type { PrivacyService } from './privacy.service.ts';

/** A person's rights over their own data: a copy, and deletion of the account. */
export function registerPrivacyRoutes(app: FastifyInstance, auth: Authenticator, privacy: PrivacyService) {
  const tags = ['identity'];
  addRoute(app, auth, routes.deleteAccount, { access: { who: ['worker'], scope: 'self' }, tags, handler: ({ actor, ctx }) => privacy.deleteAccount(actor, ctx) });

  // A download (a file the person keeps), so registered by hand with the same access check first.
  const access: Access = { who: 'authenticated', scope: 'self' };
  const actors = new WeakMap<object, Actor>();
  app.get('/api/v1/me/data', {
    config: { access },
    schema: { summary: 'Everything stored about me, as a JSON file (个人信息副本)', tags, security: [{ bearer: [] }] },
    onRequest: async (request) => {
      actors.set(request, (await checkAccess(request, access, auth))!);
    },
    handler: async (request, reply) => {
      const actor = actors.get(request)!;
      const data = await privacy.export(actor);
      reply.header('content-disposition', `attachment; filename="nuanxin-my-data-${new Date().toISOString().slice(0, 10)}.json"`);
      reply.header('cache-control', 'no-store');
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(data, null, 2));
    },
  });
}
