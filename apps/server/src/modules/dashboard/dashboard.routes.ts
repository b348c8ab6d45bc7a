import { ADMIN_ROLES, csvQuery, dashboardRoutes as routes, reportQuery } from '@nuanxin/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { checkAccess, type Access, type Authenticator } from '../../common/access.ts';
import type { Actor } from '../../common/context.ts';
import { addRoute } from '../../common/route.ts';
import { breakdownTable, cardsTable, monthlyWorkbook, stationsTable, toCsv, trendTable, type Table } from './dashboard-export.ts';
import type { DashboardService } from './dashboard.service.ts';

/** Community, street and district admins; grid staff read their own community (all read-only). */
export const DASHBOARD_READERS = ['grid_staff', ...ADMIN_ROLES] as const;

export function registerDashboardRoutes(app: FastifyInstance, auth: Authenticator, dashboard: DashboardService) {
  const tags = ['dashboard'];
  const access = { who: DASHBOARD_READERS, scope: 'region' } as const;
  addRoute(app, auth, routes.summary, { access, tags, handler: ({ actor, query }) => dashboard.summary(actor, query) });
  addRoute(app, auth, routes.trend, { access, tags, handler: ({ actor, query }) => dashboard.trend(actor, query) });
  addRoute(app, auth, routes.breakdown, { access, tags, handler: ({ actor, query }) => dashboard.breakdown(actor, query) });
  addRoute(app, auth, routes.heat, { access, tags, handler: ({ actor, query }) => dashboard.heat(actor, query) });
  addRoute(app, auth, routes.stations, { access, tags, handler: ({ actor, query }) => dashboard.stations(actor, query) });

  // Files: binary or text/csv, so registered by hand, each with the same access rule checked first.
  const fileAccess: Access = access;
  const actors = new WeakMap<FastifyRequest, Actor>();
  const onRequest = async (request: FastifyRequest) => {
    actors.set(request, (await checkAccess(request, fileAccess, auth))!);
  };

  app.get('/api/v1/dashboard/report.xlsx', {
    config: { access: fileAccess },
    schema: { summary: 'The monthly report: one workbook, one sheet per domain', tags, querystring: reportQuery, security: [{ bearer: [] }] },
    onRequest,
    handler: async (request, reply) => {
      const report = await dashboard.monthly(actors.get(request)!, request.query as z.infer<typeof reportQuery>);
      reply.header('content-disposition', `attachment; filename="dashboard-${report.region.id}-${report.month}.xlsx"`);
      reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      return monthlyWorkbook(report);
    },
  });

  app.get('/api/v1/dashboard/export.csv', {
    config: { access: fileAccess },
    schema: { summary: 'Any dashboard table as CSV (UTF-8 with BOM)', tags, querystring: csvQuery, security: [{ bearer: [] }] },
    onRequest,
    handler: async (request, reply) => {
      const actor = actors.get(request)!;
      const { table, metric, bucket, ...range } = request.query as z.infer<typeof csvQuery>;
      let out: Table;
      if (table === 'cards') out = cardsTable(await dashboard.summary(actor, range));
      else if (table === 'trend') out = trendTable(await dashboard.trend(actor, { ...range, metric: metric ?? 'cases.received', bucket: bucket ?? 'day' }));
      else if (table === 'stations') out = stationsTable(await dashboard.stations(actor, range));
      else {
        const names = { category: '类别', department: '部门', community: '社区' } as const;
        out = breakdownTable(names[table], names[table], (await dashboard.breakdown(actor, { ...range, dimension: table })).items);
      }
      reply.header('content-disposition', `attachment; filename="dashboard-${table}.csv"`);
      reply.type('text/csv; charset=utf-8');
      return toCsv(out);
    },
  });
}
