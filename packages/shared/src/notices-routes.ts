import { z } from 'zod';
import { defineRoute } from './contract.ts';
import {
  messageListQuery,
  messageListResponse,
  messagePreferencesRequest,
  messagePreferencesSchema,
  noticeFeedQuery,
  noticeInput,
  noticeListQuery,
  noticeListResponse,
  noticeMoveRequest,
  noticeSchema,
  unreadCountSchema,
  MESSAGE_TOPICS,
} from './notices.ts';

const idParams = z.strictObject({ id: z.uuid() });

/** Notices (公告 / 政策 / 倡议书) and the message center (消息中心). */
export const noticesRoutes = {
  feed: defineRoute({ method: 'GET', path: '/api/v1/notices', summary: 'Published notices of my region and the regions above it', query: noticeFeedQuery, response: noticeListResponse }),
  manage: defineRoute({ method: 'GET', path: '/api/v1/notices/manage', summary: 'Notices written inside my subtree, any status, with read figures (staff)', query: noticeListQuery, response: noticeListResponse }),
  detail: defineRoute({ method: 'GET', path: '/api/v1/notices/:id', summary: 'One notice; opening a published one records my read (once)', params: idParams, response: noticeSchema }),
  create: defineRoute({ method: 'POST', path: '/api/v1/notices', summary: 'Write a notice as a draft for a region of my subtree', body: noticeInput, response: noticeSchema }),
  update: defineRoute({ method: 'PUT', path: '/api/v1/notices/:id', summary: 'Change a draft (a published notice only its pin)', params: idParams, body: noticeInput, response: noticeSchema }),
  move: defineRoute({ method: 'POST', path: '/api/v1/notices/:id/move', summary: 'Publish a draft or withdraw a published notice', params: idParams, body: noticeMoveRequest, response: noticeSchema }),
  messages: defineRoute({ method: 'GET', path: '/api/v1/messages', summary: 'My messages, newest first, with the unread count', query: messageListQuery, response: messageListResponse }),
  unread: defineRoute({ method: 'GET', path: '/api/v1/messages/unread', summary: 'The badge: my unread messages and unread notices', response: unreadCountSchema }),
  read: defineRoute({ method: 'POST', path: '/api/v1/messages/:id/read', summary: 'Mark one of my messages read', params: idParams, response: null }),
  readAll: defineRoute({
    method: 'POST',
    path: '/api/v1/messages/read-all',
    summary: 'Mark all my messages read (or those of one topic)',
    body: z.strictObject({ topic: z.enum(MESSAGE_TOPICS).optional() }),
    response: z.object({ count: z.number().int() }),
  }),
  preferences: defineRoute({ method: 'GET', path: '/api/v1/messages/preferences', summary: 'My per-topic message settings', response: messagePreferencesSchema }),
  savePreferences: defineRoute({ method: 'PUT', path: '/api/v1/messages/preferences', summary: 'Set in-app and outbound (SMS / WeChat) per topic', body: messagePreferencesRequest, response: messagePreferencesSchema }),
};
