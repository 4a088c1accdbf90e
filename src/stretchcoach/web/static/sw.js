// The service worker: keeps the app's shell in the browser so the session page still opens
// and runs when the connection drops. Pages: network first, the cached copy when offline.
// Static files: the cached copy, refreshed in the background. /api/ is never cached: the
// session page keeps unsent holds in its own outbox and sends them when it is back online.
"use strict";
const CACHE = "stretchcoach-v1";
const SHELL = [
  "/static/app.css",
  "/static/app.js",
  "/static/session.js",
  "/static/journal.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
  "/manifest.webmanifest",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(async (cache) => {
        await cache.addAll(SHELL);
        // The session page too, so it opens offline from the start; but never a login page
        // that a redirect would put in its place.
        const page = await fetch("/session", { redirect: "manual" }).catch(() => null);
        if (page && page.ok && page.type === "basic") await cache.put("/session", page);
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/calendar/")) return;

  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(request, { ignoreSearch: true });
        const fresh = fetch(request)
          .then((response) => {
            if (response.ok) cache.put(url.pathname, response.clone());
            return response;
          })
          .catch(() => hit);
        return hit || fresh;
      }),
    );
    return;
  }

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(async () => {
          const cache = await caches.open(CACHE);
          return (
            (await cache.match(url.pathname)) ||
            (await cache.match("/session")) ||
            new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } })
          );
        }),
    );
  }
});
