// Where the outbox lives on the phone. IndexedDB, because it keeps Blobs (the photos that could
// not be uploaded yet) and survives the browser being closed; localStorage holds strings only.
// When IndexedDB is missing (some in-app browsers, private modes) the records are kept in
// localStorage without their unsent photos, which are then kept in memory for this page load.

import type { ReportRequest } from '@nuanxin/shared';

/** A photo of a waiting report: its id once uploaded, else the compressed image itself. */
export interface OutboxPhoto {
  id: string | null;
  blob: Blob | null;
}

export type OutboxState = 'waiting' | 'sending' | 'sent' | 'failed';

export interface OutboxRecord {
  /** The Idempotency-Key, the same on every try: the server files the report once. */
  key: string;
  /** Only the person who made it sends it (another login on the same phone does not). */
  userId: string;
  createdAt: string;
  body: Required<Omit<ReportRequest, 'photoIds'>>;
  /** For the "my cases" list while the server has not seen it: 市容环境 · 暴露垃圾. */
  categoryName: string;
  photos: OutboxPhoto[];
  state: OutboxState;
  /** Why the server refused it (in the person's language), or the last transient problem. */
  error: string | null;
  attempts: number;
  caseId: string | null;
}

const DB_NAME = 'nx-h5-outbox';
const STORE = 'reports';
const FALLBACK_KEY = 'nx.h5.outbox';

let opening: Promise<IDBDatabase | null> | null = null;

function openDb(): Promise<IDBDatabase | null> {
  opening ??= new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve(null);
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB'));
  });
}

// --- the fallback: JSON in localStorage, unsent photos in memory ---
const memoryBlobs = new Map<string, Blob[]>();

function readFallback(): OutboxRecord[] {
  try {
    const records = JSON.parse(localStorage.getItem(FALLBACK_KEY) ?? '[]') as OutboxRecord[];
    return records.map((r) => {
      const blobs = [...(memoryBlobs.get(r.key) ?? [])];
      return { ...r, photos: r.photos.map((p) => (p.id ? { id: p.id, blob: null } : { id: null, blob: blobs.shift() ?? null })) };
    });
  } catch {
    return [];
  }
}

function writeFallback(records: OutboxRecord[]): void {
  for (const r of records) {
    memoryBlobs.set(
      r.key,
      r.photos.flatMap((p) => (p.blob ? [p.blob] : [])),
    );
  }
  const plain = records.map((r) => ({ ...r, photos: r.photos.map((p) => ({ id: p.id, blob: null })) }));
  localStorage.setItem(FALLBACK_KEY, JSON.stringify(plain));
}

/** Every record on this phone, oldest first. */
export async function loadRecords(): Promise<OutboxRecord[]> {
  const db = await openDb();
  const records = db ? await done(db.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<OutboxRecord[]>) : readFallback();
  return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export async function saveRecord(record: OutboxRecord): Promise<void> {
  const db = await openDb();
  if (db) {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(record);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('indexedDB'));
    });
    return;
  }
  writeFallback([...readFallback().filter((r) => r.key !== record.key), record]);
}

export async function deleteRecord(key: string): Promise<void> {
  const db = await openDb();
  if (db) {
    await done(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
    return;
  }
  memoryBlobs.delete(key);
  writeFallback(readFallback().filter((r) => r.key !== key));
}
