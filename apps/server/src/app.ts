import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { OPEN311_DEMO_API_KEY } from '@nuanxin/shared';
import { ROOT_DIR, type Config } from './config.ts';
import type { Database } from './db/client.ts';
import { errorHandler, sendError } from './common/errors.ts';
import { registerMetrics } from './common/metrics.ts';
import { registerSecurityHeaders, tileImageSource } from './common/security-headers.ts';
import { RateLimiter } from './common/rate-limit.ts';
import { registerJsonBodyParser } from './common/json-body.ts';
import { compileSerializer } from './common/serializer.ts';
import type { Access } from './common/access.ts';
import { ConsoleSmsProvider, type SmsProvider } from './modules/identity/sms.ts';
import { SessionAuthenticator } from './modules/identity/sessions.ts';
import { AuthService, DEFAULT_AUTH_LIMITS, type AuthLimits } from './modules/identity/auth.service.ts';
import { AccountService } from './modules/identity/account.service.ts';
import { PeopleService } from './modules/identity/people.service.ts';
import { registerIdentityRoutes } from './modules/identity/identity.routes.ts';
import { PrivacyService } from './modules/identity/privacy.service.ts';
import { registerPrivacyRoutes } from './modules/identity/privacy.routes.ts';
import { PointsService } from './modules/points/points.service.ts';
import { registerPointsRoutes } from './modules/points/points.routes.ts';
import { RewardsService } from './modules/rewards/rewards.service.ts';
import { registerRewardsRoutes } from './modules/rewards/rewards.routes.ts';
import { startJobs } from './common/jobs.ts';
import { StationsService } from './modules/stations/stations.service.ts';
import { registerStationsRoutes } from './modules/stations/stations.routes.ts';
import { StationIndexSync } from './modules/stations/station-index-sync.ts';
import { wireStationRegistry } from './modules/stations/registry.routes.ts';
import { wirePartners } from './modules/partners/partners.routes.ts';
import { VisitsService } from './modules/stations/visits.service.ts';
import { registerVisitsRoutes } from './modules/stations/visits.routes.ts';
import { SessionsService } from './modules/stations/sessions.service.ts';
import { registerSessionsRoutes } from './modules/stations/sessions.routes.ts';
import { MediaService } from './modules/media/media.service.ts';
import { registerMediaRoutes } from './modules/media/media.routes.ts';
import { LocalMediaStore, type MediaStore } from './modules/media/media.store.ts';
import { CasesService } from './modules/cases/cases.service.ts';
import { CaseCategoriesService } from './modules/cases/case-categories.ts';
import { CaseCategoryCache } from './modules/cases/case-category-cache.ts';
import { CaseLive } from './modules/cases/case-live.ts';
import { archiveClosed, escalateOverdue } from './modules/cases/case-jobs.ts';
import { registerCasesRoutes } from './modules/cases/cases.routes.ts';
import { Open311Service } from './modules/open311/open311.service.ts';
import { registerOpen311Routes } from './modules/open311/open311.routes.ts';
import { mapConfigFrom } from './modules/map/map.service.ts';
import { LocalTiles } from './modules/map/map.tiles.ts';
import { registerMapRoutes } from './modules/map/map.routes.ts';
import { DashboardService } from './modules/dashboard/dashboard.service.ts';
import { ActivitiesService } from './modules/activities/activities.service.ts';
import { registerActivitiesRoutes } from './modules/activities/activities.routes.ts';
import { registerDashboardRoutes } from './modules/dashboard/dashboard.routes.ts';
import { HonorsService } from './modules/honors/honors.service.ts';
import { StoriesService } from './modules/honors/stories.service.ts';
import { registerHonorsRoutes, registerStoriesRoutes } from './modules/honors/honors.routes.ts';
import { OrganizationsService } from './modules/organizations/organizations.service.ts';
import { registerOrganizationsRoutes } from './modules/organizations/organizations.routes.ts';
import { WishesService } from './modules/wishes/wishes.service.ts';
import { registerWishesRoutes } from './modules/wishes/wishes.routes.ts';
import { NoticesService } from './modules/notices/notices.service.ts';
import { registerNoticesRoutes } from './modules/notices/notices.routes.ts';
import { channelFromConfig } from './modules/notices/channels.ts';
import { sendOutbound } from './modules/notices/outbox.ts';
import { wireGuide } from './modules/guide/guide.routes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route with its declared access rule, for the access-matrix test and docs. */
    routeTable: RouteEntry[];
    /** Domain services, for other modules' wiring, seeds and tests. */
    services: { points: PointsService; rewards: RewardsService; media: MediaService; cases: CasesService; visits: VisitsService; sessions: SessionsService };
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
}

