import { onBeforeUnmount, onMounted, ref } from 'vue';
import { caseChangeSchema, type CaseChange } from '@nuanxin/shared';
import { getToken } from '../../api/index.ts';
import { getLang } from '../../locales/index.ts';

export type StreamState = 'connecting' | 'live' | 'offline';

const STREAM_PATH = '/api/v1/cases/stream';
/** The server sends a heartbeat every 25 s; this long without a byte means the line is dead. */
const SILENCE_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The live workbench: reads `GET /api/v1/cases/stream` with fetch, because EventSource cannot send
 * the Authorization header. Each `event: case` goes to `onChange`; after a break it reconnects
 * with a growing delay and calls `onResync` once live again (changes in the gap were missed).
 */
export function useCaseStream(onChange: (change: CaseChange) => void, onResync: () => void) {
  const state = ref<StreamState>('connecting');
  let controller: AbortController | null = null;
  let stopped = false;
  let attempt = 0;
  let everLive = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let silenceTimer: ReturnType<typeof setTimeout> | null = null;

  function feelAlive() {
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => controller?.abort(), SILENCE_MS);
  }

  function dispatch(block: string) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event !== 'case' || !data.length) return;
    try {
      const parsed = caseChangeSchema.safeParse(JSON.parse(data.join('\n')));
      if (parsed.success) onChange(parsed.data);
    } catch {
      // A malformed line is skipped; the next change or a resync brings the list up to date.
    }
  }

  async function connect() {
    if (stopped) return;
    controller = new AbortController();
    state.value = 'connecting';
    let refused = false;
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream', 'Accept-Language': getLang() };
      const token = getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(STREAM_PATH, { headers, signal: controller.signal, cache: 'no-store' });
      // Not allowed (logged out, wrong role): asking again every few seconds would not change that.
      refused = res.status === 401 || res.status === 403;
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
      state.value = 'live';
      attempt = 0;
      if (everLive) onResync();
      everLive = true;
      feelAlive();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        feelAlive();
        buffer += value;
        const blocks = buffer.split(/\r?\n\r?\n/);
        buffer = blocks.pop() ?? '';
        blocks.forEach(dispatch);
      }
    } catch {
      // Network gone, server restarted, or the silence watchdog aborted: reconnect below.
    }
    if (silenceTimer) clearTimeout(silenceTimer);
    if (stopped) return;
    state.value = 'offline';
    if (refused) return;
    // 1 s, 2 s, 4 s … 30 s, with some jitter so many consoles do not all come back at once.
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    retryTimer = setTimeout(() => void connect(), delay);
  }

  // Back online: try at once instead of waiting out the backoff.
  function reconnectNow() {
    if (state.value !== 'offline' || stopped) return;
    if (retryTimer) clearTimeout(retryTimer);
    attempt = 0;
    void connect();
  }

  onMounted(() => {
    window.addEventListener('online', reconnectNow);
    void connect();
  });
  onBeforeUnmount(() => {
    stopped = true;
    window.removeEventListener('online', reconnectNow);
    if (retryTimer) clearTimeout(retryTimer);
    if (silenceTimer) clearTimeout(silenceTimer);
    controller?.abort();
  });

  return { state };
}
