import { defineRoute } from './contract.ts';
import { idParams } from './rewards.ts';
import { nearbyQuery, nearbyResponse, stationSchema } from './stations.ts';

/** Stations (暖"新"驿站): find the nearest open one that has what you need. */
export const stationsRoutes = {
  nearby: defineRoute({ method: 'GET', path: '/api/v1/stations/nearby', summary: 'The nearest stations with distance in metres, filtered', query: nearbyQuery, response: nearbyResponse }),
  get: defineRoute({ method: 'GET', path: '/api/v1/stations/:id', summary: 'One station: hours, amenities, services, keeper (masked)', params: idParams, response: stationSchema }),
};
