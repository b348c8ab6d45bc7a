import { z } from 'zod';
import { defineRoute } from './contract.ts';
import {
  auditListQuery,
  auditListResponse,
  loginRequest,
  loginResponse,
  departmentSchema,
  regionSchema,
  scopeSummarySchema,
  smsCodeRequest,
  userIdParams,
  userListQuery,
  userListResponse,
  userSchema,
  userStatusRequest,
  userSummarySchema,
  workerProfileRequest,
} from './identity.ts';

/** Every /api/v1 route of the identity domain. Apps call these through `createApiClient`. */
export const identityRoutes = {
  smsCode: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/sms-code',
    summary: 'Send a one-time login code by SMS',
    body: smsCodeRequest,
    response: null,
  }),
  login: defineRoute({
    method: 'POST',
    path: '/api/v1/auth/login',
    summary: 'Log in with phone + code, or staff username + password',
    body: loginRequest,
    response: loginResponse,
  }),
  logout: defineRoute({ method: 'POST', path: '/api/v1/auth/logout', summary: 'Revoke the current session', response: null }),
  me: defineRoute({ method: 'GET', path: '/api/v1/me', summary: 'The logged-in user', response: userSchema }),
  saveProfile: defineRoute({
    method: 'PUT',
    path: '/api/v1/me/profile',
    summary: 'Worker self-registration: occupation, platform company, home community',
    body: workerProfileRequest,
    response: userSchema,
  }),
  regions: defineRoute({
    method: 'GET',
    path: '/api/v1/regions',
    summary: 'The region tree (district → street → community → grid)',
    response: z.array(regionSchema),
  }),
  departments: defineRoute({
    method: 'GET',
    path: '/api/v1/departments',
    summary: 'Departments of the district and its streets (where cases are dispatched)',
    response: z.array(departmentSchema),
  }),
  users: defineRoute({
    method: 'GET',
    path: '/api/v1/users',
    summary: 'People in the caller’s region (phones masked; the read is audited)',
    query: userListQuery,
    response: userListResponse,
  }),
  setUserStatus: defineRoute({
    method: 'PATCH',
    path: '/api/v1/users/:id/status',
    summary: 'Disable or re-enable an account; disabling revokes its sessions',
    params: userIdParams,
    body: userStatusRequest,
    response: userSummarySchema,
  }),
  revokeSessions: defineRoute({
    method: 'POST',
    path: '/api/v1/users/:id/revoke-sessions',
    summary: 'Log a person out everywhere',
    params: userIdParams,
    response: null,
  }),
  audit: defineRoute({
    method: 'GET',
    path: '/api/v1/audit',
    summary: 'Audit log of staff actions in the caller’s region',
    query: auditListQuery,
    response: auditListResponse,
  }),
  summary: defineRoute({
    method: 'GET',
    path: '/api/v1/summary',
    summary: 'Head counts in the caller’s region for the console home',
    response: scopeSummarySchema,
  }),
};
