import {
  CHECKLIST_EDITOR_ROLES,
  STATION_FILE_PATHS,
  STATION_IMPORT,
  STATION_INSPECTOR_ROLES,
  STATION_MANAGER_ROLES,
  STATION_PAGE_ROLES,
  pickLang,
  stationExportQuery,
  stationImportQuery,
  stationImportResponse,
  stationRegistryRoutes as routes,
} from '@nuanxin/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { checkAccess, type Access, type Authenticator } from '../../common/access.ts';
import { AppError } from '../../common/errors.ts';
import type { Actor } from '../../common/context.ts';
import { addRoute, requestContext } from '../../common/route.ts';
import type { Database } from '../../db/client.ts';
import type { MediaService } from '../media/media.service.ts';
import { RegistryService } from './registry.service.ts';
import { InspectionsService } from './inspections.service.ts';
import { ChecklistsService } from './inspections.checklists.ts';
import { StationFilesService } from './registry.files.ts';

export interface RegistryServices {
  registry: RegistryService;
  inspections: InspectionsService;
  checklists: ChecklistsService;
  files: StationFilesService;
}

const XLSX = STATION_IMPORT.contentType;

/** The stations registry of the console (see stationRegistryRoutes for each route). */
export function registerRegistryRoutes(app: FastifyInstance, auth: Authenticator, s: RegistryServices) {
  const tags = ['stations'];
  const managers = { who: STATION_MANAGER_ROLES, scope: 'region' } as const;
  const page = { who: STATION_PAGE_ROLES, scope: 'region' } as const;
  const inspectors = { who: STATION_INSPECTOR_ROLES, scope: 'region' } as const;

  addRoute(app, auth, routes.list, { access: managers, tags, handler: ({ actor, query }) => s.registry.list(actor, query) });
  addRoute(app, auth, routes.create, { access: managers, tags, handler: ({ actor, ctx, body }) => s.registry.create(actor, ctx, body) });
  addRoute(app, auth, routes.get, { access: page, tags, handler: ({ actor, params }) => s.registry.get(actor, params.id) });
  addRoute(app, auth, routes.update, { access: managers, tags, handler: ({ actor, ctx, params, body }) => s.registry.update(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.updateOffer, { access: page, tags, handler: ({ actor, ctx, params, body }) => s.registry.updateOffer(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.move, { access: managers, tags, handler: ({ actor, ctx, params, body }) => s.registry.move(actor, ctx, params.id, body.move, body.reason) });
  addRoute(app, auth, routes.history, { access: page, tags, handler: ({ actor, params }) => s.registry.history(actor, params.id) });
  addRoute(app, auth, routes.inspections, { access: managers, tags, handler: ({ actor, params }) => s.inspections.list(actor, params.id) });
  addRoute(app, auth, routes.inspect, { access: inspectors, tags, handler: ({ actor, ctx, params, body }) => s.inspections.inspect(actor, ctx, params.id, body) });
  addRoute(app, auth, routes.checklists, { access: managers, tags, handler: ({ actor, query }) => s.checklists.list(actor, query.regionId) });
  const editors = { who: CHECKLIST_EDITOR_ROLES, scope: 'region' } as const;
  addRoute(app, auth, routes.createChecklist, { access: editors, tags, handler: ({ actor, ctx, body }) => s.checklists.save(actor, ctx, null, body) });
  addRoute(app, auth, routes.updateChecklist, { access: editors, tags, handler: ({ actor, ctx, params, body }) => s.checklists.save(actor, ctx, params.id, body) });

  registerFileRoutes(app, auth, s.files);
}

/** Excel in and out: binary bodies, so registered by hand, with the same access rule first. */
function registerFileRoutes(app: FastifyInstance, auth: Authenticator, files: StationFilesService) {
  const tags = ['stations'];
  const access: Access = { who: STATION_MANAGER_ROLES, scope: 'region' };
  const actors = new WeakMap<FastifyRequest, Actor>();
  const common = {
    config: { access },
    // Who you are is settled before the query or the body is looked at.
    onRequest: async (request: FastifyRequest) => {
      actors.set(request, (await checkAccess(request, access, auth))!);
    },
  };
  // Header values must be ASCII: an ASCII name for old clients, the Chinese one in filename* (RFC 5987).
  const sendWorkbook = (reply: FastifyReply, ascii: string, name: string, bytes: Buffer) =>
    reply.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`).type(XLSX).send(bytes);

  app.get(STATION_FILE_PATHS.export, {
    ...common,
    schema: { summary: 'The station list (same filters) as an Excel workbook the import reads back', tags, querystring: stationExportQuery, security: [{ bearer: [] }] },
    handler: async (request, reply) => {
      const bytes = await files.exportList(actors.get(request)!, request.query as z.output<typeof stationExportQuery>);
      return sendWorkbook(reply, 'stations.xlsx', '驿站清单.xlsx', bytes);
    },
  });
  app.get(STATION_FILE_PATHS.template, {
    ...common,
    schema: { summary: 'The empty import workbook, with notes on each column', tags, security: [{ bearer: [] }] },
    handler: async (_request, reply) => sendWorkbook(reply, 'stations-template.xlsx', '驿站导入模板.xlsx', await files.template()),
  });

  // The workbook arrives as raw bytes (like a photo), up to its own limit; JSON keeps the 1 MiB one.
  app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: STATION_IMPORT.maxBytes }, (_request, body, done) => done(null, body));
  app.post(STATION_FILE_PATHS.import, {
    ...common,
    bodyLimit: STATION_IMPORT.maxBytes,
    schema: {
      summary: `Import stations from an .xlsx body (Content-Type: ${XLSX}); all rows or none, with a per-row error report`,
      tags,
      querystring: stationImportQuery,
      response: { 200: stationImportResponse },
      security: [{ bearer: [] }],
    },
    handler: async (request) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) throw new AppError('IMPORT_NOT_XLSX');
      const { regionId } = request.query as z.output<typeof stationImportQuery>;
      return files.importStations(actors.get(request)!, requestContext(request), regionId, request.body, pickLang(request.headers['accept-language']));
    },
  });
}

/** Builds the registry's services and registers their routes (one wiring line in app.ts). */
export function wireStationRegistry(app: FastifyInstance, auth: Authenticator, database: Database, media: MediaService) {
  const registry = new RegistryService(database, media);
  registerRegistryRoutes(app, auth, {
    registry,
    inspections: new InspectionsService(database, media, registry),
    checklists: new ChecklistsService(database),
    files: new StationFilesService(database),
  });
}
