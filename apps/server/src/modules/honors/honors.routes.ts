import { HONOR_STAFF_ROLES, STORY_STAFF_ROLES, honorsRoutes as routes, storiesRoutes as stories } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { addRoute } from '../../common/route.ts';
import type { HonorsService } from './honors.service.ts';
import type { StoriesService } from './stories.service.ts';

/** Honors: street and district admins run rounds; workers of the region vote; the rolls are public. */
export function registerHonorsRoutes(app: FastifyInstance, auth: Authenticator, honors: HonorsService) {
  const tags = ['honors'];
  const staff = { who: HONOR_STAFF_ROLES, scope: 'region' } as const;
  const worker = { who: ['worker'], scope: 'self' } as const;
  const pub = { who: 'public' } as const;

  addRoute(app, auth, routes.rounds, { access: staff, tags, handler: ({ actor, query }) => honors.list(actor, query) });
  addRoute(app, auth, routes.createRound, { access: staff, tags, handler: ({ actor, ctx, body }) => honors.create(actor, ctx, body) });
  addRoute(app, auth, routes.round, { access: staff, tags, handler: ({ actor, ctx, params }) => honors.detail(actor, ctx, params.id) });
  addRoute(app, auth, routes.updateRound, { access: staff, tags, handler: ({ actor, ctx, params, body }) => honors.update(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.moveRound, { access: staff, tags, handler: ({ actor, ctx, params, body }) => honors.move(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.nominate, { access: staff, tags, handler: ({ actor, ctx, params, body }) => honors.nominate(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.withdrawNominee, { access: staff, tags, handler: ({ actor, ctx, params }) => honors.withdrawNominee(actor, ctx, params.id) });
  addRoute(app, auth, routes.publish, { access: staff, tags, handler: ({ actor, ctx, params, body }) => honors.publish(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.current, { access: worker, tags, handler: ({ actor }) => honors.current(actor) });
  addRoute(app, auth, routes.vote, { access: worker, tags, handler: ({ actor, params, body }) => honors.vote(actor, params.id, body.nomineeId) });
  addRoute(app, auth, routes.rolls, { access: pub, tags, handler: ({ query }) => honors.rolls(query) });
  addRoute(app, auth, routes.roll, { access: pub, tags, handler: ({ params }) => honors.roll(params.id) });
}

/** Stories: community, street and district admins write and publish; anyone reads the published ones. */
export function registerStoriesRoutes(app: FastifyInstance, auth: Authenticator, service: StoriesService) {
  const tags = ['stories'];
  const staff = { who: STORY_STAFF_ROLES, scope: 'region' } as const;
  const pub = { who: 'public' } as const;

  addRoute(app, auth, stories.list, { access: staff, tags, handler: ({ actor, query }) => service.list(actor, query) });
  addRoute(app, auth, stories.create, { access: staff, tags, handler: ({ actor, ctx, body }) => service.create(actor, ctx, body) });
  addRoute(app, auth, stories.get, { access: staff, tags, handler: ({ actor, params }) => service.get(actor, params.id) });
  addRoute(app, auth, stories.update, { access: staff, tags, handler: ({ actor, ctx, params, body }) => service.update(actor, ctx, params.id, body) });
  addRoute(app, auth, stories.move, { access: staff, tags, handler: ({ actor, ctx, params, body }) => service.move(actor, ctx, params.id, body.move) });
  addRoute(app, auth, stories.published, { access: pub, tags, handler: ({ query }) => service.published(query) });
  addRoute(app, auth, stories.story, { access: pub, tags, handler: ({ params }) => service.read(params.id) });
}
