import {
  DONATION_RECORDER_ROLES,
  PARTNER_READER_ROLES,
  PARTNER_REVIEWER_ROLES,
  PLEDGE_EDITOR_ROLES,
  PLEDGE_ORG_SIGNER_ROLES,
  partnersRoutes as routes,
  pledgesRoutes,
} from '@nuanxin/shared';
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../common/access.ts';
import type { Limit, RateLimiter } from '../../common/rate-limit.ts';
import { addRoute } from '../../common/route.ts';
import type { Database } from '../../db/client.ts';
import type { MediaService } from '../media/media.service.ts';
import { PartnersService } from './partners.service.ts';
import { DonationsService } from './donations.service.ts';
import { PledgesService } from './pledges.service.ts';

/**
 * Applications come from anyone (a shop owner has no account), so they are limited: per address
 * (generous: riders and shops share carrier NAT) and per contact phone.
 */
export const APPLY_LIMITS = {
  perAddressHour: { hits: 20, windowSeconds: 3600 },
  perPhoneDay: { hits: 3, windowSeconds: 86_400 },
} as const satisfies Record<string, Limit>;

export interface PartnersServices {
  partners: PartnersService;
  donations: DonationsService;
  pledges: PledgesService;
}

export function registerPartnersRoutes(app: FastifyInstance, auth: Authenticator, s: PartnersServices, limiter: RateLimiter) {
  const tags = ['partners'];
  const managers = { who: ['partner_staff', ...PARTNER_READER_ROLES], scope: 'region' } as const;
  const reviewers = { who: PARTNER_REVIEWER_ROLES, scope: 'region' } as const;
  const recorders = { who: DONATION_RECORDER_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.apply, {
    access: { who: 'public' },
    tags,
    handler: async ({ ctx, body }) => {
      await limiter.take([
        [`partner-apply:${ctx.ip}`, APPLY_LIMITS.perAddressHour],
        [`partner-apply-phone:${body.contactPhone}`, APPLY_LIMITS.perPhoneDay],
      ]);
      return s.partners.apply(ctx, body);
    },
  });
  addRoute(app, auth, routes.directory, { access: { who: 'public' }, tags, handler: ({ query }) => s.partners.directory(query) });
  addRoute(app, auth, routes.page, { access: { who: 'public' }, tags, handler: ({ params }) => s.partners.page(params.id) });
  addRoute(app, auth, routes.list, { access: managers, tags, handler: ({ actor, query }) => s.partners.list(actor, query) });
  addRoute(app, auth, routes.get, { access: managers, tags, handler: ({ actor, params }) => s.partners.get(actor, params.id) });
  addRoute(app, auth, routes.contact, { access: reviewers, tags, handler: ({ actor, ctx, params }) => s.partners.contact(actor, ctx, params.id) });
  addRoute(app, auth, routes.update, { access: managers, tags, handler: ({ actor, ctx, params, body }) => s.partners.update(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.move, { access: reviewers, tags, handler: ({ actor, ctx, params, body }) => s.partners.move(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.donations, { access: recorders, tags, handler: ({ actor, query }) => s.donations.list(actor, query) });
  addRoute(app, auth, routes.donate, { access: recorders, tags, handler: ({ actor, ctx, body }) => s.donations.record(actor, ctx, body) });

  const pledgeTags = ['pledges'];
  addRoute(app, auth, pledgesRoutes.list, { access: { who: 'public' }, tags: pledgeTags, handler: ({ query }) => s.pledges.list(query) });
  addRoute(app, auth, pledgesRoutes.community, { access: { who: 'public' }, tags: pledgeTags, handler: ({ params }) => s.pledges.community(params.regionId) });
  addRoute(app, auth, pledgesRoutes.manage, { access: { who: [...PLEDGE_EDITOR_ROLES, 'partner_staff'], scope: 'region' }, tags: pledgeTags, handler: ({ actor, query }) => s.pledges.manage(actor, query) });
  addRoute(app, auth, pledgesRoutes.publish, { access: { who: PLEDGE_EDITOR_ROLES, scope: 'region' }, tags: pledgeTags, handler: ({ actor, ctx, body }) => s.pledges.publish(actor, ctx, body) });
  addRoute(app, auth, pledgesRoutes.mine, { access: { who: ['worker'], scope: 'self' }, tags: pledgeTags, handler: ({ actor }) => s.pledges.mine(actor) });
  addRoute(app, auth, pledgesRoutes.sign, { access: { who: ['worker'], scope: 'self' }, tags: pledgeTags, handler: ({ actor, params }) => s.pledges.sign(actor, params.id) });
  addRoute(app, auth, pledgesRoutes.signForOrg, { access: { who: PLEDGE_ORG_SIGNER_ROLES, scope: 'region' }, tags: pledgeTags, handler: ({ actor, ctx, params }) => s.pledges.signForOrg(actor, ctx, params.id) });
}

/** Builds the partners services and registers their routes (one wiring line in app.ts). */
export function wirePartners(app: FastifyInstance, auth: Authenticator, database: Database, media: MediaService, limiter: RateLimiter): PartnersService {
  const partners = new PartnersService(database);
  registerPartnersRoutes(app, auth, { partners, donations: new DonationsService(database, media), pledges: new PledgesService(database) }, limiter);
  return partners;
}
