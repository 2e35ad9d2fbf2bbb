/*!
 * 银龄台账 Yinling — site-wide behaviour.
 *
 * Plain ES2017, no build step. Load it after htmx and ECharts (when a page
 * uses them), for example at the end of <body> or with `defer`:
 *
 *   <script src="{% static 'vendor/bootstrap/js/bootstrap.bundle.min.js' %}" defer></script>
 *   <script src="{% static 'vendor/htmx/htmx.min.js' %}" defer></script>
 *   <script src="{% static 'vendor/tom-select/js/tom-select.complete.min.js' %}" defer></script>
 *   <script src="{% static 'vendor/echarts/echarts.min.js' %}" defer></script>  (chart pages only)
 *   <script src="{% static 'js/yinling.js' %}" defer></script>
 *
 * The project allows no inline scripts (a strict Content-Security-Policy is
 * planned), so every behaviour is declared with data attributes:
 *
 *   <meta name="csrf-token" content="{{ csrf_token }}">   htmx sends it as X-CSRFToken
 *   <form data-confirm="确定删除这条记录吗？">              confirm() before submitting
 *   <button type="submit" data-confirm="…">                 same, for one button of a form
 *   <a href="…" data-confirm="…">                           same, for a link or an htmx button
 *   <form data-autosubmit>                                  submit when a select/checkbox/radio changes
 *   <input type="checkbox" data-check-all="ids">            checks/unchecks every name="ids" box in its form
 *   <div class="yl-chart" data-echarts="chart-1"></div>     ECharts from {{ options|json_script:"chart-1" }}
 *   <select data-lookup-url="/lookup/person/">              search-as-you-type picker (Tom Select), see below
 *
 * The document-level listeners are attached as soon as the script runs (they
 * are delegated, so they also cover content htmx swaps in later); the work
 * that needs the parsed page (charts, check-all state) runs on
 * DOMContentLoaded and again on every htmx:load.
 */
