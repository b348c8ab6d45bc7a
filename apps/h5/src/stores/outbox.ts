import { casesRoutes, mediaRoutes } from '@nuanxin/shared';
import { computed, reactive } from 'vue';
import { api, ApiError } from '../api/index.ts';
import { deleteRecord, loadRecords, saveRecord, type OutboxPhoto, type OutboxRecord, type OutboxState } from './outbox-db.ts';
import { session } from './session.ts';

// The reports outbox (DESIGN.md: "a report made in a basement with no signal is sent once when the
// phone is back online"). Every report goes through it, online or not: it is stored first, then
// sent with its own Idempotency-Key, the same key on every try, so however often the phone retries
// (a lost answer, a second tab, an app restart mid-send) the server files one case.
// Sent when: the report is made, the `online` event fires, the app starts, the page becomes
// visible again, and on a backoff timer. A 4xx is a refusal: shown, never retried.

export type { OutboxState };

/** What a page shows of a record: everything but the photo bytes. */
export interface OutboxEntry extends Omit<OutboxRecord, 'photos'> {
  photoCount: number;
}

/** Seconds to wait after the n-th failed try; the last value repeats. */
const BACKOFF_S = [5, 15, 30, 60, 120, 300];
/** A sent report stays in "my cases" as 已提交 this long; by then the server list has it. */
const KEEP_SENT_MS = 24 * 3600_000;

const state = reactive<{ records: OutboxEntry[] }>({ records: [] });

/** The current person's outbox, oldest first. */
export const outboxEntries = computed(() => state.records.filter((r) => r.userId === session.user?.id));
/** Reports still to send (waiting, sending): the badge on the home tile. */
export const unsentCount = computed(() => outboxEntries.value.filter((r) => r.state === 'waiting' || r.state === 'sending').length);

function toEntry(record: OutboxRecord): OutboxEntry {
  const { photos, ...rest } = record;
  return { ...rest, photoCount: photos.length };
}

async function persist(record: OutboxRecord): Promise<void> {
  await saveRecord(record);
  const entry = toEntry(record);
  const index = state.records.findIndex((r) => r.key === record.key);
  if (index >= 0) state.records.splice(index, 1, entry);
  else state.records.push(entry);
}

/** A v4 UUID; crypto.randomUUID() exists only on https or localhost, not on http to a LAN address. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No answer, or an answer that says "try again later": the report stays and is sent again. */
function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  // 401: the session ended; the report waits for the next login of the same person.
  return err.code === 'NETWORK' || err.status >= 500 || err.status === 401 || err.status === 408 || err.status === 429;
}

/** One try at one report: photos not yet uploaded first, each id kept as soon as it is known. */
async function sendOne(record: OutboxRecord): Promise<'sent' | 'failed' | 'retry'> {
  record.state = 'sending';
  await persist(record);
  try {
    for (const photo of record.photos) {
      if (photo.id || !photo.blob) continue;
      const uploaded = await api(mediaRoutes.upload, {}, { file: photo.blob });
      photo.id = uploaded.id;
      photo.blob = null;
      await persist(record);
    }
    const photoIds = record.photos.flatMap((p) => (p.id ? [p.id] : []));
    const created = await api(casesRoutes.report, { body: { ...record.body, photoIds } }, { idempotencyKey: record.key });
    Object.assign(record, { state: 'sent', caseId: created.id, error: null });
    await persist(record);
    return 'sent';
  } catch (err) {
    const transient = isTransient(err);
    record.attempts += 1;
    record.state = transient ? 'waiting' : 'failed';
    // A network error has no words of its own; the page says "waiting for the network".
    record.error = err instanceof ApiError && err.code !== 'NETWORK' ? err.message : null;
    await persist(record);
    return transient ? 'retry' : 'failed';
  }
}

let timer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;

function scheduleRetry() {
  if (timer) clearTimeout(timer);
  const delay = BACKOFF_S[Math.min(failures, BACKOFF_S.length - 1)]! * 1000;
  failures += 1;
  timer = setTimeout(() => void flushOutbox(), delay);
}

async function run(): Promise<void> {
  const userId = session.user?.id;
  if (!userId) return;
  const records = await loadRecords();
  let retry = false;
  for (const record of records) {
    if (record.userId !== userId) continue;
    // "sending" found here means the app died mid-send: the same key makes the retry safe.
    if (record.state !== 'waiting' && record.state !== 'sending') continue;
    if (!navigator.onLine) {
      retry = true;
      break;
    }
    const result = await sendOne(record);
    // No network for this one means none for the next either: wait for the timer or `online`.
    if (result === 'retry') {
      retry = true;
      break;
    }
  }
  if (retry) scheduleRetry();
  else failures = 0;
}

let chain: Promise<void> = Promise.resolve();

/** Sends every waiting report of the current person, one after another. Never rejects. */
export function flushOutbox(): Promise<void> {
  // Runs are queued, never overlapping: two at once would both send the same record.
  chain = chain.then(run).catch(() => scheduleRetry());
  return chain;
}

export interface NewReport {
  body: OutboxRecord['body'];
  categoryName: string;
  photos: OutboxPhoto[];
}

/**
 * Keeps a report on the phone and tries to send it at once. Resolves with its record after that
 * first try: `sent` (with caseId), `waiting` (no network: it goes later by itself) or `failed`.
 */
export async function submitReport(report: NewReport): Promise<OutboxEntry> {
  const userId = session.user?.id;
  if (!userId) throw new Error('not logged in');
  const record: OutboxRecord = {
    key: newKey(),
    userId,
    createdAt: new Date().toISOString(),
    body: report.body,
    categoryName: report.categoryName,
    photos: report.photos.map((p) => ({ id: p.id, blob: p.id ? null : p.blob })),
    state: 'waiting',
    error: null,
    attempts: 0,
    caseId: null,
  };
  await persist(record);
  await flushOutbox();
  return state.records.find((r) => r.key === record.key)!;
}

/** Drops a report from the phone (a refused one the person has read, or one they gave up on). */
export async function removeFromOutbox(key: string): Promise<void> {
  await deleteRecord(key);
  state.records = state.records.filter((r) => r.key !== key);
}

let started = false;

/** Loads the outbox and sends what waits; listens for the network coming back. Call once. */
export async function startOutbox(): Promise<void> {
  if (started) return;
  started = true;
  window.addEventListener('online', () => {
    failures = 0;
    void flushOutbox();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void flushOutbox();
  });
  try {
    const records = await loadRecords();
    const now = Date.now();
    for (const record of records) {
      if (record.state === 'sent' && now - Date.parse(record.createdAt) > KEEP_SENT_MS) await deleteRecord(record.key);
    }
    state.records = (await loadRecords()).map(toEntry);
  } catch {
    // No storage at all: reports are then sent at once or kept in memory for this page load.
  }
  await flushOutbox();
}
