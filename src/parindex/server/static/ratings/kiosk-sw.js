// The kiosk's service worker: keeps the page and its files so the kiosk opens without network.
// Pages are fetched from the network first (fresh CSRF token, fresh code), the cache is the
// fallback; the ratings themselves are queued by the page (IndexedDB), never by this worker.
"use strict";

const CACHE = "parindex-kiosk-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  if (event.data && Array.isArray(event.data.cache)) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(event.data.cache)));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true }).then((hit) => hit || Response.error())),
  );
});
