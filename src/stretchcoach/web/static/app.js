// Every page: register the service worker so the session keeps working offline.
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
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
