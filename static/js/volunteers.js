// Volunteers pages: print buttons, the service form's kind-dependent fields, and ticking a
// volunteer when their own hours are typed ("select all" is yinling.js's data-check-all).
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var kind = document.getElementById("id_kind");
  var dependent = document.querySelectorAll("[data-show-for-kind]");
  function showForKind() {
    dependent.forEach(function (block) {
      // A block with an error on it stays in sight whatever the kind.
      block.hidden = !kind || (block.dataset.showForKind !== kind.value && !block.querySelector(".is-invalid"));
    });
  }
  if (kind && dependent.length) {
    kind.addEventListener("change", showForKind);
    showForKind();
  }

  document.querySelectorAll(".yl-tick-row").forEach(function (row) {
    var box = row.querySelector('input[type="checkbox"]');
    var hours = row.querySelector(".yl-hours-input");
    if (box && hours) {
      hours.addEventListener("input", function () { if (hours.value.trim()) { box.checked = true; } });
    }
  });
})();
