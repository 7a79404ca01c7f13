// The service worker (served at /sw.js by the collector blueprint, which puts BUILD and
// PRECACHE above this line). It keeps the app shell, form pages and catalogs in a cache
// named after the build; a new build installs beside the old one and waits until the page
// says "update", so a collector never loses a screen half filled. It never touches
// IndexedDB: the outbox is the page's, and survives every version.
/* global BUILD, PRECACHE */
const CACHE = `fieldapp-${self.BUILD}`;
const PATHS = new Set(self.PRECACHE);

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(
    self.PRECACHE.map((url) => new Request(url, { cache: 'reload', credentials: 'omit' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('fieldapp-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Every screen of the app is the one shell page (routes live in the hash).
  if (request.mode === 'navigate' && url.pathname.startsWith('/app/')) {
    event.respondWith(fromCache('/app/', request));
  } else if (PATHS.has(url.pathname) && !url.search) {
    event.respondWith(fromCache(url.pathname, request));
  }
  // Anything else (the API, supervisor pages) goes to the network untouched.
});

async function fromCache(path, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path);
  return hit || fetch(request);
}
