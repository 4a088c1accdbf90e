// The service worker: keeps the app's shell in the browser so the session page still opens
// and runs when the connection drops. It keeps only what is nobody's: the static files and
// the session page's shell (which carries no name, no user id, no token and no data: the
// page asks the server who is logged in, and the session itself comes from the API). Every other page, and every /api/ answer, goes to the network and is never kept,
// so a phone that changes hands shows the next person nothing of the last one. Logging out
// empties the cache (the page asks, and the server's Clear-Site-Data says so too).
// Where the browser has Background Sync, it also sends the outbox the pages keep (a copy in
// IndexedDB), when the connection is back, even with no page of the app open.
// It shows the morning reminder the server pushes, and answers its two buttons ("Done
// today", "Later") by telling the server, without opening the app.
// The vendored pose model (static/vendor/, 17 MB, loaded only by the camera session) is kept
// the first time it is used and then served from here without asking again: it changes only
// with the app, and each such change renames CACHE, which empties the old one.
"use strict";
// v2: MediaPipe Tasks on the phone (the old model goes); v3: a session shell that names
// nobody (a shell kept before named its person and carried their token: it goes).
const CACHE = "stretchcoach-v3";
const VENDOR = "/static/vendor/";
const SHELL_PAGE = "/session";
const SHELL = [
  "/static/app.css",
  "/static/app.js",
  "/static/session.js",
  "/static/engine.js",
  "/static/journal.js",
  "/static/push.js",
  "/static/offline.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
  "/manifest.webmanifest",
];
// The page for anything else while offline: it tries again by itself (offline.js) and opens
// the page that was asked for as soon as the server answers.
const OFFLINE_SCRIPT = "<script src='/static/offline.js' defer></script>";
const OFFLINE =
  "<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' " +
  "content='width=device-width, initial-scale=1'><title>Offline · stretchcoach</title>" +
  "<link rel='stylesheet' href='/static/app.css'>" + OFFLINE_SCRIPT + "</head>" +
  "<body class='page-offline' id='offline-page'><main id='main'><h1>You are offline</h1>" +
  "<p>This page opens by itself as soon as the connection is back. A session you " +
  "started keeps running on its own page.</p>" +
  "<p><button type='button' class='button start' data-retry>Try again</button></p>" +
  "<p role='status' data-offline-status>Trying again every few seconds.</p></main></body></html>";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(async (cache) => {
        await cache.addAll(SHELL);
        await keepShell(cache);
      })
      .then(() => self.skipWaiting()),
  );
});

// The session page, so it opens offline; never a login page a redirect would put in its place.
async function keepShell(cache) {
  const page = await fetch(SHELL_PAGE, { redirect: "manual" }).catch(() => null);
  if (page && page.ok && page.type === "basic") await cache.put(SHELL_PAGE, page);
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// A page says "forget": someone logged out. Every cache goes, this one included.
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "forget") return;
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;

  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(
      caches.open(CACHE).then(async (cache) => {
        const hit = await cache.match(request, { ignoreSearch: true });
        if (hit && url.pathname.startsWith(VENDOR)) return hit;
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

  if (request.mode !== "navigate") return; // the API and everything else: network only

  if (url.pathname === SHELL_PAGE) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && !response.redirected) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL_PAGE, copy));
          }
          return response;
        })
        .catch(async () => (await keptCopy()) || offline()),
    );
    return;
  }
  event.respondWith(fetch(request).catch(() => offline()));
});

// -- Background Sync: send the outbox copy the pages keep in IndexedDB (app.js) -------------

self.addEventListener("sync", (event) => {
  if (event.tag === "sc-outbox") event.waitUntil(sendOutbox());
});

function outboxDb(use) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("sc-outbox", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("queues");
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const tx = db.transaction("queues", "readwrite");
      const store = tx.objectStore("queues");
      let result;
      Promise.resolve(use(store)).then((value) => {
        result = value;
      });
      tx.oncomplete = () => {
        db.close();
        resolve(result);
      };
      tx.onerror = tx.onabort = () => {
        db.close();
        reject(tx.error);
      };
    };
  });
}

const asked = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

