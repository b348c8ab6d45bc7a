import { defineRoute } from './contract.ts';
import { idParams } from './rewards.ts';
import {
  checklistInput,
  checklistListQuery,
  checklistListResponse,
  checklistSchema,
  inspectionInput,
  inspectionListResponse,
  inspectionResultSchema,
  registryStationSchema,
  stationHistoryResponse,
  stationInput,
  stationListQuery,
  stationListResponse,
  stationMoveRequest,
  stationOfferInput,
} from './station-registry.ts';

/**
 * The stations registry in the console: stations in the caller's region, their lifecycle, the
 * district's checklist templates and acceptance inspections (验收). The Excel routes
 * (`/api/v1/stations/manage.xlsx`, `/api/v1/stations/import-template.xlsx`, and the import, whose
 * body is the workbook) are binary and registered by hand on the server; their paths are here.
 */
export const stationRegistryRoutes = {
  list: defineRoute({ method: 'GET', path: '/api/v1/stations/manage', summary: 'Stations in my region, paged and filtered', query: stationListQuery, response: stationListResponse }),
  create: defineRoute({ method: 'POST', path: '/api/v1/stations/manage', summary: 'Add a station (planned or built)', body: stationInput, response: registryStationSchema }),
  get: defineRoute({ method: 'GET', path: '/api/v1/stations/manage/:id', summary: 'One station as staff and its keeper see it', params: idParams, response: registryStationSchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/stations/manage/:id', summary: 'Change a station’s facts', params: idParams, body: stationInput, response: registryStationSchema }),
  updateOffer: defineRoute({ method: 'PUT', path: '/api/v1/stations/manage/:id/offer', summary: 'Hours, amenities, services and photos (the keeper of the station, or its admins)', params: idParams, body: stationOfferInput, response: registryStationSchema }),
  move: defineRoute({ method: 'POST', path: '/api/v1/stations/manage/:id/moves', summary: 'Build, suspend, close or reopen, with a reason', params: idParams, body: stationMoveRequest, response: registryStationSchema }),
  history: defineRoute({ method: 'GET', path: '/api/v1/stations/manage/:id/history', summary: 'Lifecycle history: who, when, why', params: idParams, response: stationHistoryResponse }),
  inspections: defineRoute({ method: 'GET', path: '/api/v1/stations/manage/:id/inspections', summary: 'Inspections of a station, newest first', params: idParams, response: inspectionListResponse }),
  inspect: defineRoute({ method: 'POST', path: '/api/v1/stations/manage/:id/inspections', summary: 'Record an acceptance inspection or a yearly review', params: idParams, body: inspectionInput, response: inspectionResultSchema }),
  checklists: defineRoute({ method: 'GET', path: '/api/v1/stations/checklists', summary: 'Checklist templates of my district', query: checklistListQuery, response: checklistListResponse }),
  createChecklist: defineRoute({ method: 'POST', path: '/api/v1/stations/checklists', summary: 'Add a checklist template (district)', body: checklistInput, response: checklistSchema }),
  updateChecklist: defineRoute({ method: 'PUT', path: '/api/v1/stations/checklists/:id', summary: 'Change a checklist template', params: idParams, body: checklistInput, response: checklistSchema }),
};

/** The binary routes, by path (see above). */
export const STATION_FILE_PATHS = {
  export: '/api/v1/stations/manage.xlsx',
  template: '/api/v1/stations/import-template.xlsx',
  import: '/api/v1/stations/import',
} as const;
