import type { z } from 'zod';
import { defineRoute } from './contract.ts';
import {
  wishClaimRequest,
  claimedWishSchema,
  claimedWishesResponse,
  wishConfirmRequest,
  wishFulfilRequest,
  myWishSchema,
  myWishesQuery,
  myWishesResponse,
  wishOfflineRequest,
  publicWishSchema,
  wishThankRequest,
  wishWallQuery,
  wishWallResponse,
  wishCountsQuery,
  wishCountsResponse,
  wishDetailSchema,
  wishIdParams,
  wishInput,
  wishListQuery,
  wishListResponse,
  wishNoteRequest,
  wishRegionParams,
  wishRejectRequest,
  wishSettingsRequest,
  wishSettingsSchema,
  wishWithdrawRequest,
} from './wishes.ts';
import { pageQuery } from './text.ts';

const staffStep = <const B extends z.ZodType>(path: string, summary: string, body: B) =>
  defineRoute({ method: 'POST', path: `/api/v1/wishes/:id/${path}`, summary, params: wishIdParams, body, response: wishDetailSchema });
const claimStep = <const B extends z.ZodType>(path: string, summary: string, body: B) =>
  defineRoute({ method: 'POST', path: `/api/v1/wishes/:id/${path}`, summary, params: wishIdParams, body, response: claimedWishSchema });
const wisherStep = <const B extends z.ZodType>(path: string, summary: string, body: B) =>
  defineRoute({ method: 'POST', path: `/api/v1/wishes/:id/${path}`, summary, params: wishIdParams, body, response: myWishSchema });

/**
 * Micro-wishes (微心愿): a worker posts, staff review, the wall shows it (nickname and community
 * only), a partner or a person claims and fulfils it with proof, the worker confirms and thanks.
 * A step outside the workflow is refused with 409 WISH_ILLEGAL_TRANSITION.
 */
export const wishesRoutes = {
  wall: defineRoute({ method: 'GET', path: '/api/v1/wishes/wall', summary: 'The wish wall (public): published and fulfilled wishes, nickname and community only', query: wishWallQuery, response: wishWallResponse }),
  wallItem: defineRoute({ method: 'GET', path: '/api/v1/wishes/wall/:id', summary: 'One wish on the wall (public)', params: wishIdParams, response: publicWishSchema }),

  post: defineRoute({ method: 'POST', path: '/api/v1/wishes', summary: 'Post a wish for review (Idempotency-Key: a retry returns the first wish)', body: wishInput, response: myWishSchema }),
  mine: defineRoute({ method: 'GET', path: '/api/v1/wishes/mine', summary: 'My wishes, newest first', query: myWishesQuery, response: myWishesResponse }),
  myWish: defineRoute({ method: 'GET', path: '/api/v1/wishes/mine/:id', summary: 'One of my wishes with its timeline', params: wishIdParams, response: myWishSchema }),
  cancel: wisherStep('cancel', 'Withdraw my wish before anyone claimed it', wishNoteRequest),
  confirm: wisherStep('confirm', 'Confirm I received it, optionally with a thank-you', wishConfirmRequest),
  thank: wisherStep('thank', 'Thank the claimant (once), publicly or not', wishThankRequest),

  claims: defineRoute({ method: 'GET', path: '/api/v1/wishes/claims', summary: 'Wishes I (or my partner) claimed', query: pageQuery, response: claimedWishesResponse }),
  claim: claimStep('claim', '认领: take on a published wish (one claimant; expires after the street’s days)', wishClaimRequest),
  withdraw: claimStep('withdraw', 'Give a claim back; the wish is open again', wishWithdrawRequest),
  fulfil: claimStep('fulfil', '圆梦: hand over, with a note and photos', wishFulfilRequest),

  list: defineRoute({ method: 'GET', path: '/api/v1/wishes', summary: 'Wishes in the caller’s region: filter by region, status, kind, words (the read is audited)', query: wishListQuery, response: wishListResponse }),
  counts: defineRoute({ method: 'GET', path: '/api/v1/wishes/counts', summary: 'Wishes per street or community with the status breakdown, fulfilled and confirmed in a period', query: wishCountsQuery, response: wishCountsResponse }),
  settings: defineRoute({ method: 'GET', path: '/api/v1/wishes/settings/:regionId', summary: 'A street’s value cap (元) and claim expiry (days)', params: wishRegionParams, response: wishSettingsSchema }),
  saveSettings: defineRoute({ method: 'PUT', path: '/api/v1/wishes/settings/:regionId', summary: 'Set a street’s value cap and claim expiry', params: wishRegionParams, body: wishSettingsRequest, response: wishSettingsSchema }),
  get: defineRoute({ method: 'GET', path: '/api/v1/wishes/:id', summary: 'One wish with its timeline, for staff (the read is audited)', params: wishIdParams, response: wishDetailSchema }),
  approve: staffStep('approve', 'Approve: publish on the wall', wishNoteRequest),
  reject: staffStep('reject', 'Reject with the reason', wishRejectRequest),
  offline: staffStep('offline', 'Record an offline donation: fulfilled directly with the donor’s name and proof', wishOfflineRequest),
};
