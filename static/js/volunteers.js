// Volunteers pages: print buttons, "select all" ticks, the service form's kind-dependent fields,
// and ticking a volunteer when their own hours are typed.
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-check-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      var form = master.closest("form") || document;
      form.querySelectorAll('input[type="checkbox"][name="' + master.dataset.checkAll + '"]').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });

  var kind = document.getElementById("id_kind");
  var dependent = document.querySelectorAll("[data-show-for-kind]");
  function showForKind() {
    dependent.forEach(function (block) {
      block.hidden = !kind || block.dataset.showForKind !== kind.value;
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
