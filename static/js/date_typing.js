// Date fields (core.widgets.DateInput): the phone's own date picker, a hint below the field
// (never inside it, where it could pass for a value), and a switch to a plain text box for
// those who would rather type 2016年9月5日, 2016/9/5 or 2016-09-05: the server reads all three.
(function () {
  "use strict";
  var TYPED = /^\s*(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?\s*$/;

  function toIso(text) {
    var match = TYPED.exec(text || "");
    if (!match) {
      return null;
    }
    var pad = function (n) { return n.length === 1 ? "0" + n : n; };
    return match[1] + "-" + pad(match[2]) + "-" + pad(match[3]);
  }

  var counter = 0;

  function enhance(input) {
    if (input.dataset.typedDateReady) {
      return;
    }
    input.dataset.typedDateReady = "1";
    var hint = document.createElement("div");
    hint.className = "form-text yl-date-hint";
    // Forms repeated on one page (a leave form per team member) render without ids.
    hint.id = (input.id || input.name + "-" + (counter += 1)) + "-date-hint";
    hint.textContent = input.dataset.hint || "";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "btn btn-link btn-sm p-0 align-baseline yl-date-switch";
    toggle.textContent = input.dataset.typeLabel || "";
    toggle.addEventListener("click", function () {
      if (input.type === "date") {
        input.type = "text";
        input.inputMode = "text";
        toggle.textContent = input.dataset.pickLabel || "";
      } else {
        var iso = toIso(input.value);
        input.type = "date";
        if (iso) {
          input.value = iso;
        }
        toggle.textContent = input.dataset.typeLabel || "";
      }
      input.focus();
    });
    var describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    describedBy.push(hint.id);
    input.setAttribute("aria-describedby", describedBy.join(" "));
    input.insertAdjacentElement("afterend", hint);
    hint.appendChild(document.createTextNode(" "));
    hint.appendChild(toggle);
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("input[data-typed-date]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms swapped in by htmx (the activity form's member list) get the same.
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
