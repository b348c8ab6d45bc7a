import { reactive } from 'vue';

/**
 * The badge on the 消息 tab: unread messages plus unread notices of the worker's region. Only the
 * figures live here, so the tab bar on every page carries no API schemas; `unread.ts` fetches them.
 */
export const unread = reactive({ messages: 0, notices: 0, total: 0 });

/** Counts one read at once, before the server confirms it. */
export function countRead(kind: 'messages' | 'notices', n = 1): void {
  unread[kind] = Math.max(0, unread[kind] - n);
  unread.total = unread.messages + unread.notices;
}
