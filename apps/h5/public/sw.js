/* 暖新 H5 service worker: lets the app shell open without signal (basements, lifts, tunnels).
 *
 * - install:     precache index.html and every built file (the list is written in by the build)
 * - navigations: network first, so a deploy shows up at once; cached index.html when offline
 * - /assets/*:   cache first; the file names carry a content hash, so a cached copy is never stale
 * - /api/ and every other server path: not touched, never cached (personal data, live state)
 */

// Replaced at build time by vite.config.ts (nx-precache-sw); keep it on one line.
const BUILD = { version: 'dev', shell: '/index.html', assets: [] };

const CACHE = `nx-h5-${BUILD.version}`;
const NAVIGATION_TIMEOUT_MS = 5000;
// Server-owned paths under the same origin; the admin console is a separate app.
const BYPASS = ['/api/', '/admin', '/open311/', '/healthz', '/metrics', '/openapi.json', '/uploads/', '/files/'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([BUILD.shell, ...BUILD.assets]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('nx-h5-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (BYPASS.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === 'navigate') {
    event.respondWith(networkFirstShell(request));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (BUILD.assets.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
  // Anything else goes to the network as if there were no worker.
});

/** Every SPA route is index.html; keep the newest copy for offline starts. */
async function networkFirstShell(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    const type = response.headers.get('content-type') || '';
    if (response.ok && type.includes('text/html')) await cache.put(BUILD.shell, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(BUILD.shell);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** A weak signal can keep a request hanging for a minute; fall back to the cache sooner. */
function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
