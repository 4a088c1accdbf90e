// Every page: register the service worker so the session keeps working offline, send what
// the phone kept while it was offline (the outbox), and make sure a shared phone keeps
// nothing of one person for the next.
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

// The outbox: what the session page recorded (holds, how they felt, pain before and after,
// the finish), in order, kept in localStorage under the user until the server has it. Each
// item carries an id made on the phone, so sending it again never saves it twice. Any page
// of the app sends it: when the page opens, when the connection comes back, every few
// seconds while something waits. `scOutbox.onChange(fn)` tells a page how many wait.
const scOutbox = (() => {
  const meta = document.querySelector('meta[name="sc-user"]');
  const user = meta ? meta.content : "";
  const KEY = `sc-outbox:${user}`;
  const listeners = [];
  let state = "idle"; // idle | offline | retry: how the last try went
  let flushing = false;

  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || [];
    } catch (error) {
      return [];
    }
  };
  const count = () => load().length;
  const store = (queue) => {
    localStorage.setItem(KEY, JSON.stringify(queue));
    mirror(queue);
  };
  const tell = () => {
    const waiting = count();
    listeners.forEach((fn) => fn(waiting, state));
  };
  const csrf = () => {
    const tag = document.querySelector('meta[name="csrf-token"]');
    return tag ? tag.content : "";
  };

  function send(method, url, body) {
    return fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function renewCsrf() {
    try {
      const response = await fetch("/api/csrf", { credentials: "same-origin" });
      const tag = document.querySelector('meta[name="csrf-token"]');
      if (response.ok && tag) tag.content = (await response.json()).csrf_token;
    } catch (error) {
      /* offline again: the next try asks once more */
    }
  }

  async function flush() {
    if (flushing || !user) return;
    flushing = true;
    try {
      for (;;) {
        const queue = load();
        if (!queue.length) break;
        const item = queue[0];
        let response;
        try {
          response = await send(item.method, item.url, item.body);
        } catch (error) {
          state = "offline";
          askSync();
          return;
        }
        if (response.status >= 500 || response.status === 401 || response.status === 403) {
          state = "retry";
          if (response.status === 403) await renewCsrf(); // a page kept offline has an old token
          return;
        }
        // Saved (2xx), or refused for good (other 4xx): either way it leaves the outbox.
        store(load().filter((o) => o.key !== item.key));
        tell();
      }
      state = "idle";
    } finally {
      flushing = false;
      tell();
    }
  }

  function enqueue(item) {
    const queue = load().filter((other) => other.key !== item.key);
    queue.push(item);
    store(queue);
    tell();
    flush();
  }

  // Background Sync, where the browser has it: a copy of the outbox in IndexedDB (the service
  // worker cannot read localStorage), and a sync the browser fires when the connection is
  // back, even with every page of the app closed. The service worker sends the copy only
  // under the login it belongs to, then tells the pages which items went. Sending an item
  // twice changes nothing (each has its own id), so the two copies never need a lock.
  function mirror(queue) {
    if (!user || !window.indexedDB) return;
    scOutboxDb((db) => {
      const tx = db.transaction("queues", "readwrite");
      if (queue.length) tx.objectStore("queues").put(queue, user);
      else tx.objectStore("queues").delete(user);
      return tx;
    });
  }

  function askSync() {
    if (!user || !("serviceWorker" in navigator) || !window.SyncManager) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync.register("sc-outbox"))
      .catch(() => {}); // not allowed here: the pages send it when they can
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (!event.data || event.data.type !== "outbox-sent" || event.data.user !== user) return;
      const sent = new Set(event.data.keys);
      localStorage.setItem(KEY, JSON.stringify(load().filter((o) => !sent.has(o.key))));
      state = "idle";
      tell();
    });
  }

  function onChange(fn) {
    listeners.push(fn);
    fn(count(), state);
  }

  if (user) {
    window.addEventListener("online", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush();
    });
    setInterval(() => {
      if (count()) flush();
    }, 4000);
    if (count()) mirror(load()); // kept before this page had a copy for the service worker
    flush();
  }
  return { enqueue, flush, count, onChange, send, user };
})();

// The outbox copy's database (see mirror above): `use(db)` runs once it is open and returns
// its transaction; the promise settles when that is done, or at once without IndexedDB.
function scOutboxDb(use) {
  return new Promise((resolve) => {
    try {
      const opening = indexedDB.open("sc-outbox", 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore("queues");
      opening.onerror = () => resolve();
      opening.onsuccess = () => {
        const tx = use(opening.result);
        tx.oncomplete = tx.onerror = tx.onabort = () => {
          opening.result.close();
          resolve();
        };
      };
    } catch (error) {
      resolve(); // no IndexedDB (private mode): the pages alone send the outbox
    }
  });
}

// Forget what this browser keeps: every cache, and the given user's outbox and session
// (plus the keys from before outboxes had a user). Used when someone logs out.
async function forgetHere(user) {
  for (const key of ["sc-outbox", "sc-session", `sc-outbox:${user}`, `sc-session:${user}`]) {
    localStorage.removeItem(key);
  }
  localStorage.removeItem("sc-user");
  if (window.indexedDB) {
    await scOutboxDb((db) => {
      const tx = db.transaction("queues", "readwrite");
      tx.objectStore("queues").delete(user);
      return tx;
    });
  }
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage({ type: "forget" });
  }
  if ("caches" in window) {
    const keys = await caches.keys();
    await Promise.all(keys.map((key) => caches.delete(key)));
  }
}

(() => {
  const meta = document.querySelector('meta[name="sc-user"]');
  const user = meta ? meta.content : "";
  // Someone else logged in on this browser: the shell kept for the last person goes.
  if (user) {
    const last = localStorage.getItem("sc-user");
    if (last !== null && last !== user && "caches" in window) {
      caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key))));
    }
    localStorage.setItem("sc-user", user);
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches('form[action="/logout"], form[action="/account/delete"]')) return;
    let waiting = 0;
    try {
      waiting = (JSON.parse(localStorage.getItem(`sc-outbox:${user}`)) || []).length;
    } catch (error) {
      waiting = 0;
    }
    const question =
      `${waiting} thing${waiting === 1 ? "" : "s"} from your sessions ${waiting === 1 ? "is" : "are"} ` +
      "not sent yet (this phone is offline or the server did not answer). Leaving now loses " +
      `${waiting === 1 ? "it" : "them"}. Leave anyway?`;
    if (waiting && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    forgetHere(user)
      .catch(() => {})
      .finally(() => form.submit());
  });
})();

// The browser's time zone, for the server to start a new user's settings in (sc_tz cookie).
try {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && /^[A-Za-z0-9_+\-/]+$/.test(zone)) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `sc_tz=${zone}; path=/; max-age=31536000; SameSite=Lax${secure}`;
  }
} catch (error) {
  /* no Intl: the server's zone stays the default */
}

// Settings: offer the device's own time zone when it differs from the saved one.
document.addEventListener("DOMContentLoaded", () => {
  const field = document.getElementById("time_zone");
  const offer = document.getElementById("tz-here");
  if (!field || !offer || !window.Intl) return;
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!here || here === field.value) return;
  const button = offer.querySelector("button");
  button.textContent = `Use ${here}`;
  offer.hidden = false;
  button.addEventListener("click", () => {
    field.value = here;
    offer.hidden = true;
    field.focus();
  });
});
