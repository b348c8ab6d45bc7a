import { defineRoute } from './contract.ts';
import { breakdownQuery, breakdownSchema, dashboardQuery, dashboardStationsSchema, heatSchema, summarySchema, trendQuery, trendSchema } from './dashboard.ts';

/**
 * Dashboard (domain 11): figures for the caller's region subtree over a period, read from rollups.
 * The monthly workbook (`GET /api/v1/dashboard/report.xlsx?regionId&month`) and CSV of any table
 * (`GET /api/v1/dashboard/export.csv?table=…`) are files, registered by hand with the same access rule.
 */
export const dashboardRoutes = {
  summary: defineRoute({ method: 'GET', path: '/api/v1/dashboard/summary', summary: 'KPI cards with the change against the previous period of equal length', query: dashboardQuery, response: summarySchema }),
  trend: defineRoute({ method: 'GET', path: '/api/v1/dashboard/trend', summary: 'One figure per day, week or month', query: trendQuery, response: trendSchema }),
  breakdown: defineRoute({ method: 'GET', path: '/api/v1/dashboard/breakdown', summary: 'Case figures and rates by category, department (league table) or community', query: breakdownQuery, response: breakdownSchema }),
  heat: defineRoute({ method: 'GET', path: '/api/v1/dashboard/heat', summary: 'Reported cases counted per map cell (no personal data)', query: dashboardQuery, response: heatSchema }),
  stations: defineRoute({ method: 'GET', path: '/api/v1/dashboard/stations', summary: 'Stations on the map with their status and visits in the period', query: dashboardQuery, response: dashboardStationsSchema }),
};
