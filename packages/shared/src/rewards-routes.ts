import { defineRoute } from './contract.ts';
import {
  fulfilRequest,
  idParams,
  rewardInput,
  rewardListQuery,
  rewardListResponse,
  rewardReviewRequest,
  rewardSchema,
  settlementQuery,
  settlementSchema,
  voucherListResponse,
  voucherSchema,
} from './rewards.ts';
import { pageQuery } from './text.ts';

/** Rewards (积分兑换): catalogue, redemption with vouchers, fulfilment at the partner, settlement. */
export const rewardsRoutes = {
  catalogue: defineRoute({ method: 'GET', path: '/api/v1/rewards', summary: 'Published rewards a worker can redeem', query: rewardListQuery, response: rewardListResponse }),
  manage: defineRoute({ method: 'GET', path: '/api/v1/rewards/manage', summary: 'Rewards to review (staff) or my own (partner)', query: rewardListQuery, response: rewardListResponse }),
  create: defineRoute({ method: 'POST', path: '/api/v1/rewards', summary: 'A partner offers a reward (reviewed before it is published)', body: rewardInput, response: rewardSchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/rewards/:id', summary: 'A partner changes its reward (reviewed again)', params: idParams, body: rewardInput, response: rewardSchema }),
  review: defineRoute({ method: 'POST', path: '/api/v1/rewards/:id/review', summary: 'Publish, reject or withdraw a reward', params: idParams, body: rewardReviewRequest, response: rewardSchema }),
  redeem: defineRoute({ method: 'POST', path: '/api/v1/rewards/:id/redeem', summary: 'Redeem: hold points and stock, get a voucher (Idempotency-Key)', params: idParams, response: voucherSchema }),
  myVouchers: defineRoute({ method: 'GET', path: '/api/v1/vouchers/mine', summary: 'My vouchers', query: pageQuery, response: voucherListResponse }),
  voucher: defineRoute({ method: 'GET', path: '/api/v1/vouchers/:id', summary: 'One of my vouchers, as it is now', params: idParams, response: voucherSchema }),
  cancelVoucher: defineRoute({ method: 'POST', path: '/api/v1/vouchers/:id/cancel', summary: 'Cancel a held voucher: points and stock return', params: idParams, response: voucherSchema }),
  fulfil: defineRoute({ method: 'POST', path: '/api/v1/vouchers/fulfil', summary: 'Partner scans or types a voucher code (核销)', body: fulfilRequest, response: voucherSchema }),
  settlement: defineRoute({ method: 'GET', path: '/api/v1/rewards/settlement', summary: 'Fulfilled vouchers for a period (partner settlement)', query: settlementQuery, response: settlementSchema }),
};
