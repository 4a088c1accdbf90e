// Every page: register the service worker so the session keeps working offline, and make
// sure a shared phone keeps nothing of one person for the next.
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}

// Forget what this browser keeps: every cache, and the given user's outbox and session
// (plus the keys from before outboxes had a user). Used when someone logs out.
async function forgetHere(user) {
  for (const key of ["sc-outbox", "sc-session", `sc-outbox:${user}`, `sc-session:${user}`]) {
    localStorage.removeItem(key);
  }
  localStorage.removeItem("sc-user");
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
      `${waiting} hold${waiting === 1 ? " is" : "s are"} not sent yet (this phone is offline ` +
      "or the server did not answer). Leaving now loses them. Leave anyway?";
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
