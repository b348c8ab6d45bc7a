import { defineRoute } from './contract.ts';
import {
  currentRoundsResponse,
  honorRollSchema,
  nominateRequest,
  publicStoryListQuery,
  publicStoryListResponse,
  publicStorySchema,
  publishRequest,
  rollListQuery,
  rollListResponse,
  roundDetailSchema,
  roundInput,
  roundListQuery,
  roundListResponse,
  roundMoveRequest,
  roundSchema,
  staffNomineeSchema,
  staffStoryListResponse,
  staffStorySchema,
  storyInput,
  storyListQuery,
  storyMoveRequest,
  voteRequest,
  voteResponse,
} from './honors.ts';
import { idParams } from './rewards.ts';

/** 金牌先锋 selections: staff run rounds and nominate, workers vote once, anyone reads the honor roll. */
export const honorsRoutes = {
  rounds: defineRoute({ method: 'GET', path: '/api/v1/honors/rounds', summary: 'Selection rounds in the caller’s region, newest first, with filters', query: roundListQuery, response: roundListResponse }),
  createRound: defineRoute({ method: 'POST', path: '/api/v1/honors/rounds', summary: 'Create a selection round (draft) for a street or district', body: roundInput, response: roundSchema }),
  round: defineRoute({ method: 'GET', path: '/api/v1/honors/rounds/:id', summary: 'One round with its nominees and votes (names for staff, phones masked; the read is audited)', params: idParams, response: roundDetailSchema }),
  updateRound: defineRoute({ method: 'PUT', path: '/api/v1/honors/rounds/:id', summary: 'Edit a round while it is a draft or nominating', params: idParams, body: roundInput, response: roundSchema }),
  moveRound: defineRoute({ method: 'POST', path: '/api/v1/honors/rounds/:id/moves', summary: 'Open nomination, open voting, close voting or cancel a round', params: idParams, body: roundMoveRequest, response: roundSchema }),
  nominate: defineRoute({ method: 'POST', path: '/api/v1/honors/rounds/:id/nominees', summary: 'Nominate a worker of the round’s region, with the reason and optional photos', params: idParams, body: nominateRequest, response: staffNomineeSchema }),
  withdrawNominee: defineRoute({ method: 'POST', path: '/api/v1/honors/nominees/:id/withdraw', summary: 'Withdraw a nomination before voting opens', params: idParams, response: staffNomineeSchema }),
  publish: defineRoute({ method: 'POST', path: '/api/v1/honors/rounds/:id/publish', summary: 'Publish a closed round: the honorees (top N by votes unless picked) and optional points', params: idParams, body: publishRequest, response: roundDetailSchema }),
  current: defineRoute({ method: 'GET', path: '/api/v1/honors/current', summary: 'Rounds the worker can follow or vote in now, with nominees (masked) and live counts', response: currentRoundsResponse }),
  vote: defineRoute({ method: 'POST', path: '/api/v1/honors/rounds/:id/votes', summary: 'Vote for one nominee; once per round, not changeable (the same vote again is answered as before)', params: idParams, body: voteRequest, response: voteResponse }),
  rolls: defineRoute({ method: 'GET', path: '/api/v1/honors/rolls', summary: 'Published honor rolls, newest first (public, no personal data)', query: rollListQuery, response: rollListResponse }),
  roll: defineRoute({ method: 'GET', path: '/api/v1/honors/rolls/:id', summary: 'One published honor roll (public)', params: idParams, response: honorRollSchema }),
};

/** 动人故事 and 随手记: staff write and publish, anyone reads. */
export const storiesRoutes = {
  list: defineRoute({ method: 'GET', path: '/api/v1/stories/manage', summary: 'Stories and moments in the caller’s region, any state, with filters', query: storyListQuery, response: staffStoryListResponse }),
  create: defineRoute({ method: 'POST', path: '/api/v1/stories/manage', summary: 'Write a story or moment (draft)', body: storyInput, response: staffStorySchema }),
  get: defineRoute({ method: 'GET', path: '/api/v1/stories/manage/:id', summary: 'One story as staff see it', params: idParams, response: staffStorySchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/stories/manage/:id', summary: 'Edit a story', params: idParams, body: storyInput, response: staffStorySchema }),
  move: defineRoute({ method: 'POST', path: '/api/v1/stories/manage/:id/moves', summary: 'Publish or withdraw a story', params: idParams, body: storyMoveRequest, response: staffStorySchema }),
  published: defineRoute({ method: 'GET', path: '/api/v1/stories', summary: 'Published stories and moments, newest first (public)', query: publicStoryListQuery, response: publicStoryListResponse }),
  story: defineRoute({ method: 'GET', path: '/api/v1/stories/:id', summary: 'One published story (public); counts a view', params: idParams, response: publicStorySchema }),
};
