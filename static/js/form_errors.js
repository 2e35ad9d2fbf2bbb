/*!
 * 银龄台账 — the error summary at the top of a long form (templates/core/partials/form_errors.html).
 *
 * When the page comes back with errors the summary takes the focus (a screen
 * reader reads it, the page opens at the top). A tap on an item focuses its
 * field and brings it into view; a field hidden in a closed <details> is shown
 * first. Without this script the links still jump to the fields.
 */
(function () {
  'use strict';

  function fieldFor(link) {
    const id = (link.getAttribute('href') || '').slice(1);
    const byId = id ? document.getElementById(id) : null;
    if (byId) {
      return byId;
    }
    const name = link.getAttribute('data-error-field');
    return name ? document.querySelector('[name="' + CSS.escape(name) + '"]') : null;
  }

  function init() {
    const summary = document.querySelector('[data-error-summary]');
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener('click', function (event) {
      const link = event.target.closest('a[data-error-field]');
      if (!link) {
        return;
      }
      const field = fieldFor(link);
      if (!field) {
        return;
      }
      event.preventDefault();
      const details = field.closest('details');
      if (details) {
        details.open = true;
      }
      // A picker (Tom Select) hides its <select>: focus what the user types into.
      const target = field.tomselect ? field.tomselect.control_input : field;
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
