// The search page: plain DOM, no framework and no CDN. Talks to POST /v1/search (JSON for text, multipart for an
// uploaded image), loads thumbnails with fetch() so the API key header goes along (an <img src> cannot send it), and
// plays videos from a signed content link (POST /v1/media/{id}/content/link), because a <video src> cannot send it
// either. The text search lives in the URL (?q=&modalities=&size=&raw=1): shareable, and back/forward replay it.
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const form = $('search-form'), query = $('query'), drop = $('drop'), file = $('file');
  const statusLine = $('status'), errorBox = $('error'), errorText = $('error-text'), retry = $('retry');
  const results = $('results'), modelBadge = $('model'), intro = $('intro'), empty = $('empty');
  const viewer = $('viewer'), viewerTitle = $('viewer-title'), viewerBody = $('viewer-body');
  const apiKey = $('apikey'), topK = $('topk'), raw = $('raw');
  const MODALITIES = ['IMAGE', 'VIDEO', 'DOCUMENT', 'TEXT'];
  const PAGE_SIZES = [...topK.options].map((o) => o.value);
  const EXCERPT_CHARS = 280;
  apiKey.value = localStorage.getItem('tessera.apiKey') || '';
  apiKey.addEventListener('change', () => localStorage.setItem('tessera.apiKey', apiKey.value.trim()));
  const objectUrls = [];
  let lastSearch = null;   // what "Try again" repeats
  let inFlight = null;     // the AbortController of the search being answered
  let lastTerms = [];

  function headers() {
    const h = {};
    const key = apiKey.value.trim();
    if (key) h['X-Api-Key'] = key;
    return h;
  }

  // ------------------------------------------------------------------ the URL is the state of a text search

  function formState() {
    return {
      q: query.value.trim(),
      modalities: [...document.querySelectorAll('input[name=modality]:checked')].map((c) => c.value),
      size: topK.value,
      raw: raw.checked,
    };
  }

  function stateFromUrl() {
    const p = new URLSearchParams(location.search);
    const modalities = (p.get('modalities') || '').split(',').map((m) => m.trim().toUpperCase())
      .filter((m) => MODALITIES.includes(m));
    const size = PAGE_SIZES.includes(p.get('size')) ? p.get('size') : '10';
    return { q: (p.get('q') || '').trim(), modalities, size, raw: p.get('raw') === '1' };
  }

  function urlOf(state) {
    const p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    if (state.modalities.length) p.set('modalities', state.modalities.join(','));
    if (state.size !== '10') p.set('size', state.size);
    if (state.raw) p.set('raw', '1');
    const s = p.toString();
    return location.pathname + (s ? '?' + s : '');
  }

  function applyToForm(state) {
    query.value = state.q;
    document.querySelectorAll('input[name=modality]').forEach((c) => { c.checked = state.modalities.includes(c.value); });
    topK.value = state.size;
    raw.checked = state.raw;
  }

  /** Searches what the form says, recording it in the history unless it is already the current entry. */
  function submitText(push) {
    const state = formState();
    if (!state.q) {
      showError('Type what you are looking for, or drop an image.', false);
      query.focus();
      return;
    }
    const url = urlOf(state);
    if (push && url !== location.pathname + location.search) history.pushState(state, '', url);
    searchText(state);
  }

  function restoreFromUrl() {
    const state = stateFromUrl();
    applyToForm(state);
    if (state.q) {
      searchText(state);
    } else {
      if (inFlight) inFlight.abort();
      clearResults();
      hideError();
      statusLine.textContent = '';
      intro.hidden = false;
    }
  }

  // ------------------------------------------------------------------ searching

  function searchText(state) {
    const body = { text: state.q, modalities: state.modalities, topK: Number(state.size), rawSegments: state.raw };
    run({ method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, headers()),
          body: JSON.stringify(body) }, '“' + state.q + '”', state.q);
  }

  function searchImage(blob, name) {
    const data = new FormData();
    data.append('image', blob, name || 'query-image');
    const o = formState();
    o.modalities.forEach((m) => data.append('modalities', m));
    data.append('topK', o.size);
    data.append('rawSegments', String(o.raw));
    run({ method: 'POST', headers: headers(), body: data }, 'by image ' + (name || ''), '');
  }

  async function run(request, label, text) {
    if (inFlight) inFlight.abort();
    const controller = new AbortController();
    inFlight = controller;
    lastSearch = () => run(request, label, text);
    hideError();
    intro.hidden = true;
    empty.hidden = true;
    statusLine.textContent = 'Searching ' + label + '…';
    statusLine.classList.add('busy');
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch('/v1/search', Object.assign({ signal: controller.signal }, request));
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new Error((body.message || response.statusText || 'the search failed')
          + (body.error ? ' (' + body.error + ')' : ''));
      }
      if (controller !== inFlight) return;
      render(body, label, text);
    } catch (e) {
      if (e.name === 'AbortError') return;
      statusLine.textContent = '';
      clearResults();
      showError(e.message === 'Failed to fetch' ? 'The search service cannot be reached. Is it running?' : e.message, true);
    } finally {
      if (controller === inFlight) {
        inFlight = null;
        statusLine.classList.remove('busy');
        results.removeAttribute('aria-busy');
      }
    }
  }

  function showError(message, canRetry) {
    errorText.textContent = message;
    retry.hidden = !canRetry;
    errorBox.hidden = false;
  }

  function hideError() {
    errorBox.hidden = true;
  }

  function clearResults() {
    objectUrls.splice(0).forEach((u) => URL.revokeObjectURL(u));
    results.replaceChildren();
    empty.hidden = true;
  }

  // ------------------------------------------------------------------ results

  function render(body, label, text) {
    clearResults();
    lastTerms = terms(text);
    if (body.model) {
      modelBadge.textContent = body.model.name + ' v' + body.model.version;
      modelBadge.dataset.version = body.model.version;
    }
    const hits = body.hits || [];
    statusLine.textContent = hits.length + ' result' + (hits.length === 1 ? '' : 's') + ' for ' + label
      + (body.model ? ' · model ' + body.model.name + ' v' + body.model.version : ' · nothing indexed yet')
      + (body.fusion && body.fusion !== 'none' ? ' · modalities merged by ' + body.fusion : '')
      + ' · ' + body.tookMs + ' ms';
    if (!hits.length) {
      $('empty-for').textContent = text ? ' for “' + text + '”' : '';
      empty.hidden = false;
      return;
    }
    const template = $('hit-template');
    hits.forEach((hit, i) => results.appendChild(card(template, hit, i)));
  }

  function card(template, hit, i) {
    const li = template.content.firstElementChild.cloneNode(true);
    li.dataset.mediaId = hit.mediaId;
    li.dataset.modality = hit.modality;
    li.dataset.rank = String(i + 1);
    const attrs = hit.attributes || {};
    const name = attrs.title || attrs.filename || attrs.name || hit.mediaId;
    const titleId = 'hit-title-' + (i + 1);
    li.querySelector('.title').id = titleId;
    li.setAttribute('aria-labelledby', titleId);
    li.querySelector('.modality').textContent = hit.modality;
    li.querySelector('.name').textContent = name;
    li.querySelector('.score').textContent = 'score ' + hit.score.toFixed(3);
    li.querySelector('.score').title = 'cosine similarity to the query';
    if (hit.fusedScore != null) {
      li.querySelector('.fused').textContent = 'rank ' + hit.fusedScore.toFixed(2);
      li.querySelector('.fused').title = 'the score the modalities were merged by';
    }
    li.querySelector('.media-id').textContent = hit.mediaId;
    li.querySelector('.where').textContent = where(hit);
    const segments = hit.moments || hit.pages || hit.chunks || [];
    // The match shown first: the best row, which is the first segment when the best row is one.
    const best = segments.find((s) => s.segment === hit.segment) || hit;
    const state = { hit, at: best, name };
    li.tessera = state;
    const list = li.querySelector('.segments');
    segments.forEach((s) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'segment' + (s === best ? ' active' : '');
      b.textContent = describe(hit.modality, s);
      b.setAttribute('aria-pressed', String(s === best));
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        list.querySelectorAll('button').forEach((x) => { x.classList.remove('active'); x.setAttribute('aria-pressed', 'false'); });
        b.classList.add('active');
        b.setAttribute('aria-pressed', 'true');
        state.at = s;
        if (hit.modality === 'VIDEO') {
          open(li);
        } else {
          showPassage(li, passageFor(hit, s, []));
          loadThumb(li, hit, s);
        }
      });
      list.appendChild(document.createElement('li')).appendChild(b);
    });
    const dl = li.querySelector('.attributes');
    Object.keys(attrs).sort().forEach((k) => {
      dl.appendChild(document.createElement('dt')).textContent = k;
      dl.appendChild(document.createElement('dd')).textContent = attrs[k];
    });
    const thumb = li.querySelector('.thumb');
    li.querySelector('.placeholder').textContent = hit.modality;
    if (hit.modality === 'VIDEO') {
      const play = document.createElement('span');
      play.className = 'play';
      play.setAttribute('aria-hidden', 'true');
      play.textContent = '▶';
      thumb.appendChild(play);
    }
    showPassage(li, passageFor(hit, best, segments));
    if (hit.modality === 'TEXT') {
      thumb.hidden = true;
      li.classList.add('textual');
      li.dataset.thumb = 'none';
    } else {
      li.dataset.thumb = 'pending';
      loadThumb(li, hit, best);
    }
    li.addEventListener('click', (e) => {
      if (e.target.closest('button, summary, a, details > *:not(summary)')) return;
      open(li);
    });
    li.addEventListener('keydown', (e) => {
      if (e.target !== li) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open(li);
      } else if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'Home', 'End'].includes(e.key)) {
        e.preventDefault();
        const cards = [...results.children];
        const at = cards.indexOf(li);
        const next = e.key === 'Home' ? 0 : e.key === 'End' ? cards.length - 1
          : at + (e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1);
        if (cards[next]) cards[next].focus();
      }
    });
    return li;
  }

  /**
   * The text to show with a match: its own; for a best page without text (a chart), the text of the next listed
   * page that has some, named; else the item's. Null when there is none (pictures, items indexed before passages).
   */
  function passageFor(hit, at, segments) {
    if (at.passage) return { text: at.passage };
    const other = segments.find((s) => s !== at && s.passage);
    if (other) return { text: other.passage, from: where(Object.assign({ modality: hit.modality }, other)) };
    return hit.passage ? { text: hit.passage } : null;
  }

  function showPassage(li, passage) {
    const p = li.querySelector('.passage');
    if (!passage) {
      p.hidden = true;
      p.replaceChildren();
      return;
    }
    p.hidden = false;
    const nodes = highlighted(excerpt(passage.text, lastTerms, EXCERPT_CHARS), lastTerms);
    if (passage.from) {
      const from = document.createElement('span');
      from.className = 'passage-from';
      from.textContent = passage.from + ': ';
      nodes.unshift(from);
    }
    p.replaceChildren(...nodes);
  }

  function where(hit) {
    if (hit.modality === 'VIDEO' && hit.startMs != null) return 'at ' + formatMs(hit.startMs);
    if (hit.modality === 'DOCUMENT' && hit.page != null) return 'page ' + hit.page;
    if (hit.modality === 'TEXT' && hit.segment >= 0) return 'chunk ' + (hit.segment + 1);
    return '';
  }

  function describe(modality, s) {
    if (modality === 'VIDEO' && s.startMs != null) {
      return formatMs(s.startMs) + '–' + formatMs(s.endMs) + ' · ' + s.score.toFixed(3);
    }
    if (modality === 'DOCUMENT' && s.page != null) return 'page ' + s.page + ' · ' + s.score.toFixed(3);
    return 'chunk ' + (s.segment + 1) + ' · ' + s.score.toFixed(3);
  }

  function formatMs(ms) {
    const s = ms / 1000, m = Math.floor(s / 60);
    return m + ':' + (s - m * 60).toFixed(1).padStart(4, '0');
  }

  async function loadThumb(li, hit, at) {
    const params = new URLSearchParams();
    if (hit.modality === 'VIDEO' && at && at.startMs != null) params.set('atMs', String(at.startMs));
    if (hit.modality === 'DOCUMENT' && at && at.page != null) params.set('page', String(at.page));
    try {
      const r = await fetch('/v1/media/' + encodeURIComponent(hit.mediaId) + '/thumbnail?' + params, { headers: headers() });
      if (!r.ok) {
        li.dataset.thumb = 'none';
        return;
      }
      const url = URL.createObjectURL(await r.blob());
      objectUrls.push(url);
      const img = document.createElement('img');
      img.alt = hit.modality.toLowerCase() + ' ' + hit.mediaId + (at && at.page != null ? ', page ' + at.page : '');
      img.addEventListener('load', () => { li.dataset.thumb = 'loaded'; }, { once: true });
      img.addEventListener('error', () => { li.dataset.thumb = 'none'; }, { once: true });
      img.src = url;
      const thumb = li.querySelector('.thumb');
      thumb.querySelectorAll('img, .placeholder').forEach((x) => x.remove());
      thumb.prepend(img);
    } catch (e) {
      // No thumbnail is fine: the placeholder stays.
      li.dataset.thumb = 'none';
    }
  }

  // ------------------------------------------------------------------ passages and highlighting

  const STOP = new Set(['the', 'and', 'for', 'with', 'from', 'that', 'this', 'are', 'was', 'its', 'of', 'in', 'on', 'at',
    'to', 'an', 'or', 'is', 'by', 'as', 'it', 'be']);

  /** The query's words worth marking (no stop words, no single letters), longest first so "reds" wins over "red". */
  function terms(text) {
    const words = (text || '').toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
    return [...new Set(words.filter((w) => w.length > 1 && !STOP.has(w)))].sort((a, b) => b.length - a.length);
  }

  function termPattern(words) {
    if (!words.length) return null;
    const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    // A word that starts with a query word ("circle" marks "circles"), never the middle of a word.
    return new RegExp('(?<![\\p{L}\\p{N}])(?:' + escaped.join('|') + ')[\\p{L}\\p{N}]*', 'giu');
  }

  /** About {@code max} characters around the first query word, cut at spaces, with an ellipsis where cut. */
  function excerpt(text, words, max) {
    if (text.length <= max) return text;
    const re = termPattern(words);
    const m = re ? re.exec(text) : null;
    let start = m ? Math.max(0, m.index - Math.floor(max / 3)) : 0;
    if (start > 0) {
      const space = text.indexOf(' ', start);
      start = space >= 0 && space < (m ? m.index : start + 20) ? space + 1 : start;
    }
    let end = Math.min(text.length, start + max);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      end = space > start ? space : end;
    }
    return (start > 0 ? '… ' : '') + text.slice(start, end) + (end < text.length ? ' …' : '');
  }

  /** Text nodes and <mark>s: never innerHTML, whatever a publisher put in a passage. */
  function highlighted(text, words) {
    const re = termPattern(words);
    if (!re) return [document.createTextNode(text)];
    const out = [];
    let last = 0;
    for (const m of text.matchAll(re)) {
      if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
      const mark = document.createElement('mark');
      mark.textContent = m[0];
      out.push(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(document.createTextNode(text.slice(last)));
    return out;
  }

  // ------------------------------------------------------------------ the viewer: a video from its moment, a page, a text

  async function contentLink(mediaId) {
    const r = await fetch('/v1/media/' + encodeURIComponent(mediaId) + '/content/link', { method: 'POST', headers: headers() });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.message || r.statusText);
    return body.url;
  }

  async function open(li) {
    const { hit, at, name } = li.tessera;
    closeViewer();
    viewer.returnFocus = li;
    const place = where(Object.assign({ modality: hit.modality }, at));
    viewerTitle.textContent = hit.modality.toLowerCase() + ' · ' + name + (place ? ' · ' + place : '');
    viewerBody.replaceChildren();
    const passage = at.passage || (at === hit || hit.modality === 'TEXT' ? hit.passage : null);
    if (hit.modality === 'VIDEO') {
      const video = document.createElement('video');
      video.id = 'player';
      video.controls = true;
      video.playsInline = true;
      video.preload = 'auto';
      video.setAttribute('aria-label', 'video ' + name);
      const startS = (at.startMs != null ? at.startMs : 0) / 1000;
      video.dataset.startS = String(startS);
      viewerBody.appendChild(video);
      const note = document.createElement('p');
      note.className = 'viewer-note';
      note.textContent = at.startMs != null ? 'Playing from ' + formatMs(at.startMs) + ' (the matching moment ends at '
        + formatMs(at.endMs) + ').' : 'Playing from the start.';
      viewerBody.appendChild(note);
      viewer.showModal();
      try {
        const url = await contentLink(hit.mediaId);
        // The media fragment starts the download at the moment; currentTime makes sure where playback starts.
        video.addEventListener('loadedmetadata', () => {
          if (Math.abs(video.currentTime - startS) > 0.25) video.currentTime = startS;
          video.play().catch(() => { /* autoplay refused: the controls are there */ });
        }, { once: true });
        video.src = url + '#t=' + startS.toFixed(3);
      } catch (e) {
        note.textContent = 'The video cannot be played: ' + e.message;
        note.classList.add('error');
      }
    } else {
      const img = li.querySelector('.thumb img');
      if (img) {
        const big = document.createElement('img');
        big.src = img.src;
        big.alt = img.alt;
        big.className = 'viewer-image';
        viewerBody.appendChild(big);
      }
      if (passage) {
        const p = document.createElement('p');
        p.className = 'viewer-passage';
        p.replaceChildren(...highlighted(passage, lastTerms));
        viewerBody.appendChild(p);
      }
      if (hit.modality !== 'TEXT') {
        const a = document.createElement('a');
        a.className = 'viewer-link';
        a.textContent = hit.modality === 'DOCUMENT' ? 'Open the document' + (at.page != null ? ' at page ' + at.page : '')
          : 'Open the full image';
        a.target = '_blank';
        a.rel = 'noopener';
        a.href = '#';
        a.addEventListener('click', async (e) => {
          e.preventDefault();
          try {
            const url = await contentLink(hit.mediaId);
            window.open(url + (at.page != null ? '#page=' + at.page : ''), '_blank', 'noopener');
          } catch (err) {
            a.textContent = 'Cannot open it: ' + err.message;
          }
        });
        viewerBody.appendChild(a);
      }
      viewer.showModal();
    }
  }

  function closeViewer() {
    const video = viewerBody.querySelector('video');
    if (video) {
      video.pause();
      video.removeAttribute('src');
      video.load();
    }
    if (viewer.open) viewer.close();
  }

  $('viewer-close').addEventListener('click', closeViewer);
  viewer.addEventListener('close', () => {
    const video = viewerBody.querySelector('video');
    if (video) video.pause();
    if (viewer.returnFocus && document.contains(viewer.returnFocus)) viewer.returnFocus.focus();
  });
  viewer.addEventListener('click', (e) => { if (e.target === viewer) closeViewer(); });

  // ------------------------------------------------------------------ wiring

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submitText(true);
  });
  // Changing an option refines the search on screen at once (and records it), as a person expects of a filter; while
  // a new query is being typed, options wait for Search.
  [...document.querySelectorAll('input[name=modality]'), topK, raw].forEach((c) => c.addEventListener('change', () => {
    const shown = stateFromUrl().q;
    if (shown && query.value.trim() === shown) submitText(true);
  }));
  retry.addEventListener('click', () => { if (lastSearch) lastSearch(); });
  window.addEventListener('popstate', restoreFromUrl);
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
  restoreFromUrl();
})();
