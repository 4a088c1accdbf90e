// Offline, on the page the service worker shows when the network does not answer, and on the
// copy of the session page it kept: say so plainly, try again every few seconds and the
// moment the phone says it is online, and reload the page the person wanted once the server
// answers. "Try again" tries at once. The check asks the server for this same address (not a
// navigation, so the service worker lets it through to the network).
"use strict";
(() => {
  const EVERY_MS = 5000;
  const page = document.getElementById("offline-page");
  if (!page) {
    // The kept copy of a page: a plain notice on top, with the same button.
    const notice = document.createElement("div");
    notice.className = "notice offline-copy";
    notice.setAttribute("data-testid", "offline-copy");
    notice.innerHTML =
      "<p><strong>You are offline.</strong> This is the page as this phone last saved it. " +
      "A session you had started carries on here; a new one waits for the connection.</p>" +
      '<p><button type="button" class="button secondary" data-retry>Try again</button> ' +
      '<span class="small" role="status" data-offline-status>Trying again every few seconds.</span></p>';
    const main = document.querySelector("main") || document.body;
    main.prepend(notice);
  }
  const status = document.querySelector("[data-offline-status]");
  let trying = false;

  async function check(byHand) {
    if (trying) return;
    trying = true;
    if (byHand && status) status.textContent = "Trying…";
    try {
      await fetch(location.href, { cache: "no-store", credentials: "same-origin", redirect: "manual" });
      if (status) status.textContent = "Back online: opening the page…";
      location.reload();
      return;
    } catch (error) {
      if (status) {
        status.textContent = byHand
          ? "Still offline. Trying again every few seconds."
          : "Trying again every few seconds.";
      }
    }
    trying = false;
  }

  for (const button of document.querySelectorAll("[data-retry]")) {
    button.addEventListener("click", () => check(true));
  }
  window.addEventListener("online", () => check(false));
  setInterval(() => check(false), EVERY_MS);
})();
