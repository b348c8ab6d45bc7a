import { ADMIN_ROLES, rewardsRoutes as routes, settlementQuery } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import { checkAccess, type Access, type Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import type { Actor } from '../../common/context.ts';
import { addRoute } from '../../common/route.ts';
import { LIMITS, type RateLimiter } from '../../common/rate-limit.ts';
import { settlementWorkbook } from './settlement-export.ts';
import type { RewardsService } from './rewards.service.ts';

const SETTLEMENT_READERS = ['partner_staff', ...ADMIN_ROLES] as const;

export function registerRewardsRoutes(app: FastifyInstance, auth: Authenticator, rewards: RewardsService, limiter: RateLimiter) {
  const tags = ['rewards'];
  const worker = { who: ['worker'], scope: 'self' } as const;
  const partner = { who: ['partner_staff'], scope: 'region' } as const;

  addRoute(app, auth, routes.catalogue, { access: { who: 'authenticated', scope: 'region' }, tags, handler: ({ actor, query }) => rewards.catalogue(actor, query, query) });
  addRoute(app, auth, routes.manage, { access: { who: ['partner_staff', ...ADMIN_ROLES], scope: 'region' }, tags, handler: ({ actor, query }) => rewards.manage(actor, query, query) });
  addRoute(app, auth, routes.create, { access: partner, tags, handler: ({ actor, ctx, body }) => rewards.save(actor, ctx, null, body) });
  addRoute(app, auth, routes.update, { access: partner, tags, handler: ({ actor, ctx, params, body }) => rewards.save(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.review, { access: { who: ADMIN_ROLES, scope: 'region' }, tags, handler: ({ actor, ctx, params, body }) => rewards.review(actor, ctx, params.id, body.decision) });
  addRoute(app, auth, routes.redeem, {
    access: worker,
    tags,
    handler: async ({ actor, params, request }) => {
      const key = idempotencyKey(request);
      // Counted by the redemption's own statement, first: a refusal by the limit writes nothing else.
      return rewards.redeem(actor, params.id, key, limiter.window(`redeem:${actor.userId}`, LIMITS.redeemPerUser));
    },
  });
  addRoute(app, auth, routes.myVouchers, { access: worker, tags, handler: ({ actor, query }) => rewards.myVouchers(actor, query) });
  addRoute(app, auth, routes.voucher, { access: worker, tags, handler: ({ actor, params }) => rewards.voucher(actor, params.id) });
  addRoute(app, auth, routes.cancelVoucher, { access: worker, tags, handler: ({ actor, params }) => rewards.cancel(actor, params.id) });
  addRoute(app, auth, routes.fulfil, { access: partner, tags, handler: ({ actor, ctx, body }) => rewards.fulfil(actor, ctx, body.code) });
  addRoute(app, auth, routes.settlement, { access: { who: SETTLEMENT_READERS, scope: 'region' }, tags, handler: ({ actor, query }) => rewards.settlement(actor, query) });

  // The same report as an Excel file: binary, so registered by hand, with the same access rule.
  const access: Access = { who: SETTLEMENT_READERS, scope: 'region' };
  const actors = new WeakMap<object, Actor>();
  app.get('/api/v1/rewards/settlement.xlsx', {
    config: { access },
    schema: { summary: 'Partner settlement as an Excel workbook', tags, querystring: settlementQuery, security: [{ bearer: [] }] },
    // Like every route: who you are is settled before the query is looked at.
    onRequest: async (request) => {
      actors.set(request, (await checkAccess(request, access, auth))!);
    },
    handler: async (request, reply) => {
      const report = await rewards.settlement(actors.get(request)!, request.query as never);
      reply.header('content-disposition', `attachment; filename="settlement-${report.from}-${report.to}.xlsx"`);
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return settlementWorkbook(report);
    },
  });
}
