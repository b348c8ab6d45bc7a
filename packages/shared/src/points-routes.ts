import { z } from 'zod';
import { defineRoute } from './contract.ts';
import {
  awardRequest,
  batchAwardRequest,
  batchAwardResponse,
  balanceSchema,
  boardQuery,
  boardSchema,
  claimListQuery,
  claimListResponse,
  claimRequest,
  claimReviewRequest,
  claimSchema,
  historyResponse,
  leaderboardQuery,
  leaderboardSchema,
  ledgerQuery,
  ledgerResponse,
  pointsSettingsRequest,
  pointsSettingsSchema,
  privacyRequest,
  regionParams,
  reverseRequest,
  ruleInput,
  ruleListQuery,
  ruleSchema,
  transferResultSchema,
} from './points.ts';
import { pageQuery } from './text.ts';
import { idParams } from './rewards.ts';

/** Points (积分): balance, history, rules, claims, awards, boards. Mobile POSTs carry an Idempotency-Key. */
export const pointsRoutes = {
  balance: defineRoute({ method: 'GET', path: '/api/v1/points/me', summary: 'My points balance', response: balanceSchema }),
  history: defineRoute({ method: 'GET', path: '/api/v1/points/me/history', summary: 'Every change to my points, with its reason', query: pageQuery, response: historyResponse }),
  myClaims: defineRoute({ method: 'GET', path: '/api/v1/points/me/claims', summary: 'My points claims', query: claimListQuery, response: claimListResponse }),
  setPrivacy: defineRoute({ method: 'PUT', path: '/api/v1/points/me/privacy', summary: 'Show or hide me on boards and leaderboards', body: privacyRequest, response: balanceSchema }),
  rules: defineRoute({ method: 'GET', path: '/api/v1/points/rules', summary: 'Points rules (a worker sees those of their street)', query: ruleListQuery, response: z.array(ruleSchema) }),
  createRule: defineRoute({ method: 'POST', path: '/api/v1/points/rules', summary: 'Add a points rule', body: ruleInput, response: ruleSchema }),
  updateRule: defineRoute({ method: 'PUT', path: '/api/v1/points/rules/:id', summary: 'Change a points rule', params: idParams, body: ruleInput, response: ruleSchema }),
  claim: defineRoute({ method: 'POST', path: '/api/v1/points/claims', summary: 'Claim points with proof (Idempotency-Key)', body: claimRequest, response: claimSchema }),
  claims: defineRoute({ method: 'GET', path: '/api/v1/points/claims', summary: 'Claims to review in my region', query: claimListQuery, response: claimListResponse }),
  reviewClaim: defineRoute({ method: 'POST', path: '/api/v1/points/claims/:id/review', summary: 'Approve or reject a claim', params: idParams, body: claimReviewRequest, response: claimSchema }),
  awardBatch: defineRoute({
    method: 'POST',
    path: '/api/v1/points/awards/batch',
    summary: 'Award one rule to many workers in one transaction (Idempotency-Key)',
    body: batchAwardRequest,
    response: batchAwardResponse,
  }),
  award: defineRoute({ method: 'POST', path: '/api/v1/points/awards', summary: 'Award or deduct under a rule (Idempotency-Key)', body: awardRequest, response: transferResultSchema }),
  ledger: defineRoute({ method: 'GET', path: '/api/v1/points/ledger', summary: 'Changes to workers’ points in my region (积分流水), newest first', query: ledgerQuery, response: ledgerResponse }),
  reverse: defineRoute({ method: 'POST', path: '/api/v1/points/transfers/:id/reverse', summary: 'Reverse a transfer with a new one that points back', params: idParams, body: reverseRequest, response: transferResultSchema }),
  leaderboard: defineRoute({ method: 'GET', path: '/api/v1/points/leaderboard', summary: 'Monthly leaderboard of a community', query: leaderboardQuery, response: leaderboardSchema }),
  board: defineRoute({ method: 'GET', path: '/api/v1/points/board', summary: 'Public points board of a community for a quarter', query: boardQuery, response: boardSchema }),
  settings: defineRoute({ method: 'GET', path: '/api/v1/points/settings/:regionId', summary: 'Redemption days and expiry of a street', params: regionParams, response: pointsSettingsSchema }),
  saveSettings: defineRoute({ method: 'PUT', path: '/api/v1/points/settings/:regionId', summary: 'Set redemption days and expiry of a street', params: regionParams, body: pointsSettingsRequest, response: pointsSettingsSchema }),
};
