import { z } from 'zod';
import { defineRoute } from './contract.ts';
import {
  acceptRequest,
  assignRequest,
  caseDetailSchema,
  caseIdParams,
  caseListQuery,
  caseListResponse,
  caseSummarySchema,
  categoryInput,
  categoryListQuery,
  categorySchema,
  closeRequest,
  dispatchRequest,
  duplicateListResponse,
  extensionDecisionRequest,
  extensionRequest,
  mergeRequest,
  myCaseListResponse,
  myCaseSchema,
  publicCaseListResponse,
  publicCasesQuery,
  rateRequest,
  ratesQuery,
  ratesResponse,
  reasonRequest,
  rejectRequest,
  reopenRequest,
  replyRequest,
  reportRequest,
  stepRequest,
} from './cases.ts';
import { pageQuery } from './text.ts';

const step = <const B extends z.ZodType>(path: string, summary: string, body: B) =>
  defineRoute({ method: 'POST', path: `/api/v1/cases/:id/${path}`, summary, params: caseIdParams, body, response: caseSummarySchema });

/**
 * Cases (随手拍 / 报事). Workers report and follow their own; staff work them through the steps,
 * each step one POST that is refused (409 CASE_ILLEGAL_TRANSITION) outside the workflow.
 * The live workbench, `GET /api/v1/cases/stream`, is a text/event-stream registered by hand.
 */
export const casesRoutes = {
  categories: defineRoute({ method: 'GET', path: '/api/v1/cases/categories', summary: 'The two-level category catalogue (public)', query: categoryListQuery, response: z.array(categorySchema) }),
  createCategory: defineRoute({ method: 'POST', path: '/api/v1/cases/categories', summary: 'Add a category to a district catalogue', body: categoryInput, response: categorySchema }),
  updateCategory: defineRoute({ method: 'PUT', path: '/api/v1/cases/categories/:id', summary: 'Change a category', params: caseIdParams, body: categoryInput, response: categorySchema }),

  public: defineRoute({ method: 'GET', path: '/api/v1/cases/public', summary: 'Closed cases in a box or near a point, for the public map: no personal data, positions rounded to ~10 m', query: publicCasesQuery, response: publicCaseListResponse }),

  report: defineRoute({ method: 'POST', path: '/api/v1/cases', summary: 'Report a street problem (Idempotency-Key: a retry returns the first case)', body: reportRequest, response: myCaseSchema }),
  mine: defineRoute({ method: 'GET', path: '/api/v1/cases/mine', summary: 'My reports', query: pageQuery, response: myCaseListResponse }),
  myCase: defineRoute({ method: 'GET', path: '/api/v1/cases/mine/:id', summary: 'One of my reports with its timeline', params: caseIdParams, response: myCaseSchema }),
  rate: defineRoute({ method: 'POST', path: '/api/v1/cases/:id/rate', summary: 'Rate the outcome of my closed report', params: caseIdParams, body: rateRequest, response: myCaseSchema }),
  reopen: defineRoute({ method: 'POST', path: '/api/v1/cases/:id/reopen', summary: 'Ask again: my closed report is not fixed', params: caseIdParams, body: reopenRequest, response: myCaseSchema }),

  list: defineRoute({ method: 'GET', path: '/api/v1/cases', summary: 'Workbench: new, my queue, overdue, all (region or department scoped)', query: caseListQuery, response: caseListResponse }),
  rates: defineRoute({ method: 'GET', path: '/api/v1/cases/rates', summary: 'Per department: close, on-time, rework, extension and satisfaction rates', query: ratesQuery, response: ratesResponse }),
  get: defineRoute({ method: 'GET', path: '/api/v1/cases/:id', summary: 'One case with its full timeline (reporter phone masked; the read is audited)', params: caseIdParams, response: caseDetailSchema }),
  duplicates: defineRoute({ method: 'GET', path: '/api/v1/cases/:id/duplicates', summary: 'Open cases of the same category within 50 m', params: caseIdParams, response: duplicateListResponse }),

  accept: step('accept', '立案: accept the report', acceptRequest),
  reject: step('reject', '不予立案: reject with a reason (a duplicate is linked to its original)', rejectRequest),
  merge: step('merge', 'Merge a duplicate into its original', mergeRequest),
  dispatch: step('dispatch', '派遣: to a department (default: the category’s) or a grid', dispatchRequest),
  acknowledge: step('acknowledge', '签收', stepRequest),
  return: step('return', '退回: not ours, back for re-dispatch', reasonRequest),
  start: step('start', '开始处置', stepRequest),
  requestExtension: step('extension-request', '申请延期 with a new due time', extensionRequest),
  decideExtension: step('extension', 'Approve or refuse a requested extension', extensionDecisionRequest),
  defer: step('defer', '挂账: cannot be done now, with the reason', reasonRequest),
  resume: step('resume', 'Resume handling a deferred case', stepRequest),
  handle: step('handle', '处理反馈 with result photos', reasonRequest),
  verify: step('verify', '核查: start verifying on site', stepRequest),
  close: step('close', '结案 with the outcome in words', closeRequest),
  rework: step('rework', '返工: back to handling', reasonRequest),
  assign: step('assign', 'Assign to a person (or clear)', assignRequest),
  note: step('notes', 'Internal note the reporter does not see', reasonRequest),
  reply: step('replies', 'Reply to the reporter (templates in REPLY_TEMPLATES)', replyRequest),
};
