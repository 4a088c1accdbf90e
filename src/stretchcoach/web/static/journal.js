// The journal page: the body map ticks the boxes below it, and a double tap on Save saves once.
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
})();
