// Reminders by notification on this phone: turn them on (the browser asks permission, then
// subscribes with the server's key, and the server keeps the subscription) or off, from
// Settings or from the gentle offer on the done screen after a session. The time is the one
// reminder time in Settings ("Remind me at"); the calendar feed uses the same one.
"use strict";
const scPush = (() => {
  const csrf = () => {
    const tag = document.querySelector('meta[name="csrf-token"]');
    return tag ? tag.content : "";
  };
  const call = (method, url, body) =>
    fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const supported = () =>
    "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  function keyBytes(text) {
    const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function current() {
    if (!supported()) return null;
    const registration = await navigator.serviceWorker.ready;
    return registration.pushManager.getSubscription();
  }

  // "on", "off", "blocked" or "unsupported": what this phone is set to now.
  async function state() {
    if (!supported()) return "unsupported";
    if (Notification.permission === "denied") return "blocked";
    const mine = await current().catch(() => null);
    if (!mine) return "off";
    const known = await fetch("/api/push/key", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .catch(() => null);
    return known && known.subscriptions.includes(mine.endpoint) ? "on" : "off";
  }

  async function saveTime(at) {
    const got = await fetch("/api/settings", { credentials: "same-origin" });
    if (!got.ok) throw new Error("settings");
    const settings = await got.json();
    if (settings.reminder_at === at) return;
    delete settings.calendar_url;
    settings.reminder_at = at;
    const put = await call("PUT", "/api/settings", settings);
    if (!put.ok) throw new Error((await put.json()).error.message);
  }

  // Ask, subscribe, and tell the server; a sentence for the person when it cannot be done.
  async function turnOn(at) {
    if (!supported()) throw new Error(UNSUPPORTED);
    const allowed = await Notification.requestPermission();
    if (allowed !== "granted") throw new Error(BLOCKED);
    await saveTime(at);
    const key = await fetch("/api/push/key", { credentials: "same-origin" }).then((r) => r.json());
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (!subscription) {
      try {
        subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(key.public_key),
        });
      } catch (error) {
        throw new Error(NOT_NOW); // the browser's own words say nothing a person can use
      }
    }
    const kept = await call("POST", "/api/push/subscriptions", subscription.toJSON());
    if (!kept.ok) throw new Error((await kept.json()).error.message);
  }

  async function turnOff() {
    const subscription = await current().catch(() => null);
    if (!subscription) return;
    await call("DELETE", "/api/push/subscriptions", { endpoint: subscription.endpoint });
    await subscription.unsubscribe().catch(() => {});
  }

  const UNSUPPORTED =
    "This browser cannot show the app's reminders. Add the app to your home screen and " +
    "open it from there (on an iPhone: Share, then Add to Home Screen), or use the calendar.";
  const BLOCKED =
    "Notifications are turned off for this app. You can allow them in the phone's " +
    "settings, then try again.";
  const NOT_NOW =
    "This phone could not sign up for reminders just now. Please try again later, or use " +
    "the calendar reminder.";
  const words = (at) =>
    `On: a short note on this phone at ${at} each morning, not on days you have stretched.`;
  return { supported, state, turnOn, turnOff, UNSUPPORTED, BLOCKED, words };
})();

// Settings: the "Reminder on this phone" section, for the time under "Remind me at".
(() => {
  const section = document.getElementById("push");
  if (!section) return;
  const on = document.getElementById("push-on");
  const off = document.getElementById("push-off");
  const said = document.getElementById("push-said");
  const field = document.getElementById("reminder_at");
  const time = () => (field && field.value) || section.dataset.reminderAt || "07:30";
  const show = async () => {
    const now = await scPush.state();
    on.hidden = now === "on" || now === "unsupported";
    off.hidden = now !== "on";
    on.textContent = `Remind me on this phone at ${time()}`;
    const saved = section.dataset.reminderAt;
    said.textContent =
      now === "on" && saved ? scPush.words(saved)
      : now === "on" ? "This phone takes reminders, but no time is set: choose one under " +
        "“Remind me at” and save."
      : now === "blocked" ? scPush.BLOCKED
      : now === "unsupported" ? scPush.UNSUPPORTED
      : "Off on this phone.";
  };
  section.hidden = false;
  if (field) {
    field.addEventListener("input", () => {
      on.textContent = `Remind me on this phone at ${time()}`;
    });
  }
  on.addEventListener("click", async () => {
    on.disabled = true;
    said.textContent = "Turning on…";
    try {
      const at = time();
      await scPush.turnOn(at);
      section.dataset.reminderAt = at;
      if (field) field.value = at;
      await show();
    } catch (error) {
      said.textContent = error.message;
    } finally {
      on.disabled = false;
    }
  });
  off.addEventListener("click", async () => {
    await scPush.turnOff();
    await show();
    said.textContent = "Off on this phone. A calendar reminder, if you added one, stays.";
    on.focus();
  });
  show();
})();

// The done screen: once a session has ended, a gentle offer (never on a first visit, never
// again once answered "Not now" on this phone, never when reminders are on already).
const scPushOffer = (() => {
  const DISMISSED = "sc-push-offer-dismissed";
  async function maybeShow() {
    const offer = document.getElementById("push-offer");
    if (!offer || localStorage.getItem(DISMISSED)) return;
    if ((await scPush.state()) !== "off") return;
    const at = document.getElementById("push-offer-at");
    const said = document.getElementById("push-offer-said");
    const settings = await fetch("/api/settings", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}));
    if (settings.reminder_at) at.value = settings.reminder_at;
    offer.hidden = false;
    document.getElementById("push-offer-yes").onclick = async (event) => {
      event.target.disabled = true;
      said.textContent = "Turning on…";
      try {
        await scPush.turnOn(at.value || "07:30");
        said.textContent = scPush.words(at.value || "07:30");
        offer.querySelector(".actions").hidden = true;
      } catch (error) {
        said.textContent = error.message;
      } finally {
        event.target.disabled = false;
      }
    };
    document.getElementById("push-offer-no").onclick = () => {
      localStorage.setItem(DISMISSED, "1");
      offer.hidden = true;
    };
  }
  return { maybeShow };
})();
