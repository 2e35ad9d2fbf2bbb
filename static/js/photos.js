/*!
 * 银龄台账 — photo and attachment inputs (templates/branches/partials/photo_inputs.html).
 *
 * - Photos are shrunk in the browser before they are sent: drawn on a canvas
 *   at most 1600 px on the longest side and saved as JPEG (quality 0.85; lower,
 *   then smaller, if that is still over 900 KB), so a 23 MB phone photo travels
 *   as a few hundred KB. The shrunk files replace the
 *   input's own (DataTransfer), so the form posts as it always did. A file the
 *   browser cannot decode (HEIC outside Safari) is sent as it is: the server
 *   converts or refuses it (branches/photos.py checks every file again).
 * - What was chosen is listed (thumbnails for photos, names for attachments),
 *   each with a 移除 button; choosing again adds to the list.
 * - The choice is kept in the browser (IndexedDB, per page and input) while the
 *   form is open. When the server sends the form back with an error
 *   (data-form-invalid="1") the files are put back into the inputs; any other
 *   load of the form forgets them. Nothing is kept on the server.
 *
 * Without this script the inputs work as plain file inputs.
 */
(function () {
  'use strict';

  const MAX_SIDE = 1600;
  const QUALITY = 0.85;
  const TARGET_BYTES = 900 * 1024; // a photo travels in well under 1 MB
  const KEEP_MS = 6 * 60 * 60 * 1000; // a choice older than this is forgotten
  const DB_NAME = 'yinling-uploads';
  const STORE = 'chosen';

  /* ---------- IndexedDB: a small promise wrapper ---------- */

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error('no indexedDB'));
        return;
      }
      const request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = db.transaction(STORE, mode);
        const result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    }).catch(function () { return undefined; }); // private mode etc.: just do not keep
  }

  const keep = function (key, files) {
    return withStore('readwrite', function (store) { return store.put({ at: Date.now(), files: files }, key); });
  };
  const forget = function (key) {
    return withStore('readwrite', function (store) { return store.delete(key); });
  };
  const recall = function (key) {
    return withStore('readonly', function (store) { return store.get(key); });
  };

  /* ---------- shrinking ---------- */

  function jpegName(name) {
    return (name || 'photo').replace(/\.[^.]+$/, '') + '.jpg';
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return window.createImageBitmap(file, { imageOrientation: 'from-image' });
    }
    return new Promise(function (resolve, reject) {
      const url = URL.createObjectURL(file);
      const img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('undecodable')); };
      img.src = url;
    });
  }

  function toJpeg(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', quality); });
  }

  function draw(image, width, height) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width));
    canvas.height = Math.max(1, Math.round(height));
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; // transparent PNG areas become white, as on the server
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  // Under TARGET_BYTES whatever the photo: lower the quality first, then the size
  // (a photo of fine detail — grass, a crowd — compresses badly at 1600 px).
  function encode(image, width, height, attempt) {
    const canvas = draw(image, width, height);
    const qualities = [QUALITY, 0.75, 0.65];
    function tryQuality(i) {
      return toJpeg(canvas, qualities[i]).then(function (blob) {
        if (!blob || blob.size <= TARGET_BYTES) {
          return blob;
        }
        if (i + 1 < qualities.length) {
          return tryQuality(i + 1);
        }
        return attempt < 4 ? encode(image, width * 0.8, height * 0.8, attempt + 1) : blob;
      });
    }
    return tryQuality(0);
  }

  function shrink(file) {
    if (!/^image\//.test(file.type) && !/\.(jpe?g|png|heic|heif)$/i.test(file.name)) {
      return Promise.resolve(file);
    }
    return decode(file).then(function (image) {
      const scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
      return encode(image, image.width * scale, image.height * scale, 0).then(function (blob) {
        if (image.close) {
          image.close();
        }
        // Keep the original when it is already small and no larger than the copy.
        if (!blob || (scale === 1 && file.type === 'image/jpeg' && file.size <= blob.size)) {
          return file;
        }
        return new File([blob], jpegName(file.name), { type: 'image/jpeg', lastModified: file.lastModified });
      });
    }).catch(function () {
      return file; // the server decides (HEIC, or not a photo at all)
    });
  }

  /* ---------- one input ---------- */

  function setup(root, field) {
    const input = field.querySelector('input[type="file"]');
    const list = field.querySelector('[data-upload-list]');
    const status = field.querySelector('[data-upload-status]');
    if (!input || !list || typeof DataTransfer === 'undefined') {
      return;
    }
    const text = function (name) { return root.getAttribute('data-text-' + name) || ''; };
    const isPhotos = field.getAttribute('data-upload-field') === 'photos';
    const key = location.pathname + '|' + input.name;
    const form = input.form;
    let chosen = [];
    let working = 0;
    let urls = [];

    function submitButtons() {
      return form ? Array.from(form.querySelectorAll('button[type="submit"], button:not([type])')) : [];
    }

    function busy(delta) {
      working += delta;
      submitButtons().forEach(function (button) { button.disabled = working > 0; });
      if (working > 0) {
        status.textContent = text('working');
      }
    }

    function render(note) {
      const transfer = new DataTransfer();
      chosen.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
      urls = [];
      list.replaceChildren();
      chosen.forEach(function (file, index) {
        const item = document.createElement('li');
        item.className = isPhotos ? 'yl-thumb' : 'yl-file-chip';
        if (isPhotos && /^image\/(jpeg|png|gif|webp)$/.test(file.type)) {
          const img = document.createElement('img');
          const url = URL.createObjectURL(file);
          urls.push(url);
          img.src = url;
          img.alt = file.name;
          item.appendChild(img);
        } else {
          const name = document.createElement('span');
          name.className = 'yl-file-name';
          name.textContent = file.name;
          item.appendChild(name);
        }
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'btn btn-outline-danger yl-remove';
        remove.textContent = text('remove');
        remove.setAttribute('aria-label', text('remove') + ' ' + file.name);
        remove.addEventListener('click', function () {
          chosen.splice(index, 1);
          render();
          save();
          input.focus();
        });
        item.appendChild(remove);
        list.appendChild(item);
      });
      const count = chosen.length ? text('chosen').replace('{n}', String(chosen.length)) : '';
      status.textContent = [note || '', count].filter(Boolean).join(' ');
    }

    function save() {
      return chosen.length ? keep(key, chosen) : forget(key);
    }

    input.addEventListener('change', function () {
      const picked = Array.from(input.files || []);
      if (!picked.length) {
        render(); // the browser emptied the input: show (and send) what was kept
        return;
      }
      busy(1);
      Promise.all(picked.map(isPhotos ? shrink : function (file) { return Promise.resolve(file); }))
        .then(function (files) {
          chosen = chosen.concat(files);
          render();
          return save();
        })
        .finally(function () { busy(-1); render(); });
    });

    if (root.getAttribute('data-form-invalid') === '1') {
      recall(key).then(function (entry) {
        if (entry && entry.files && entry.files.length && Date.now() - entry.at < KEEP_MS) {
          chosen = entry.files.map(function (f) {
            return f instanceof File ? f : new File([f], f.name || 'file', { type: f.type });
          });
          render(text('kept'));
        }
      });
    } else {
      forget(key); // a fresh form: nothing of an earlier visit comes back
    }
  }

  function init() {
    document.querySelectorAll('[data-uploads]').forEach(function (root) {
      if (root.hasAttribute('data-uploads-ready')) {
        return;
      }
      root.setAttribute('data-uploads-ready', '');
      root.querySelectorAll('[data-upload-field]').forEach(function (field) { setup(root, field); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
