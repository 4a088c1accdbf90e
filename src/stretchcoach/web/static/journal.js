// The journal page: the slider shows its number, the body map ticks the boxes below it.
"use strict";
(() => {
  const score = document.getElementById("score");
  const out = document.getElementById("score-out");
  if (score && out) score.addEventListener("input", () => { out.value = score.value; });

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
