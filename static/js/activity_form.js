/*!
 * 银龄台账 — the activity form (templates/branches/activity_form.html).
 *
 * Each member is a big toggle: ticked = 出席, unticked = 缺席. This script
 * writes the state in words on the toggle, shows the absence-reason box only
 * for unticked members, and keeps the "已勾选 N 人" count up to date. Without
 * it the form still works: every reason box stays visible.
 */
(function () {
  'use strict';

  function update(root) {
    const scope = root || document;
    const rows = scope.querySelectorAll('[data-member]');
    let present = 0;
    rows.forEach(function (row) {
      const box = row.querySelector('input[name="present"]');
      const state = row.querySelector('[data-state]');
      const reason = row.querySelector('[data-reason]');
      if (!box) {
        return;
      }
      if (box.checked) {
        present += 1;
      }
      if (state) {
        state.textContent = box.checked
          ? state.getAttribute('data-present-text')
          : state.getAttribute('data-absent-text');
      }
      if (reason) {
        reason.classList.toggle('d-none', box.checked);
      }
    });
    const counter = document.querySelector('[data-present-count]');
    if (counter) {
      const template = counter.getAttribute('data-template') || '{n} / {total}';
      counter.textContent = rows.length
        ? template.replace('{n}', String(present)).replace('{total}', String(rows.length))
        : '';
    }
  }

  document.addEventListener('change', function (evt) {
    const el = evt.target;
    if (el && el.type === 'checkbox' && (el.name === 'present' || el.hasAttribute('data-check-all'))) {
      // yinling.js ticks the boxes for "全选" in its own change handler; run after it.
      window.setTimeout(update, 0);
    }
  });

  document.addEventListener('htmx:load', function () { update(); });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { update(); });
  } else {
    update();
  }
}());
