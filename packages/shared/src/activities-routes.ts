import { defineRoute } from './contract.ts';
import { idParams } from './rewards.ts';
import {
  activityCodeQuery,
  activityCodeResponse,
  activityDetailSchema,
  activityInput,
  activityListQuery,
  activityListResponse,
  activityManageResponse,
  activityMessageRequest,
  activityMessageResponse,
  activityMoveRequest,
  activityRegionStatsResponse,
  activitySchema,
  activityStatsQuery,
  checkinResult,
  confirmRequest,
  myActivitiesResponse,
  mySignupSchema,
  rosterEntrySchema,
  staffScanRequest,
  workerCheckinRequest,
} from './activities.ts';

/** Activities (活动): workers find, sign up and check in; staff run them, confirm hours and count. */
export const activitiesRoutes = {
  list: defineRoute({ method: 'GET', path: '/api/v1/activities', summary: 'Published activities a worker may join (or, with regionId, those of that area)', query: activityListQuery, response: activityListResponse }),
  mine: defineRoute({ method: 'GET', path: '/api/v1/activities/mine', summary: 'My sign-ups with my QR pass, and my confirmed volunteer hours', response: myActivitiesResponse }),
  detail: defineRoute({ method: 'GET', path: '/api/v1/activities/:id', summary: 'One published activity with my sign-up', params: idParams, response: activityDetailSchema }),
  signUp: defineRoute({ method: 'POST', path: '/api/v1/activities/:id/signup', summary: 'Sign up (idempotent); over capacity the worker is waitlisted with a position', params: idParams, response: mySignupSchema }),
  cancelSignup: defineRoute({ method: 'POST', path: '/api/v1/activities/:id/signup/cancel', summary: 'Cancel my sign-up before the start; the first waitlisted gets the seat', params: idParams, response: mySignupSchema }),
  checkin: defineRoute({ method: 'POST', path: '/api/v1/activities/checkins', summary: 'Check in or out with the organiser’s rotating code', body: workerCheckinRequest, response: checkinResult }),
  manageList: defineRoute({ method: 'GET', path: '/api/v1/activities/manage', summary: 'Activities in the caller’s region, every status', query: activityListQuery, response: activityListResponse }),
  create: defineRoute({ method: 'POST', path: '/api/v1/activities/manage', summary: 'Create an activity as a draft', body: activityInput, response: activitySchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/activities/manage/:id', summary: 'Change an activity before it starts (capacity not below the seats taken)', params: idParams, body: activityInput, response: activitySchema }),
  move: defineRoute({ method: 'POST', path: '/api/v1/activities/manage/:id/moves', summary: 'Publish, cancel or finish an activity', params: idParams, body: activityMoveRequest, response: activitySchema }),
  manage: defineRoute({ method: 'GET', path: '/api/v1/activities/manage/:id', summary: 'An activity with its figures and roster (waitlist included); the read is audited', params: idParams, response: activityManageResponse }),
  code: defineRoute({ method: 'GET', path: '/api/v1/activities/manage/:id/code', summary: 'The rotating check-in (or check-out) code for the organiser’s screen', params: idParams, query: activityCodeQuery, response: activityCodeResponse }),
  scan: defineRoute({ method: 'POST', path: '/api/v1/activities/manage/:id/scan', summary: 'The organiser scans a worker’s personal QR to check them in or out', params: idParams, body: staffScanRequest, response: checkinResult }),
  confirm: defineRoute({ method: 'POST', path: '/api/v1/activities/signups/:id/confirm', summary: 'Confirm (or adjust) attendance and volunteer hours; awards the activity’s points once', params: idParams, body: confirmRequest, response: rosterEntrySchema }),
  message: defineRoute({ method: 'POST', path: '/api/v1/activities/manage/:id/messages', summary: 'Send a message to the activity’s participants', params: idParams, body: activityMessageRequest, response: activityMessageResponse }),
  stats: defineRoute({ method: 'GET', path: '/api/v1/activities/stats', summary: 'Activities held, people covered and volunteer hours in a region and period', query: activityStatsQuery, response: activityRegionStatsResponse }),
};