(function () {
  'use strict';

  const doc = document;
  const root = doc.documentElement;

  const FONT_FAMILY = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", ' +
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif';

  root.classList.add('yl-js');

  /* ------------------------------------------------------------------ *
   * Helpers
   * ------------------------------------------------------------------ */

  function onReady(fn) {
    if (doc.readyState === 'loading') {
      doc.addEventListener('DOMContentLoaded', fn);
    } else {
      fn();
    }
  }

  function formOf(el) {
    return el.form || (el.closest ? el.closest('form') : null);
  }

  /* Submit a form the way a click on its submit button would: fires the
   * submit event (so data-confirm and htmx see it) and validates. */
  function submitForm(form) {
    if (typeof form.requestSubmit === 'function') {
      form.requestSubmit();
      return;
    }
    // Safari < 16: no requestSubmit().
    const ev = new Event('submit', { bubbles: true, cancelable: true });
    if (form.dispatchEvent(ev)) {
      form.submit();
    }
  }

  /* ------------------------------------------------------------------ *
   * htmx: CSRF header and CSP-friendly settings
   * ------------------------------------------------------------------ */

  if (window.htmx && window.htmx.config) {
    // htmx would otherwise inject a <style> element for its request
    // indicator, which a strict CSP blocks: yinling.css has those rules.
    // This must be set before htmx's own DOMContentLoaded handler, hence
    // here and not in onReady(). (A template may also say
    // <meta name="htmx-config" content='{"includeIndicatorStyles":false}'>.)
    window.htmx.config.includeIndicatorStyles = false;
    // No eval(): hx-on / "js:" values are inline scripts, not allowed here.
    window.htmx.config.allowEval = false;
  }

  function csrfToken() {
    const meta = doc.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  function sameOrigin(path) {
    try {
      return new URL(path, window.location.href).origin === window.location.origin;
    } catch (e) {
      return false;
    }
  }

  doc.addEventListener('htmx:configRequest', function (evt) {
    const detail = evt.detail;
    if (!detail || !detail.headers) {
      return;
    }
    const token = csrfToken();
    if (token && sameOrigin(detail.path || '')) {
      detail.headers['X-CSRFToken'] = token;
    }
  });

  /* ------------------------------------------------------------------ *
   * data-confirm
   * ------------------------------------------------------------------ */

  // Older Safari has no SubmitEvent.submitter: remember the last submit
  // button that was clicked.
  let lastSubmitter = null;

  function isSubmitButton(el) {
    return !!el && !!el.form &&
      ((el.tagName === 'BUTTON' && (el.type || 'submit') === 'submit') ||
       (el.tagName === 'INPUT' && (el.type === 'submit' || el.type === 'image')));
  }

  // A submit button that makes its own htmx request never fires "submit".
  function hasHtmxRequest(el) {
    return ['hx-get', 'hx-post', 'hx-put', 'hx-patch', 'hx-delete',
      'data-hx-get', 'data-hx-post', 'data-hx-put', 'data-hx-patch', 'data-hx-delete']
      .some(function (name) { return el.hasAttribute(name); });
  }

  // Capture phase at the document: runs before htmx's own listener on the
  // form or button, so a "取消" really stops the request.
  doc.addEventListener('click', function (evt) {
    const target = evt.target;
    if (!target || !target.closest) {
      return;
    }
    const button = target.closest('button, input[type="submit"], input[type="image"]');
    if (isSubmitButton(button) && !hasHtmxRequest(button)) {
      lastSubmitter = button;
      return; // asked in the submit handler
    }
    const el = target.closest(
      'a[data-confirm], button[data-confirm], input[data-confirm], [role="button"][data-confirm]');
    if (!el) {
      return;
    }
    const message = el.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  doc.addEventListener('submit', function (evt) {
    const form = evt.target;
    if (!form || form.tagName !== 'FORM') {
      return;
    }
    let submitter = evt.submitter || null;
    if (!submitter && lastSubmitter && lastSubmitter.form === form) {
      submitter = lastSubmitter;
    }
    lastSubmitter = null;

    let message = null;
    if (submitter && submitter.hasAttribute('data-confirm')) {
      message = submitter.getAttribute('data-confirm');
    } else if (form.hasAttribute('data-confirm')) {
      message = form.getAttribute('data-confirm');
    }
    if (message && !window.confirm(message)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  /* ------------------------------------------------------------------ *
   * Check all / none, and data-autosubmit
   * ------------------------------------------------------------------ */

  function boxesNamed(master, name) {
    const scope = formOf(master);
    const candidates = scope ? Array.from(scope.elements)
      : Array.from(doc.querySelectorAll('input[type="checkbox"]'));
    return candidates.filter(function (el) {
      return el !== master && el.type === 'checkbox' && el.name === name && !el.disabled;
    });
  }

  function syncMaster(master) {
    const boxes = boxesNamed(master, master.getAttribute('data-check-all'));
    const checked = boxes.filter(function (el) { return el.checked; }).length;
    master.checked = boxes.length > 0 && checked === boxes.length;
    master.indeterminate = checked > 0 && checked < boxes.length;
  }

  function mastersFor(box) {
    const scope = formOf(box) || doc;
    return Array.from(scope.querySelectorAll('input[type="checkbox"][data-check-all]'))
      .filter(function (m) { return m.getAttribute('data-check-all') === box.name; });
  }

  function syncAllMasters() {
    doc.querySelectorAll('input[type="checkbox"][data-check-all]').forEach(syncMaster);
  }

  doc.addEventListener('change', function (evt) {
    const el = evt.target;
    if (!el || !el.tagName) {
      return;
    }

    if (el.type === 'checkbox') {
      if (el.hasAttribute('data-check-all')) {
        el.indeterminate = false;
        boxesNamed(el, el.getAttribute('data-check-all')).forEach(function (box) {
          box.checked = el.checked;
        });
      } else if (el.name) {
        mastersFor(el).forEach(syncMaster);
      }
    }

    const isSelect = el.tagName === 'SELECT';
    const isToggle = el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio');
    if (isSelect || isToggle) {
      const form = formOf(el);
      if (form && form.hasAttribute('data-autosubmit') && !el.hasAttribute('data-no-autosubmit')) {
        submitForm(form);
      }
    }
  });

  /* ------------------------------------------------------------------ *
   * ECharts: <div data-echarts="ID"> + <script type="application/json" id="ID">
   * ------------------------------------------------------------------ */

  const charts = new Set();
  let themesRegistered = false;

  function registerThemes(echarts) {
    if (themesRegistered) {
      return;
    }
    themesRegistered = true;
    echarts.registerTheme('yinling', {
      textStyle: { fontFamily: FONT_FAMILY }
    });
    // 适老化: 18 px text everywhere in the chart.
    const big = { fontSize: 18 };
    const axis = { axisLabel: big, nameTextStyle: big };
    echarts.registerTheme('yinling-large', {
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 18 },
      title: { textStyle: { fontSize: 24 }, subtextStyle: big },
      legend: { textStyle: big, itemWidth: 32, itemHeight: 18, itemGap: 16 },
      tooltip: { textStyle: big },
      categoryAxis: axis,
      valueAxis: axis,
      logAxis: axis,
      timeAxis: axis,
      line: { label: big, lineStyle: { width: 3 }, symbolSize: 8 },
      bar: { label: big },
      pie: { label: big }
    });
  }

  function chartElements(container) {
    const found = [];
    if (!container) {
      return found;
    }
    if (container.nodeType === 1 && container.hasAttribute('data-echarts')) {
      found.push(container);
    }
    if (container.querySelectorAll) {
      container.querySelectorAll('[data-echarts]').forEach(function (el) { found.push(el); });
    }
    return found;
  }

  function initCharts(container) {
    const echarts = window.echarts;
    if (!echarts) {
      return;
    }
    registerThemes(echarts);
    const large = root.classList.contains('yl-large-font');

    chartElements(container).forEach(function (el) {
      if (echarts.getInstanceByDom(el)) {
        return; // already drawn
      }
      const id = el.getAttribute('data-echarts');
      const source = id ? doc.getElementById(id) : null;
      if (!source) {
        console.warn('yinling: no chart data element #' + id);
        return;
      }
      let option;
      try {
        option = JSON.parse(source.textContent);
      } catch (e) {
        console.error('yinling: chart data #' + id + ' is not valid JSON', e);
        return;
      }
      if (option && typeof option === 'object' && option.aria === undefined) {
        option.aria = { enabled: true }; // screen readers get a description
      }
      const chart = echarts.init(el, large ? 'yinling-large' : 'yinling', { locale: 'ZH' });
      chart.setOption(option);
      charts.add(chart);
    });
  }

  function resizeCharts() {
    charts.forEach(function (chart) {
      if (chart.isDisposed() || !doc.body.contains(chart.getDom())) {
        if (!chart.isDisposed()) {
          chart.dispose();
        }
        charts.delete(chart);
        return;
      }
      chart.resize();
    });
  }

  let resizePending = false;
  function scheduleResize() {
    if (resizePending) {
      return;
    }
    resizePending = true;
    window.requestAnimationFrame(function () {
      resizePending = false;
      resizeCharts();
    });
  }

  window.addEventListener('resize', scheduleResize);
  window.addEventListener('orientationchange', scheduleResize);
  // A chart inside a tab, collapse or modal has no size until it is shown.
  ['shown.bs.tab', 'shown.bs.collapse', 'shown.bs.modal'].forEach(function (name) {
    doc.addEventListener(name, scheduleResize);
  });

  // htmx removes content: free the chart that lived in it.
  doc.addEventListener('htmx:beforeCleanupElement', function (evt) {
    const echarts = window.echarts;
    const el = evt.target;
    if (!echarts || !el || el.nodeType !== 1 || !el.hasAttribute('data-echarts')) {
      return;
    }
    const chart = echarts.getInstanceByDom(el);
    if (chart) {
      charts.delete(chart);
      chart.dispose();
    }
  });

  /* ------------------------------------------------------------------ *
   * Pickers: <select data-lookup-url> (core.widgets.LookupSelect)
   *
   * The server renders only the chosen option(s); Tom Select asks
   * data-lookup-url?q=… as the user types and shows what it answers (at
   * most 20 rows, already matched by name, pinyin or initials and scoped
   * to the user, so no filtering happens here). data-lookup-forward
   * '{"branch": "branch"}' sends the current value of the form's field
   * named "branch" as ?branch=…, and clears the picker when it changes.
   * ------------------------------------------------------------------ */

  // [parameter, field] pairs of data-lookup-forward, for the fields the form has.
  function forwardedFields(select) {
    const forward = select.getAttribute('data-lookup-forward');
    const form = formOf(select);
    if (!forward || !form) {
      return [];
    }
    const fields = JSON.parse(forward);
    return Object.keys(fields)
      .map(function (param) { return [param, form.elements.namedItem(fields[param])]; })
      .filter(function (pair) { return pair[1]; });
  }

  function lookupUrl(select, query) {
    const url = new URL(select.getAttribute('data-lookup-url'), window.location.href);
    url.searchParams.set('q', query);
    forwardedFields(select).forEach(function (pair) {
      if (pair[1].value) {
        url.searchParams.set(pair[0], pair[1].value);
      }
    });
    return url;
  }

  function pickerElements(container) {
    if (!container || !container.querySelectorAll) {
      return [];
    }
    const found = Array.from(container.querySelectorAll('select[data-lookup-url]'));
    if (container.matches && container.matches('select[data-lookup-url]')) {
      found.push(container);
    }
    return found;
  }

  function initPickers(container) {
    const TomSelect = window.TomSelect;
    if (!TomSelect) {
      return;
    }
    pickerElements(container).forEach(function (select) {
      if (select.tomselect) {
        return; // already started
      }
      const text = function (name) { return select.getAttribute(name) || ''; };
      let requests = 0;
      const plugins = {};
      if (select.multiple) {
        plugins.remove_button = { title: text('data-lookup-remove') };
      } else if (!select.required) {
        plugins.clear_button = { title: text('data-lookup-remove') };
      }
      const picker = new TomSelect(select, {
        valueField: 'value',
        labelField: 'text',
        searchField: [],
        plugins: plugins,
        maxOptions: null,
        preload: 'focus',             // a tap shows the first rows before anything is typed
        loadThrottle: 250,
        closeAfterSelect: !select.multiple,
        shouldLoad: function () { return true; },
        // The server has matched (张谦 for "zq"): keep every answer, in its order.
        score: function () { return function () { return 1; }; },
        load: function (query, callback) {
          const self = this;
          const ticket = ++requests;
          window.fetch(lookupUrl(select, query), {
            credentials: 'same-origin',
            headers: { Accept: 'application/json' }
          }).then(function (response) {
            return response.ok ? response.json() : [];
          }).then(function (rows) {
            if (ticket !== requests) {
              callback(); // a later keystroke's answer is on its way
              return;
            }
            // Only this answer's rows (and the chosen ones): earlier answers would not match.
            self.clearOptions();
            callback(rows);
          }).catch(function () {
            callback();
          });
        },
        render: {
          no_results: function () {
            const div = doc.createElement('div');
            div.className = 'no-results';
            div.textContent = text('data-lookup-empty');
            return div;
          },
          loading: function () {
            const div = doc.createElement('div');
            div.className = 'spinner-border spinner-border-sm m-2';
            div.setAttribute('role', 'status');
            div.setAttribute('aria-label', text('data-lookup-loading'));
            return div;
          }
        }
      });
      forwardedFields(select).forEach(function (pair) {
        if (pair[1].addEventListener) {
          pair[1].addEventListener('change', function () {
            picker.clear();
            picker.clearOptions();
            picker.wrapper.classList.remove('preloaded');
          });
        }
      });
    });
  }

  /* ------------------------------------------------------------------ *
   * Start
   * ------------------------------------------------------------------ */

  // htmx fires htmx:load for the body once and then for every swapped-in
  // piece of content.
  doc.addEventListener('htmx:load', function (evt) {
    initCharts(evt.target);
    initPickers(evt.target);
    syncAllMasters();
  });

  onReady(function () {
    initCharts(doc.body);
    initPickers(doc.body);
    syncAllMasters();
  });
}());
