// The journal page (and the session's check-in): the body map ticks the boxes below it, "No"
// and a yes to one of the three questions cannot both stay ticked, and a double tap on Save
// saves once.
"use strict";
(() => {
  const form = document.querySelector("form.journal");
  if (form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) {
        event.preventDefault(); // already on its way
        return;
      }
      form.dataset.sent = "1";
      const save = document.getElementById("save");
      if (save) save.setAttribute("aria-disabled", "true");
    });
  }

  const boxes = new Map();
  document.querySelectorAll('input[name="sites"]').forEach((box) => boxes.set(box.value, box));
  const spots = document.querySelectorAll(".bodymap .spot");
  const paint = () => spots.forEach((spot) => {
    const box = boxes.get(spot.dataset.site);
    spot.classList.toggle("on", Boolean(box && box.checked));
  });
  spots.forEach((spot) => spot.addEventListener("click", () => {
    const box = boxes.get(spot.dataset.site);
    if (!box) return;
    box.checked = !box.checked;
    paint();
  }));
  boxes.forEach((box) => box.addEventListener("change", paint));
  paint();

  for (const box of document.querySelectorAll('fieldset.symptom input[type="checkbox"]')) {
    box.addEventListener("change", () => {
      if (!box.checked) return;
      const group = box.closest("fieldset").querySelectorAll('input[type="checkbox"]');
      for (const other of group) {
        if (other !== box && (box.value === "no" || other.value === "no")) other.checked = false;
      }
    });
  }
})();
