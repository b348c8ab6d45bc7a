import { defineRoute } from './contract.ts';
import { idParams } from './rewards.ts';
import {
  guideMineResponse,
  guideNearbyQuery,
  guideNearbyResponse,
  guidePlaceInput,
  guidePlaceSchema,
  guideReviewQuery,
  guideReviewRequest,
  guideReviewResponse,
  identityCheckRequest,
  myPassResponse,
  passProfileRequest,
  passRevocationRequest,
  passScanLogQuery,
  passScanLogResponse,
  passScanRequest,
  passScanResponse,
  riderPassListQuery,
  riderPassListResponse,
  riderPassSchema,
} from './guide.ts';
import { pageQuery } from './text.ts';

/** The street guide layers (parking, charging, gates, compound guides) and the rider pass (通行码). */
export const guideRoutes = {
  nearby: defineRoute({ method: 'GET', path: '/api/v1/guide/places/nearby', summary: 'Verified guide places nearest first, with distance in metres, by kind', query: guideNearbyQuery, response: guideNearbyResponse }),
  mine: defineRoute({ method: 'GET', path: '/api/v1/guide/places/mine', summary: 'The worker’s own contributions in every state, newest first', query: pageQuery, response: guideMineResponse }),
  contribute: defineRoute({ method: 'POST', path: '/api/v1/guide/places', summary: 'Contribute a guide place (pending until staff verify); needs an Idempotency-Key', body: guidePlaceInput, response: guidePlaceSchema }),
  get: defineRoute({ method: 'GET', path: '/api/v1/guide/places/:id', summary: 'One guide place: verified ones for everyone logged in, pending ones for their author and staff', params: idParams, response: guidePlaceSchema }),
  queue: defineRoute({ method: 'GET', path: '/api/v1/guide/places/review', summary: 'Guide places to verify (or already decided) in the caller’s region, paged', query: guideReviewQuery, response: guideReviewResponse }),
  review: defineRoute({ method: 'POST', path: '/api/v1/guide/places/:id/review', summary: 'Verify or reject (with reason) a contributed guide place', params: idParams, body: guideReviewRequest, response: guidePlaceSchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/guide/places/:id', summary: 'Staff correct a guide place (its state stays)', params: idParams, body: guidePlaceInput, response: guidePlaceSchema }),
  myPass: defineRoute({ method: 'GET', path: '/api/v1/guide/pass', summary: 'The worker’s rider pass (通行码): state and, while active, the current code', response: myPassResponse }),
  passProfile: defineRoute({ method: 'PUT', path: '/api/v1/guide/pass', summary: 'Set the pass photo and delivery station; a new photo needs staff to verify the identity again', body: passProfileRequest, response: myPassResponse }),
  scan: defineRoute({ method: 'POST', path: '/api/v1/guide/pass/scans', summary: 'A guard checks a scanned or typed pass code; every scan is logged', body: passScanRequest, response: passScanResponse }),
  scans: defineRoute({ method: 'GET', path: '/api/v1/guide/pass/scans', summary: 'The scan log of the caller’s region (guards: their own scans), newest first', query: passScanLogQuery, response: passScanLogResponse }),
  passes: defineRoute({ method: 'GET', path: '/api/v1/guide/passes', summary: 'Workers and their passes in the caller’s region (read audited, phones masked)', query: riderPassListQuery, response: riderPassListResponse }),
  checkIdentity: defineRoute({ method: 'POST', path: '/api/v1/guide/passes/:id/identity', summary: 'Staff record that they verified (or withdraw) a worker’s identity (核验身份); :id is the worker', params: idParams, body: identityCheckRequest, response: riderPassSchema }),
  revocation: defineRoute({ method: 'POST', path: '/api/v1/guide/passes/:id/revocation', summary: 'Revoke or restore a worker’s pass with a reason; :id is the worker', params: idParams, body: passRevocationRequest, response: riderPassSchema }),
};
