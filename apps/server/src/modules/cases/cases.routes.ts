import { casesRoutes as routes, pickLang, type CaseAction } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import { checkAccess, type Access, type Authenticator } from '../../common/access.ts';
import type { Actor } from '../../common/context.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { LIMITS, type RateLimiter } from '../../common/rate-limit.ts';
import { addRoute } from '../../common/route.ts';
import type { Database } from '../../db/client.ts';
import { CASE_DESK_ROLES, CASE_STAFF_ROLES, MOVES } from './case-workflow.ts';
import type { CaseCategoriesService } from './case-categories.ts';
import type { CaseLive } from './case-live.ts';
import { departmentRates } from './case-rates.ts';
import type { CasesService } from './cases.service.ts';

const HEARTBEAT_MS = 25_000;

export interface CasesDeps {
  database: Database;
  cases: CasesService;
  categories: CaseCategoriesService;
  live: CaseLive;
  limiter: RateLimiter;
}

/** Routes of one step: region staff, or whoever the case may be dispatched to (the service checks which). */
const STEP_ROUTES = {
  accept: routes.accept,
  reject: routes.reject,
  merge: routes.merge,
  dispatch: routes.dispatch,
  acknowledge: routes.acknowledge,
  return: routes.return,
  start: routes.start,
  request_extension: routes.requestExtension,
  defer: routes.defer,
  resume: routes.resume,
  handle: routes.handle,
  verify: routes.verify,
  close: routes.close,
  rework: routes.rework,
  assign: routes.assign,
  note: routes.note,
  reply: routes.reply,
} as const satisfies Partial<Record<CaseAction, unknown>>;

export function registerCasesRoutes(app: FastifyInstance, auth: Authenticator, deps: CasesDeps) {
  const { cases, categories, live, database, limiter } = deps;
  const tags = ['cases'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  const staff = { who: CASE_STAFF_ROLES, scope: 'region' } as const;
  const desk = { who: CASE_DESK_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.categories, { access: { who: 'public' }, tags, handler: ({ query }) => categories.list(query.regionId, query.includeInactive === 'true') });
  addRoute(app, auth, routes.createCategory, { access: { who: ['district_admin'], scope: 'region' }, tags, handler: ({ actor, ctx, body }) => categories.save(actor, ctx, null, body) });
  addRoute(app, auth, routes.updateCategory, { access: { who: ['district_admin'], scope: 'region' }, tags, handler: ({ actor, ctx, params, body }) => categories.save(actor, ctx, params.id, body) });

  addRoute(app, auth, routes.public, { access: { who: 'public' }, tags, handler: ({ query, request }) => cases.publicClosed(query, pickLang(request.headers['accept-language'])) });
  addRoute(app, auth, routes.report, {
    access: worker,
    tags,
    handler: async ({ actor, body, request }) => {
      const key = idempotencyKey(request);
      // Counted in the same transaction as the filing (a batch of them: cases.service.ts).
      const rules = [
        [`report:${actor.userId}`, LIMITS.reportPerUser],
        [`report-hour:${actor.userId}`, LIMITS.reportPerUserHour],
      ] as const;
      return cases.report(actor, key, body, { limiter, rules });
    },
  });
  addRoute(app, auth, routes.mine, { access: worker, tags, handler: ({ actor, query }) => cases.mine(actor, query) });
  addRoute(app, auth, routes.myCase, { access: worker, tags, handler: ({ actor, params }) => cases.myCase(actor, params.id) });
  addRoute(app, auth, routes.rate, { access: worker, tags, handler: ({ actor, params, body }) => cases.rate(actor, params.id, body) });
  addRoute(app, auth, routes.reopen, { access: worker, tags, handler: ({ actor, params, body }) => cases.reopen(actor, params.id, body) });

  addRoute(app, auth, routes.list, { access: desk, tags, handler: ({ actor, query }) => cases.list(actor, query) });
  addRoute(app, auth, routes.rates, { access: desk, tags, handler: ({ actor, query }) => departmentRates(database.db, actor, query) });
  addRoute(app, auth, routes.get, { access: desk, tags, handler: ({ actor, ctx, params }) => cases.detail(actor, ctx, params.id) });
  addRoute(app, auth, routes.duplicates, { access: desk, tags, handler: ({ actor, params }) => cases.duplicates(actor, params.id) });

  for (const [action, route] of Object.entries(STEP_ROUTES) as Array<[keyof typeof STEP_ROUTES, (typeof STEP_ROUTES)[keyof typeof STEP_ROUTES]]>) {
    const access = MOVES[action].by === 'staff' ? staff : desk;
    addRoute(app, auth, route, { access, tags, handler: ({ actor, ctx, params, body }) => cases.step(actor, ctx, params.id, action, body) });
  }
  addRoute(app, auth, routes.decideExtension, {
    access: staff,
    tags,
    handler: ({ actor, ctx, params, body }) => cases.step(actor, ctx, params.id, body.decision === 'approve' ? 'approve_extension' : 'refuse_extension', body),
  });

  // The live workbench: a text/event-stream, so registered by hand, with the same access check first.
  const access: Access = desk;
  const actors = new WeakMap<object, Actor>();
  app.get('/api/v1/cases/stream', {
    config: { access },
    schema: { summary: 'Live workbench: every change to a case you may see, as server-sent events (event: case)', tags, security: [{ bearer: [] }] },
    onRequest: async (request) => {
      actors.set(request, (await checkAccess(request, access, auth))!);
    },
    handler: (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 5000\n: connected\n\n');
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      const unsubscribe = live.subscribe(
        actors.get(request)!,
        (change) => res.write(`event: case\ndata: ${JSON.stringify(change)}\n\n`),
        () => {
          stop();
          res.end();
        },
      );
      request.raw.on('close', stop);
    },
  });
}
