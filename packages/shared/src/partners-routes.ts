import { z } from 'zod';
import { defineRoute } from './contract.ts';
import { idParams } from './rewards.ts';
import {
  directoryQuery,
  directoryResponse,
  donationInput,
  donationListQuery,
  donationListResponse,
  donationSchema,
  mySignaturesResponse,
  partnerApplicationInput,
  partnerApplicationResponse,
  partnerContactSchema,
  partnerListQuery,
  partnerListResponse,
  partnerMoveInput,
  partnerProfileInput,
  partnerSchema,
  pledgeCommunityParams,
  pledgeInput,
  pledgeListQuery,
  pledgeListResponse,
  pledgePageResponse,
  pledgeSchema,
  pledgeSignResponse,
  publicPartnerSchema,
} from './partners.ts';

/** Partners (暖新商家/医院/物业/学院/爱心企业): apply, review and certify (授牌), benefits, donations. */
export const partnersRoutes = {
  apply: defineRoute({ method: 'POST', path: '/api/v1/partners/applications', summary: 'Apply to become a certified partner (no login; limited per address and phone)', body: partnerApplicationInput, response: partnerApplicationResponse }),
  directory: defineRoute({ method: 'GET', path: '/api/v1/partners', summary: 'Certified partners: filter by region, kind, benefit and words; nearest first when a position is given', query: directoryQuery, response: directoryResponse }),
  page: defineRoute({ method: 'GET', path: '/api/v1/partners/:id', summary: 'A partner’s public page (what its plaque QR opens): benefits, hours, certification', params: idParams, response: publicPartnerSchema }),
  list: defineRoute({ method: 'GET', path: '/api/v1/partners/manage', summary: 'Partners and applications in the caller’s region, or a partner’s own (contact phones masked)', query: partnerListQuery, response: partnerListResponse }),
  get: defineRoute({ method: 'GET', path: '/api/v1/partners/manage/:id', summary: 'One partner with its review history and staff accounts', params: idParams, response: partnerSchema }),
  contact: defineRoute({ method: 'GET', path: '/api/v1/partners/manage/:id/contact', summary: 'The contact’s whole phone number, for a reviewer to call (each read audited)', params: idParams, response: partnerContactSchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/partners/manage/:id', summary: 'Keep a partner’s address, hours, description and benefits up to date', params: idParams, body: partnerProfileInput, response: partnerSchema }),
  move: defineRoute({ method: 'POST', path: '/api/v1/partners/manage/:id/moves', summary: 'Approve (授牌) or reject an application; suspend, reinstate or renew a certification', params: idParams, body: partnerMoveInput, response: partnerSchema }),
  donations: defineRoute({ method: 'GET', path: '/api/v1/partners/donations', summary: 'Donations of resources to communities, with counts per community', query: donationListQuery, response: donationListResponse }),
  donate: defineRoute({ method: 'POST', path: '/api/v1/partners/donations', summary: 'Record a partner’s donation of resources (e.g. shared bikes for a compound)', body: donationInput, response: donationSchema }),
};

/** Friendly-street pledges (三方公约): one versioned text per community, signed by community, property companies and workers. */
export const pledgesRoutes = {
  list: defineRoute({ method: 'GET', path: '/api/v1/pledges', summary: 'Communities’ current pledges with signature counts', query: pledgeListQuery, response: pledgeListResponse }),
  community: defineRoute({ method: 'GET', path: '/api/v1/pledges/community/:regionId', summary: 'A community’s current pledge and its signatories (workers as masked nicknames)', params: pledgeCommunityParams, response: pledgePageResponse }),
  manage: defineRoute({ method: 'GET', path: '/api/v1/pledges/manage', summary: 'Pledges the caller may publish or sign for an organisation, with whether it signed', query: pledgeListQuery, response: pledgeListResponse.extend({ items: z.array(pledgeSchema.extend({ signedByUs: z.boolean() })) }) }),
  publish: defineRoute({ method: 'POST', path: '/api/v1/pledges', summary: 'Publish a community’s pledge text; a changed text is a new version, signed anew', body: pledgeInput, response: pledgeSchema }),
  mine: defineRoute({ method: 'GET', path: '/api/v1/pledges/signed', summary: 'The pledge versions the worker signed', response: mySignaturesResponse }),
  sign: defineRoute({ method: 'POST', path: '/api/v1/pledges/:id/signatures', summary: 'A worker signs a pledge version (once)', params: idParams, response: pledgeSignResponse }),
  signForOrg: defineRoute({ method: 'POST', path: '/api/v1/pledges/:id/org-signatures', summary: 'Sign a pledge version for the community (its admin) or a property company (its staff), once', params: idParams, response: pledgeSignResponse }),
};
