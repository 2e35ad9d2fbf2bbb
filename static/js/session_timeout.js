/*!
 * 银龄台账 — the idle-session warning (shared office computers).
 *
 * The server ends a session after SESSION_IDLE_TIMEOUT seconds without a request
 * (core.security.SecurityMiddleware). A minute before that, this shows the warning of
 * templates/core/partials/session_timeout.html; 继续使用 posts to the keep-alive URL
 * (CSRF token from <meta name="csrf-token">, never from the cookie, which is HttpOnly).
 * At the end it reloads the page, and the server sends the user to the login page.
 * Any htmx request counts as activity too.
 */
(function () {
  'use strict';

  const box = document.getElementById('yl-session-timeout');
  if (!box) {
    return;
  }
  const idle = parseInt(box.dataset.idleSeconds, 10) * 1000;
  const warn = parseInt(box.dataset.warnSeconds, 10) * 1000;
  const url = box.dataset.keepaliveUrl;
  const stay = box.querySelector('[data-session-stay]');
  let warnTimer = null;
  let endTimer = null;

  function token() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  function hide() {
    box.classList.add('d-none');
  }

  function show() {
    box.classList.remove('d-none');
    stay.focus();
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    hide();
    warnTimer = window.setTimeout(show, Math.max(0, idle - warn));
    // A second after the server's limit, so the reload finds the session over.
    endTimer = window.setTimeout(function () { window.location.reload(); }, idle + 1000);
  }

  stay.addEventListener('click', function () {
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': token(), 'X-Requested-With': 'fetch' }
    }).then(function (response) {
      if (response.ok) {
        restart();
      } else {
        window.location.reload();
      }
    }).catch(function () { /* offline: keep the warning up */ });
  });

  document.addEventListener('htmx:afterRequest', restart);
  restart();
}());
