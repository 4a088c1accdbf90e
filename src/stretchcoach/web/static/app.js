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
// the finish), in order, kept in localStorage under its person until the server has it. Each
// item carries an id made on the phone, so sending it again never saves it twice. Any page
// of the app sends it: when the page opens, when the connection comes back, every few
// seconds while something waits. `scOutbox.onChange(fn)` tells a page how many wait.
//
// Whose it is comes from the server, never from a cached page: a page drawn live names its
// person (<meta name="sc-user">); the session page, which the service worker keeps for
// offline use, names nobody and asks /api/me (and /api/csrf for its token). Offline it takes
// the last person this browser saw logged in ("sc-user") and asks the server again before
// it sends anything. Every record goes out with X-Stretchcoach-User naming its person, and
// the server answers 401 if someone else is logged in: one person's records never go out
// under another's login.
//
// Nothing is dropped. A record the server refuses for good (404, 409, 422: the session is
// not there, a different record has this id, a value is not allowed) leaves the outbox for
// the person's set-aside list ("sc-aside:<user>"), is shown on every page ("1 hold could not
// be saved: <the server's reason>") until dismissed, and is reported to the server's
// set-aside log (/api/set-aside). When a login ends without the Log out button (the server
// answers 401: it expired, the password was reset, everyone was logged out; or someone else
// logged in here since), that person's session state, service-worker copy and caches go,
// and what they had not sent is kept aside for them alone: it is sent, under them, the next
// time they log in on this phone. Nobody else's pages ever read it.
const scOutbox = (() => {
  const SHELL = document.querySelector('meta[name="sc-shell"]') !== null;
  const userTag = document.querySelector('meta[name="sc-user"]');
  const RETRY = new Set([401, 403, 408, 425, 429]); // the 4xx answers that are tried again
  const ENDED = "your login on this phone ended before it could be sent";
  let user = userTag ? userTag.content : ""; // whose records this page keeps and sends
  let live = Boolean(user); // the server said so on this load (not a guess made offline)
  let gone = false; // this person's login here has ended: new records are kept aside for them
  const listeners = [];
  let state = "idle"; // idle | offline | retry | ended: how the last try went
  let flushing = false;

  const outboxKey = (who) => `sc-outbox:${who}`;
  const asideKey = (who) => `sc-aside:${who}`;
  const read = (key) => {
    try {
      const found = JSON.parse(localStorage.getItem(key));
      return Array.isArray(found) ? found : [];
    } catch (error) {
      return [];
    }
  };
  const write = (key, list) => {
    if (list.length) localStorage.setItem(key, JSON.stringify(list));
    else localStorage.removeItem(key);
  };
  const load = () => (user && !gone ? read(outboxKey(user)) : []);
  const count = () => load().length;
  const store = (queue) => {
    write(outboxKey(user), queue);
    mirror(user, queue);
  };
  const tell = () => {
    const waiting = count();
    listeners.forEach((fn) => fn(waiting, state));
    showAside();
  };
  const csrf = () => {
    const tag = document.querySelector('meta[name="csrf-token"]');
    return tag ? tag.content : "";
  };

  function send(method, url, body) {
    const headers = { "Content-Type": "application/json", "X-CSRF-Token": csrf() };
    if (user) headers["X-Stretchcoach-User"] = user;
    return fetch(url, {
      method,
      credentials: "same-origin",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function renewCsrf() {
    try {
      const response = await fetch("/api/csrf", { credentials: "same-origin", cache: "no-store" });
      const tag = document.querySelector('meta[name="csrf-token"]');
      if (response.ok && tag) tag.content = (await response.json()).csrf_token;
    } catch (error) {
      /* offline again: the next try asks once more */
    }
  }

  // Ask the server who is logged in: the id, null for nobody (401), undefined when it cannot
  // say (offline, or the server is in trouble).
  async function whoIsLoggedIn() {
    let response;
    try {
      response = await fetch("/api/me", { credentials: "same-origin", cache: "no-store" });
    } catch (error) {
      return undefined;
    }
    if (response.status === 401) return null;
    if (!response.ok) return undefined;
    try {
      return (await response.json()).id;
    } catch (error) {
      return undefined;
    }
  }

  // -- the set-aside list: refused for good (shown, reported), or kept for a later login ----

  function keepAside(who, items, status, reason) {
    const kept = read(asideKey(who));
    const have = new Set(kept.map((item) => item.key));
    const at = new Date().toISOString();
    for (const item of items) {
      if (have.has(item.key)) continue;
      kept.push({ ...item, status, reason, at, reported: false, read: false });
    }
    write(asideKey(who), kept);
  }

  // A person's login on this browser is over, without the Log out button: their session
  // state, the service worker's copy of their outbox and the kept pages go; what they had not
  // sent waits aside, for them, until they log in here again.
  function ended(who) {
    keepAside(who, read(outboxKey(who)), 401, ENDED);
    localStorage.removeItem(outboxKey(who));
    localStorage.removeItem(`sc-session:${who}`);
    if (localStorage.getItem("sc-user") === who) localStorage.removeItem("sc-user");
    mirror(who, []);
    if ("caches" in window) {
      caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key))));
    }
    if (who === user) {
      gone = true;
      state = "ended";
      tell();
    }
  }

  // The server says this page is `who`'s: whoever this browser had before them is over, and
  // what was kept aside for `who` while their login had ended goes back in their outbox.
  function settle(who) {
    const last = localStorage.getItem("sc-user");
    if (last && last !== who) ended(last);
    localStorage.setItem("sc-user", who);
    const kept = read(asideKey(who));
    const back = kept.filter((item) => item.status === 401);
    if (!back.length) return;
    write(asideKey(who), kept.filter((item) => item.status !== 401));
    const queue = read(outboxKey(who));
    const have = new Set(queue.map((item) => item.key));
    const plain = ({ key, method, url, body }) => ({ key, method, url, body });
    store(queue.concat(back.filter((item) => !have.has(item.key)).map(plain)));
  }

  async function identify() {
    if (live) {
      settle(user);
      return;
    }
    const last = localStorage.getItem("sc-user") || "";
    if (!SHELL) {
      // A page for nobody (the login page): was the last person's login ended by the server?
      if (last && (await whoIsLoggedIn()) === null) ended(last);
      return;
    }
    const who = await whoIsLoggedIn();
    if (who === null) {
      if (last) ended(last);
      return;
    }
    if (who === undefined) {
      user = last; // offline: checked with the server again before anything is sent
      return;
    }
    user = who;
    live = true;
    await renewCsrf();
    settle(user);
  }

  // Before sending from a page that guessed its person offline, ask who is logged in now.
  async function confirmed() {
    if (live) return true;
    const who = await whoIsLoggedIn();
    if (who === undefined) {
      state = "offline";
      return false;
    }
    if (who !== user) {
      ended(user);
      return false;
    }
    live = true;
    await renewCsrf();
    settle(user);
    return true;
  }

  async function flush() {
    if (flushing || !user || gone) return;
    flushing = true;
    try {
      if (!count() && !unreported().length) return;
      if (!(await confirmed())) return;
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
        if (response.status === 401) {
          ended(user);
          return;
        }
        if (response.status >= 500 || RETRY.has(response.status)) {
          state = "retry";
          if (response.status === 403) await renewCsrf(); // a page kept offline has an old token
          return;
        }
        if (!response.ok) {
          const found = await response.json().catch(() => ({}));
          const reason =
            (found.error && found.error.message) || `the server answered ${response.status}`;
          keepAside(user, [item], response.status, reason);
        }
        store(load().filter((o) => o.key !== item.key));
        tell();
      }
      state = "idle";
      await report();
    } finally {
      flushing = false;
      tell();
    }
  }

  const unreported = () =>
    user && !gone ? read(asideKey(user)).filter((i) => i.status !== 401 && !i.reported) : [];

  // Each refused record goes to the server's set-aside log once; what the server will not
  // take there either stays on this phone, shown, with its own reason.
  async function report() {
    for (const item of unreported()) {
      if (item.unreportable) continue;
      let response;
      try {
        response = await send("PUT", `/api/set-aside/${encodeURIComponent(item.key)}`, {
          method: item.method,
          path: item.url,
          body: item.body === undefined ? null : item.body,
          status: item.status,
          reason: item.reason,
        });
      } catch (error) {
        return; // offline: reported next time
      }
      if (response.status === 401) {
        ended(user);
        return;
      }
      if (response.status >= 500 || RETRY.has(response.status)) return;
      const kept = read(asideKey(user));
      const mine = kept.find((other) => other.key === item.key);
      if (!mine) continue;
      if (response.ok) mine.reported = true;
      else mine.unreportable = true;
      write(asideKey(user), kept.filter((i) => !(i.reported && i.read)));
    }
  }

  // -- what the person sees: the records set aside, until they dismiss them -----------------

  const WHAT = [
    [/\/holds\/[^/]+\/felt$/, "answer about a hold", "answers about holds"],
    [/\/holds\/[^/]+\/form$/, "camera reading", "camera readings"],
    [/\/holds\/[^/]+$/, "hold", "holds"],
    [/\/journal\//, "pain rating", "pain ratings"],
    [/\/finish$/, "session end", "session ends"],
  ];
  const what = (url, n) => {
    const found = WHAT.find(([pattern]) => pattern.test(url));
    if (!found) return n === 1 ? "record" : "records";
    return n === 1 ? found[1] : found[2];
  };

  function showAside() {
    const main = document.getElementById("main");
    if (!main) return;
    let box = document.getElementById("aside-note");
    const shown = user && !gone ? read(asideKey(user)).filter((i) => i.status !== 401 && !i.read) : [];
    if (!shown.length && !gone) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = document.createElement("section");
      box.id = "aside-note";
      box.className = "notice aside-note";
      box.setAttribute("role", "status");
      box.setAttribute("aria-label", "Not saved");
      main.prepend(box);
    }
    box.replaceChildren();
    if (gone) {
      const line = document.createElement("p");
      const held = read(asideKey(user)).filter((i) => i.status === 401).length;
      line.textContent = held
        ? `You have been logged out on this phone. ${held} record${held === 1 ? " is" : "s are"} ` +
          "not sent yet: kept here, and sent when you log in again."
        : "You have been logged out on this phone.";
      const link = document.createElement("a");
      link.href = `/login?next=${encodeURIComponent(location.pathname)}`;
      link.className = "button secondary wide";
      link.textContent = "Log in";
      box.append(line, link);
      return;
    }
    const groups = new Map();
    for (const item of shown) {
      const id = `${what(item.url, 1)}\u0000${item.reason}`;
      if (!groups.has(id)) groups.set(id, []);
      groups.get(id).push(item);
    }
    const list = document.createElement("ul");
    for (const items of groups.values()) {
      const n = items.length;
      const line = document.createElement("li");
      line.textContent = `${n} ${what(items[0].url, n)} could not be saved: ${items[0].reason}`;
      list.append(line);
    }
    const sent = shown.every((item) => item.reported);
    const where = document.createElement("p");
    where.className = "small";
    where.textContent = sent
      ? "Kept aside on the server, not lost: your History page lists it."
      : "Kept aside on this phone, and sent to the server when it can be.";
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button secondary";
    dismiss.textContent = "Dismiss";
    dismiss.addEventListener("click", () => {
      const keys = new Set(shown.map((item) => item.key));
      const kept = read(asideKey(user)).map((item) =>
        keys.has(item.key) ? { ...item, read: true } : item,
      );
      write(asideKey(user), kept.filter((i) => !(i.read && (i.reported || i.unreportable))));
      showAside();
    });
    box.append(list, where, dismiss);
  }

  function enqueue(item) {
    if (!user) return;
    if (gone) {
      keepAside(user, [item], 401, ENDED); // kept for this person's next login here
      tell();
      return;
    }
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
  function mirror(who, queue) {
    if (!who || !window.indexedDB) return;
    scOutboxDb((db) => {
      const tx = db.transaction("queues", "readwrite");
      if (queue.length) tx.objectStore("queues").put(queue, who);
      else tx.objectStore("queues").delete(who);
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
      write(outboxKey(user), load().filter((o) => !sent.has(o.key)));
      state = "idle";
      tell();
    });
  }

  function onChange(fn) {
    listeners.push(fn);
    fn(count(), state);
  }

  const ready = identify().then(() => {
    if (!user) return;
    window.addEventListener("online", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") flush();
    });
    setInterval(() => {
      if (count() || unreported().length) flush();
    }, 4000);
    if (count()) mirror(user, load()); // kept before this page had a copy for the service worker
    tell();
    flush();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showAside);
  }
  return {
    enqueue,
    flush,
    count,
    onChange,
    send,
    ready,
    who: () => (gone ? "" : user),
    waiting: () => count() + unreported().length,
    asideCount: () =>
      user && !gone ? read(asideKey(user)).filter((i) => i.status !== 401 && !i.read).length : 0,
  };
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

// Forget what this browser keeps: every cache, and the given user's outbox, set-aside list
// and session (plus the keys from before outboxes had a user). Used when someone logs out.
async function forgetHere(user) {
  const keys = ["sc-outbox", "sc-session", `sc-outbox:${user}`, `sc-session:${user}`];
  for (const key of keys.concat([`sc-aside:${user}`])) {
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
    const names = await caches.keys();
    await Promise.all(names.map((name) => caches.delete(name)));
  }
}

(() => {
  const meta = document.querySelector('meta[name="sc-user"]');
  const user = meta ? meta.content : "";
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches('form[action="/logout"], form[action="/account/delete"]')) return;
    const waiting = scOutbox.waiting();
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
