/*!
 * 银龄台账 — the roll of an activity form (templates/branches/partials/activity_roll.html).
 *
 * Each person is a big toggle: ticked = 出席, unticked = 缺席. This script
 *   - filters the roll as the secretary types a name, its full pinyin or its
 *     initials ("zhang san", "zs", "张"), ignoring spaces and case;
 *   - ticks everyone ("全部出席") or no one ("全部缺席") in one tap;
 *   - keeps the sticky bar's "出席 N / M 人" count up to date;
 *   - shows an absentee's reason box only when "填写缺席原因" is tapped (or a
 *     reason is already written).
 * Without it the form still works: every reason box stays visible.
 */
(function () {
  'use strict';

  const doc = document;

  function normalise(text) {
    return (text || '').replace(/\s+/g, '').toLowerCase();
  }

  function rows(roll) {
    return Array.prototype.slice.call(roll.querySelectorAll('[data-member]'));
  }

  function box(row) {
    return row.querySelector('input[name="present"]');
  }

  function paint(row) {
    const checked = box(row).checked;
    const state = row.querySelector('[data-state]');
    const toggle = row.querySelector('[data-reason-toggle]');
    const reason = row.querySelector('[data-reason]');
    if (state) {
      state.textContent = checked ? state.getAttribute('data-present-text') : state.getAttribute('data-absent-text');
    }
    const open = !checked && reason && (reason.value !== '' || row.hasAttribute('data-reason-open'));
    if (reason) {
      reason.classList.toggle('d-none', !open);
    }
    if (toggle) {
      toggle.classList.toggle('d-none', checked || open);
    }
  }

  function count(roll) {
    const all = rows(roll);
    const present = all.filter(function (row) { return box(row).checked; }).length;
    const counter = doc.querySelector('[data-present-count]');
    if (counter) {
      const template = counter.getAttribute('data-template') || '{n} / {total}';
      counter.textContent = all.length
        ? template.replace('{n}', String(present)).replace('{total}', String(all.length))
        : '';
    }
  }

  function matches(row, query) {
    if (!query) {
      return true;
    }
    const name = row.getAttribute('data-name') || '';
    return name.indexOf(query) !== -1 ||
      (row.getAttribute('data-pinyin') || '').indexOf(query) !== -1 ||
      (row.getAttribute('data-initials') || '').indexOf(query) === 0;
  }

  function filter(roll, text) {
    const query = normalise(text);
    let shown = 0;
    rows(roll).forEach(function (row) {
      const hit = matches(row, query);
      row.classList.toggle('d-none', !hit);
      if (hit) {
        shown += 1;
      }
    });
    roll.querySelectorAll('[data-roll-group]').forEach(function (heading) {
      const group = heading.getAttribute('data-roll-group');
      const any = rows(roll).some(function (row) {
        return row.getAttribute('data-group') === group && !row.classList.contains('d-none');
      });
      heading.classList.toggle('d-none', !any);
    });
    const none = roll.querySelector('[data-roll-nomatch]');
    if (none) {
      none.classList.toggle('d-none', shown > 0);
    }
  }

  function setAll(roll, checked) {
    rows(roll).forEach(function (row) {
      box(row).checked = checked;
      paint(row);
    });
    count(roll);
  }

  function start(scope) {
    (scope || doc).querySelectorAll('[data-roll]').forEach(function (roll) {
      rows(roll).forEach(paint);
      count(roll);
      const search = roll.querySelector('[data-roll-search]');
      if (search && search.value) {
        filter(roll, search.value);
      }
    });
  }

  doc.addEventListener('input', function (evt) {
    const el = evt.target;
    if (el && el.hasAttribute && el.hasAttribute('data-roll-search')) {
      filter(el.closest('[data-roll]'), el.value);
    }
  });

  doc.addEventListener('keydown', function (evt) {
    // Enter in the search box must not submit the form half-filled.
    const el = evt.target;
    if (evt.key === 'Enter' && el && el.hasAttribute && el.hasAttribute('data-roll-search')) {
      evt.preventDefault();
    }
  });

  doc.addEventListener('change', function (evt) {
    const el = evt.target;
    if (el && el.name === 'present') {
      const row = el.closest('[data-member]');
      const roll = el.closest('[data-roll]');
      if (row && roll) {
        paint(row);
        count(roll);
      }
    }
  });

  doc.addEventListener('click', function (evt) {
    const el = evt.target.closest ? evt.target.closest('[data-roll-all], [data-roll-none], [data-reason-toggle]') : null;
    if (!el) {
      return;
    }
    const roll = el.closest('[data-roll]');
    if (el.hasAttribute('data-reason-toggle')) {
      const row = el.closest('[data-member]');
      row.setAttribute('data-reason-open', '');
      paint(row);
      const reason = row.querySelector('[data-reason]');
      if (reason) {
        reason.focus();
      }
      return;
    }
    setAll(roll, el.hasAttribute('data-roll-all'));
    const search = roll.querySelector('[data-roll-search]');
    if (search && el.hasAttribute('data-roll-none')) {
      search.focus();
    }
  });

  doc.addEventListener('htmx:load', function (evt) { start(evt.target); });

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', function () { start(); });
  } else {
    start();
  }
}());
