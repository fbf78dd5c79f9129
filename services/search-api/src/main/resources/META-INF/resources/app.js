// The search page: plain DOM, no framework and no CDN. Talks to POST /v1/search (JSON for text, multipart for an
// uploaded image) and loads thumbnails with fetch() so the API key header goes along (an <img src> cannot send it).
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const form = $('search-form'), query = $('query'), drop = $('drop'), file = $('file');
  const statusLine = $('status'), errorBox = $('error'), results = $('results'), modelBadge = $('model');
  const apiKey = $('apikey');
  apiKey.value = localStorage.getItem('tessera.apiKey') || '';
  apiKey.addEventListener('change', () => localStorage.setItem('tessera.apiKey', apiKey.value.trim()));
  const objectUrls = [];

  function headers() {
    const h = {};
    const key = apiKey.value.trim();
    if (key) h['X-Api-Key'] = key;
    return h;
  }

  function options() {
    const modalities = [...document.querySelectorAll('input[name=modality]:checked')].map((c) => c.value);
    return { modalities, topK: Number($('topk').value), rawSegments: $('raw').checked };
  }

  function formatMs(ms) {
    const s = ms / 1000, m = Math.floor(s / 60);
    return m + ':' + (s - m * 60).toFixed(1).padStart(4, '0');
  }

  async function run(request, label) {
    errorBox.hidden = true;
    statusLine.textContent = 'Searching ' + label + '…';
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch('/v1/search', request);
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new Error((body.message || response.statusText) + (body.error ? ' (' + body.error + ')' : ''));
      }
      render(body, label);
    } catch (e) {
      statusLine.textContent = '';
      errorBox.textContent = e.message;
      errorBox.hidden = false;
    } finally {
      results.removeAttribute('aria-busy');
    }
  }

  function searchText(text) {
    const body = Object.assign({ text }, options());
    run({ method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, headers()),
          body: JSON.stringify(body) }, '“' + text + '”');
  }

  function searchImage(blob, name) {
    const data = new FormData();
    data.append('image', blob, name || 'query-image');
    const o = options();
    o.modalities.forEach((m) => data.append('modalities', m));
    data.append('topK', String(o.topK));
    data.append('rawSegments', String(o.rawSegments));
    run({ method: 'POST', headers: headers(), body: data }, 'by image ' + (name || ''));
  }

  function render(body, label) {
    objectUrls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    results.replaceChildren();
    if (body.model) {
      modelBadge.textContent = body.model.name + ' v' + body.model.version;
      modelBadge.dataset.version = body.model.version;
    }
    const hits = body.hits || [];
    statusLine.textContent = hits.length + ' result' + (hits.length === 1 ? '' : 's') + ' for ' + label
      + (body.model ? ' · model ' + body.model.name + ' v' + body.model.version : ' · nothing indexed yet')
      + ' · ' + body.tookMs + ' ms';
    const template = $('hit-template');
    hits.forEach((hit, i) => {
      const li = template.content.firstElementChild.cloneNode(true);
      li.dataset.mediaId = hit.mediaId;
      li.dataset.modality = hit.modality;
      li.dataset.rank = String(i + 1);
      li.querySelector('.modality').textContent = hit.modality;
      const attrs = hit.attributes || {};
      li.querySelector('.name').textContent = attrs.title || attrs.filename || attrs.name || hit.mediaId;
      li.querySelector('.score').textContent = 'score ' + hit.score.toFixed(3);
      li.querySelector('.media-id').textContent = hit.mediaId;
      li.querySelector('.where').textContent = where(hit);
      const segments = hit.moments || hit.pages || hit.chunks || [];
      const list = li.querySelector('.segments');
      segments.forEach((s) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'segment';
        b.textContent = describe(hit.modality, s);
        b.addEventListener('click', () => {
          list.querySelectorAll('button').forEach((x) => x.classList.remove('active'));
          b.classList.add('active');
          loadThumb(li, hit, s);
        });
        list.appendChild(document.createElement('li')).appendChild(b);
      });
      const dl = li.querySelector('.attributes');
      Object.keys(attrs).sort().forEach((k) => {
        dl.appendChild(document.createElement('dt')).textContent = k;
        dl.appendChild(document.createElement('dd')).textContent = attrs[k];
      });
      li.querySelector('.placeholder').textContent = hit.modality;
      results.appendChild(li);
      loadThumb(li, hit, segments[0] || hit);
    });
  }

  function where(hit) {
    if (hit.modality === 'VIDEO' && hit.startMs != null) return 'at ' + formatMs(hit.startMs);
    if (hit.modality === 'DOCUMENT' && hit.page != null) return 'page ' + hit.page;
    return '';
  }

  function describe(modality, s) {
    if (modality === 'VIDEO' && s.startMs != null) {
      return formatMs(s.startMs) + '–' + formatMs(s.endMs) + ' · ' + s.score.toFixed(3);
    }
    if (modality === 'DOCUMENT' && s.page != null) return 'page ' + s.page + ' · ' + s.score.toFixed(3);
    return 'chunk ' + (s.segment + 1) + ' · ' + s.score.toFixed(3);
  }

  async function loadThumb(li, hit, at) {
    if (hit.modality === 'TEXT') return;
    const params = new URLSearchParams();
    if (hit.modality === 'VIDEO' && at && at.startMs != null) params.set('atMs', String(at.startMs));
    if (hit.modality === 'DOCUMENT' && at && at.page != null) params.set('page', String(at.page));
    try {
      const r = await fetch('/v1/media/' + encodeURIComponent(hit.mediaId) + '/thumbnail?' + params, { headers: headers() });
      if (!r.ok) return;
      const url = URL.createObjectURL(await r.blob());
      objectUrls.push(url);
      const img = document.createElement('img');
      img.alt = hit.modality.toLowerCase() + ' ' + hit.mediaId;
      img.src = url;
      li.querySelector('.thumb').replaceChildren(img);
    } catch (e) {
      // No thumbnail is fine: the placeholder stays.
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = query.value.trim();
    if (!text) {
      errorBox.textContent = 'Type what you are looking for, or drop an image.';
      errorBox.hidden = false;
      return;
    }
    searchText(text);
  });
  drop.addEventListener('click', () => file.click());
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); file.click(); } });
  file.addEventListener('change', () => { if (file.files[0]) searchImage(file.files[0], file.files[0].name); file.value = ''; });
  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('over')));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    const f = e.dataTransfer.files[0];
    if (f) searchImage(f, f.name);
  });
})();
