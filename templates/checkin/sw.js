// The scanner's service worker for one event (reslog_events/checkin/views.py serves it from
// /events/<id>/checkin-sw.js). It keeps the scanner page and its files, so that a phone that
// lost the network before the doors open still opens the page; the event's list of invitees
// is kept by the page itself (IndexedDB). API calls are never answered from here: the page
// queues door actions itself when the network is gone.
const CACHE = {{ cache_name|tojson }};
const PAGE = {{ page|tojson }};
const ASSETS = {{ assets|tojson }};
const PAGE_TIMEOUT_MS = 4000;

async function keepPage(cache, request = PAGE) {
  const response = await fetch(request, request === PAGE ? { credentials: "same-origin", cache: "no-store" } : undefined);
  // A redirect (to the login page) or an error is not the scanner: not kept.
  if (response.ok && !response.redirected) await cache.put(PAGE, response.clone());
  return response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    await keepPage(cache).catch(() => null);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // Older versions of this event's cache (an earlier release) go.
    const prefix = CACHE.split("-").slice(0, 3).join("-") + "-";
    for (const name of await caches.keys()) {
      if (name.startsWith(prefix) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/** The page: from the network when it answers in time (fresh counts, fresh token), else kept. */
async function page(request) {
  const cache = await caches.open(CACHE);
  const fromNetwork = keepPage(cache, request);
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), PAGE_TIMEOUT_MS));
  try {
    const response = await Promise.race([fromNetwork, timeout]);
    if (response && response.ok) return response;
    if (response && !response.ok) {
      const kept = await cache.match(PAGE);
      return response.status >= 500 && kept ? kept : response;
    }
  } catch {
    /* offline */
  }
  const kept = await cache.match(PAGE);
  if (kept) return kept;
  return fetch(request);
}

/** A file of the page: kept, refreshed in the background. */
async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (kept) {
    fresh.catch(() => null);
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE && request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request));
  }
});