// Only the outbox of whoever is logged in now goes, under their own token and naming them
// (X-Stretchcoach-User: the server answers 401 if someone else is logged in by then): on a
// shared phone one person's records never go out under another's login. A failure throws, so
// the browser tries the sync again later; the pages send it too whenever one is open. A
// record refused for good stays in the copy: the pages set it aside, show it and report it
// (app.js), which this worker cannot do without a page.
const RETRY = new Set([401, 403, 408, 425, 429]);

async function sendOutbox() {
  const me = await fetch("/api/me", { credentials: "same-origin" });
  if (me.status === 401) return; // nobody logged in: it waits for its owner
  if (!me.ok) throw new Error(`not now (${me.status})`);
  const user = (await me.json()).id;
  const queue = (await outboxDb((store) => asked(store.get(user)))) || [];
  if (!queue.length) return;
  const csrf = await fetch("/api/csrf", { credentials: "same-origin" });
  if (!csrf.ok) throw new Error(`no token (${csrf.status})`);
  const token = (await csrf.json()).csrf_token;
  const sent = [];
  try {
    for (const item of queue) {
      const response = await fetch(item.url, {
        method: item.method,
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-CSRF-Token": token,
          "X-Stretchcoach-User": user,
        },
        body: item.body === undefined ? undefined : JSON.stringify(item.body),
      });
      if (response.status >= 500 || RETRY.has(response.status)) {
        throw new Error(`not saved yet (${response.status})`);
      }
      if (response.ok) sent.push(item.key); // saved: it leaves the outbox
    }
  } finally {
    if (sent.length) {
      const gone = new Set(sent);
      await outboxDb(async (store) => {
        const now = (await asked(store.get(user))) || [];
        const left = now.filter((item) => !gone.has(item.key));
        if (left.length) store.put(left, user);
        else store.delete(user);
      });
      const pages = await self.clients.matchAll({ type: "window" });
      pages.forEach((page) => page.postMessage({ type: "outbox-sent", user, keys: sent }));
    }
  }
}

// -- Reminders: show what the server pushed; its buttons call the server -------------------

self.addEventListener("push", (event) => {
  let note = {};
  try {
    note = event.data ? event.data.json() : {};
  } catch (error) {
    note = {};
  }
  const title = note.title || "Your morning stretch";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: note.body || "",
      tag: note.tag || "stretchcoach",
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      data: { url: note.url || "/" },
      actions: (note.actions || []).slice(0, 2),
    }),
  );
});

const ANSWERS = { done: "/api/push/done-today", snooze: "/api/push/snooze" };

self.addEventListener("notificationclick", (event) => {
  const note = event.notification;
  note.close();
  const answer = ANSWERS[event.action];
  const url = (note.data && note.data.url) || "/";
  event.waitUntil(answer ? tellServer(answer).catch(() => openApp(url)) : openApp(url));
});

// A button's answer, with this browser's CSRF token as every write; when it cannot reach
// the server (offline, logged out) the app opens instead, so the tap is never lost silently.
async function tellServer(path) {
  const csrf = await fetch("/api/csrf", { credentials: "same-origin" });
  if (!csrf.ok) throw new Error(`no token (${csrf.status})`);
  const token = (await csrf.json()).csrf_token;
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
  });
  if (!response.ok) throw new Error(`not taken (${response.status})`);
}

async function openApp(url) {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = pages.find((page) => new URL(page.url).origin === self.location.origin);
  if (open) {
    await open.focus();
    if ("navigate" in open) await open.navigate(url).catch(() => {});
    return;
  }
  await self.clients.openWindow(url);
}

// The session page as it was kept, marked as a copy: offline.js says so on the page and
// reloads it when the connection is back (session.js offers no Begin while offline).
async function keptCopy() {
  const kept = await caches.match(SHELL_PAGE);
  if (!kept) return null;
  const html = (await kept.text()).replace("</head>", `${OFFLINE_SCRIPT}</head>`);
  const headers = new Headers(kept.headers);
  headers.delete("Content-Length");
  headers.set("Cache-Control", "no-store");
  return new Response(html, { status: 200, headers });
}

function offline() {
  return new Response(OFFLINE, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
