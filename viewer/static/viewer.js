// Keyboard navigation between the changes of a diff: j / n next, k / p previous.
// The only script of the viewer; pages work without it (every change has an anchor).
"use strict";
(function () {
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));
  if (!changes.length) return;
  var current = -1;
  function go(index) {
    if (index < 0 || index >= changes.length) return;
    if (current >= 0) changes[current].classList.remove("current");
    current = index;
    var row = changes[current];
    var fold = row.closest("details");
    if (fold) fold.open = true;
    row.classList.add("current");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "center" });
    history.replaceState(null, "", "#c" + row.dataset.change);
  }
  var start = changes.findIndex(function (row) { return "#" + row.id === location.hash; });
  if (start >= 0) current = start;
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    if (event.key === "j" || event.key === "n") { go(current + 1); event.preventDefault(); }
    if (event.key === "k" || event.key === "p") { go(Math.max(current - 1, 0)); event.preventDefault(); }
  });
})();
