// A compliance calendar wider than the screen (a phone) opens at the current period, next to
// the sticky first column: the months already past are one swipe to the left.
(function () {
  "use strict";
  document.querySelectorAll("[data-scroll-to-current]").forEach(function (box) {
    var current = box.querySelector("[data-current-period]");
    var label = box.querySelector("thead th");
    if (!current || box.scrollWidth <= box.clientWidth) {
      return;
    }
    box.scrollLeft = current.offsetLeft - (label ? label.offsetWidth : 0);
  });
})();
