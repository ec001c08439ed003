// The review queue by keyboard: a, r and u decide on the first candidate of the page still
// to be decided (accept, reject, unsure), with whatever note is typed in its box, and the
// page comes back with the next one. Keys typed into a field stay the field's. Served from
// /static, as the Content-Security-Policy allows scripts from this server only.
"use strict";

const DECISIONS = { a: "accept", r: "reject", u: "unsure" };

document.addEventListener("keydown", (event) => {
  const decision = DECISIONS[event.key];
  if (!decision || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const candidate = document.querySelector("article.candidate[data-review='unreviewed'] form");
  if (!candidate) return;
  const choice = candidate.querySelector(`input[name=decision][value=${decision}]`);
  if (!choice) return;
  event.preventDefault();
  choice.checked = true;
  candidate.requestSubmit();
});
