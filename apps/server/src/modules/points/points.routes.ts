import { PEOPLE_READER_ROLES, pointsRoutes as routes } from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import { idempotencyKey } from '../../common/idempotency.ts';
import { addRoute } from '../../common/route.ts';
import type { PointsService } from './points.service.ts';

const RULE_EDITORS = ['street_admin', 'district_admin'] as const;

export function registerPointsRoutes(app: FastifyInstance, auth: Authenticator, points: PointsService) {
  const tags = ['points'];
  const worker = { who: ['worker'], scope: 'self' } as const;

  addRoute(app, auth, routes.balance, { access: worker, tags, handler: ({ actor }) => points.balance(actor) });
  addRoute(app, auth, routes.history, { access: worker, tags, handler: ({ actor, query }) => points.history(actor, query) });
  addRoute(app, auth, routes.myClaims, { access: worker, tags, handler: ({ actor, query }) => points.listClaims(actor, true, query.status, query) });
  addRoute(app, auth, routes.setPrivacy, { access: worker, tags, handler: ({ actor, body }) => points.setPublic(actor, body.public) });
  addRoute(app, auth, routes.claim, { access: worker, tags, handler: ({ actor, body, request }) => points.claim(actor, idempotencyKey(request), body) });

  addRoute(app, auth, routes.rules, {
    access: { who: 'authenticated', scope: 'region' },
    tags,
    handler: ({ actor, query }) => points.listRules(actor, query.regionId, query.includeInactive === 'true'),
  });
  addRoute(app, auth, routes.createRule, { access: { who: RULE_EDITORS, scope: 'region' }, tags, handler: ({ actor, ctx, body }) => points.saveRule(actor, ctx, null, body) });
  addRoute(app, auth, routes.updateRule, { access: { who: RULE_EDITORS, scope: 'region' }, tags, handler: ({ actor, ctx, params, body }) => points.saveRule(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.settings, { access: { who: 'authenticated', scope: 'region' }, tags, handler: ({ params }) => points.settings(params.regionId) });
  addRoute(app, auth, routes.saveSettings, {
    access: { who: RULE_EDITORS, scope: 'region' },
    tags,
    handler: ({ actor, ctx, params, body }) => points.saveSettings(actor, ctx, params.regionId, body),
  });

  addRoute(app, auth, routes.claims, {
    access: { who: PEOPLE_READER_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, query }) => points.listClaims(actor, false, query.status, query),
  });
  addRoute(app, auth, routes.reviewClaim, {
    access: { who: PEOPLE_READER_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, ctx, params, body }) => points.reviewClaim(actor, ctx, params.id, body.decision, body.note, body.multiplier),
  });
  addRoute(app, auth, routes.awardBatch, {
    access: { who: PEOPLE_READER_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, ctx, body, request }) => points.awardBatchByStaff(actor, ctx, idempotencyKey(request), body),
  });
  addRoute(app, auth, routes.award, {
    access: { who: PEOPLE_READER_ROLES, scope: 'region' },
    tags,
    handler: ({ actor, ctx, body, request }) => points.awardByStaff(actor, ctx, idempotencyKey(request), body),
  });
  addRoute(app, auth, routes.ledger, { access: { who: PEOPLE_READER_ROLES, scope: 'region' }, tags, handler: ({ actor, query }) => points.ledger(actor, query) });
  addRoute(app, auth, routes.reverse, { access: { who: RULE_EDITORS, scope: 'region' }, tags, handler: ({ actor, ctx, params, body }) => points.reverse(actor, ctx, params.id, body.reason) });

  addRoute(app, auth, routes.leaderboard, { access: { who: 'authenticated', scope: 'region' }, tags, handler: ({ actor, query }) => points.leaderboard(actor, query.communityId, query.month) });
  addRoute(app, auth, routes.board, { access: { who: 'public' }, tags, handler: ({ query }) => points.board(query.communityId, query.quarter) });
}