export interface AppOptions {
  config: Config;
  database: Database;
  /** Replaces the console SMS provider (tests capture codes with it). */
  sms?: SmsProvider;
  authLimits?: Partial<AuthLimits>;
  logger?: FastifyServerOptions['logger'];
  /** Serve the built H5 and admin apps when their dist folders exist (default true). */
  serveApps?: boolean;
  /** Run background jobs (expiry, voucher timeouts) on timers (default true; tests call them directly). */
  runJobs?: boolean;
  /** Where photos are kept (default: a directory, MEDIA_DIR). */
  mediaStore?: MediaStore;
}

const BODY_LIMIT = 1024 * 1024;
/** Open311 requests one api_key may file from one address per hour (a hotline gateway files many). */
const OPEN311_POSTS_PER_HOUR = 600;

/** Builds the whole application: plugins, then modules, then the apps' static files. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.LOG_LEVEL },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.TRUST_PROXY,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(compileSerializer);
  app.setErrorHandler(errorHandler);
  registerJsonBodyParser(app);
  // The map's tiles are the only images the apps load from elsewhere.
  registerSecurityHeaders(app, { imageSources: tileImageSource(config.MAP_TILE_URL) });

  // A route under /api/v1 without a declared access rule is a bug: refuse to start.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (route.url.startsWith('/api/') && !access) throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
    for (const method of [route.method].flat()) {
      if (access && method !== 'HEAD') routeTable.push({ method, url: route.url, access });
    }
  });

  await app.register(swagger, {
    openapi: {
      info: { title: '暖新 Nuanxin API', version: '1.0.0', description: 'Services and grassroots governance for new employment groups' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: { who: 'public' } } }, async () => app.swagger());
  registerMetrics(app);
  app.get('/healthz', { schema: { hide: true }, config: { access: { who: 'public' } } }, async () => ({ status: 'ok' }));

  const sessions = new SessionAuthenticator(database);
  await sessions.start();
  app.addHook('onClose', async () => sessions.stop());
  const accounts = new AccountService(database, sessions);
  const limiter = new RateLimiter(database.db, config.RATE_LIMIT_SCALE);
  const auth = new AuthService(database, options.sms ?? new ConsoleSmsProvider(app.log), sessions, accounts, limiter, {
    ...DEFAULT_AUTH_LIMITS,
    sessionDays: config.SESSION_DAYS,
    ...options.authLimits,
  });
  const people = new PeopleService(database, sessions);
  registerIdentityRoutes(app, { database, sessions, auth, accounts, people });
  const media = new MediaService(database, options.mediaStore ?? new LocalMediaStore(config.MEDIA_DIR ?? path.join(config.DATA_DIR, 'media')));
  await media.start();
  registerMediaRoutes(app, sessions, media);
  const points = new PointsService(database, media);
  registerPointsRoutes(app, sessions, points);
  const rewards = new RewardsService(database, points);
  registerRewardsRoutes(app, sessions, rewards, limiter);
  registerPrivacyRoutes(app, sessions, new PrivacyService(database, sessions, media, rewards));
  // In-service stations in memory for nearby search and check-in, kept fresh through LISTEN/NOTIFY.
  const stationIndex = new StationIndexSync(database);
  await stationIndex.start();
  app.addHook('onClose', async () => stationIndex.stop());
  registerStationsRoutes(app, sessions, new StationsService(database, stationIndex.index));
  wireStationRegistry(app, sessions, database, media);
  const visits = new VisitsService(database, points, { stations: stationIndex });
  registerVisitsRoutes(app, sessions, visits);
  const stationSessions = new SessionsService(database, { points });
  registerSessionsRoutes(app, sessions, stationSessions);
  registerMapRoutes(app, sessions, { config: mapConfigFrom(config), tiles: new LocalTiles() });
  const caseCategories = new CaseCategoryCache(database);
  await caseCategories.start();
  app.addHook('onClose', async () => caseCategories.stop());
  const cases = new CasesService(database, points, media, caseCategories, stationIndex.index);
  const caseLive = new CaseLive(database);
  await caseLive.start();
  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => caseLive.stop());
  registerCasesRoutes(app, sessions, { database, cases, categories: new CaseCategoriesService(database, caseCategories), live: caseLive, limiter });
  // Open311 GeoReport v2: the demo key outside production (README), and OPEN311_API_KEY when set.
  const open311Keys = [...(config.NODE_ENV === 'production' ? [] : [OPEN311_DEMO_API_KEY]), ...(config.OPEN311_API_KEY ? [config.OPEN311_API_KEY] : [])];
  registerOpen311Routes(app, new Open311Service(database, cases, media, { apiKeys: open311Keys, perKeyIpPerHour: OPEN311_POSTS_PER_HOUR }));
  // Dashboard rollups: community rows kept by triggers in the writers' transactions (0011), street and
  // district rows from an append-only log the `dashboard.levels` job compacts (0022); reads add the log.
  const dashboard = new DashboardService(database);
  registerDashboardRoutes(app, sessions, dashboard);
  // Notices are read by region; messages arrive from other modules through deliver() (modules/notices/inbox.ts).
  registerNoticesRoutes(app, sessions, new NoticesService(database, media));
  const messageChannel = channelFromConfig(config, app.log);
  const wishes = new WishesService(database, points, media);
  registerWishesRoutes(app, sessions, wishes);
  const activities = new ActivitiesService(database, points);
  registerActivitiesRoutes(app, sessions, activities);
  const organizations = new OrganizationsService(database, media);
  await organizations.start();
  registerOrganizationsRoutes(app, sessions, organizations);
  const partners = wirePartners(app, sessions, database, media, limiter);
  // Honors (金牌先锋) and stories: votes share the PostgreSQL rate limiter.
  registerHonorsRoutes(app, sessions, new HonorsService(database, media, points, limiter));
  registerStoriesRoutes(app, sessions, new StoriesService(database, media));
  wireGuide(app, sessions, { database, points, media });
  app.decorate('services', { points, rewards, media, cases, visits, sessions: stationSessions });

  if (options.runJobs !== false) {
    const stopJobs = startJobs(
      [
        { name: 'vouchers.expire', everyMs: 30_000, run: () => rewards.expireHeld() },
        { name: 'points.expire', everyMs: 3_600_000, run: () => points.expireDueLots() },
        { name: 'media.unattached', everyMs: 3_600_000, run: () => media.deleteUnattached() },
        ...(config.PHOTO_RETENTION_DAYS ? [{ name: 'media.retention', everyMs: 3_600_000, run: () => media.deleteExpired(config.PHOTO_RETENTION_DAYS!) }] : []),
        { name: 'rate-limits.prune', everyMs: 3_600_000, run: () => limiter.prune() },
        { name: 'partners.expire', everyMs: 3_600_000, run: () => partners.expireDue() },
        { name: 'cases.escalate', everyMs: 60_000, run: () => escalateOverdue(database) },
        { name: 'cases.archive', everyMs: 3_600_000, run: () => archiveClosed(database) },
        { name: 'wishes.claims', everyMs: 60_000, run: () => wishes.runClaimJob() },
        { name: 'activities.remind', everyMs: 60_000, run: () => activities.remindDue() },
        { name: 'messages.outbound', everyMs: 15_000, run: () => sendOutbound(database, messageChannel, { log: app.log }) },
        { name: 'dashboard.levels', everyMs: 10_000, run: () => dashboard.compactLevels() },
      ],
      app.log,
    );
    app.addHook('onClose', async () => stopJobs());
  }

  if (options.serveApps !== false) await serveApps(app);
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return sendError(request, reply, 'ROUTE_NOT_FOUND');
    const spa = spaIndexFor(request.url);
    if (spa && request.method === 'GET') return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(spa));
    return sendError(request, reply, 'ROUTE_NOT_FOUND');
  });
  return app;
}

const H5_DIST = path.join(ROOT_DIR, 'apps/h5/dist');
const ADMIN_DIST = path.join(ROOT_DIR, 'apps/admin/dist');

/** The single-page app whose index.html answers a deep link such as /admin/users or /me. */
function spaIndexFor(url: string): string | null {
  const dist = url.startsWith('/admin') ? ADMIN_DIST : H5_DIST;
  const index = path.join(dist, 'index.html');
  return fs.existsSync(index) ? index : null;
}

// Built assets carry a content hash and never change; index.html must always be re-checked.
function cacheHeaders(res: { setHeader(name: string, value: string): void }, filePath: string) {
  res.setHeader('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
  // The same URL is sent brotli, gzip or raw depending on the browser: caches must keep them apart.
  res.setHeader('vary', 'accept-encoding');
}

async function serveApps(app: FastifyInstance) {
  const config = { access: { who: 'public' } as const };
  // A wildcard route looks files up per request, so a rebuild while the server runs is served at once.
  // preCompressed: the build wrote .br/.gz beside each asset; the one the browser accepts is sent.
  // cacheControl false: the send library would write its own Cache-Control over ours (max-age=0).
  const common = { decorateReply: false, wildcard: true, index: 'index.html', preCompressed: true, cacheControl: false, setHeaders: cacheHeaders, config };
  if (fs.existsSync(ADMIN_DIST)) {
    await app.register(fastifyStatic, { ...common, root: ADMIN_DIST, prefix: '/admin/', redirect: true } as never);
  }
  if (fs.existsSync(H5_DIST)) {
    await app.register(fastifyStatic, { ...common, root: H5_DIST, prefix: '/' } as never);
  }
}
