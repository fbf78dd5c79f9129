// Drives the results page in Debian's headless Chromium, the way a person uses it, and takes the screenshot that
// SearchPageIT compares with the checked-in reference. Run by SearchPageIT:
//   node results-page.mjs '<json spec>'   (see SearchPageIT#resultsPageInHeadlessChromium for the fields)
// Checks, in order: the first visit (no query) invites a search; a shared URL (?q=&modalities=&size=) reproduces the
// search in the API's order with several modalities interleaved; text and document hits show their passage with
// the query's words marked; keyboard only: Tab reaches a card, Enter opens a video at its moment in an HTML5 player
// fed by range requests (206), Escape closes and gives focus back; back/forward replay earlier searches; the
// loading, empty and error states (the API answer held back, empty, or failing, through request interception).
// Prints one JSON line with what it saw; exits 0 when every check passed, 1 otherwise.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const spec = JSON.parse(process.argv[2]);
const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
const seen = {};
let failed = null;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: spec.chromium || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  deviceScaleFactor: 1,
  reducedMotion: 'reduce',
  locale: 'en-GB',
  timezoneId: 'UTC',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--font-render-hinting=none',
         '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
         '--autoplay-policy=no-user-gesture-required'],
  timeout: 60000,
});
try {
  // The key is in the browser already, as for a returning user: the shared URL alone must reproduce the search.
  await context.addInitScript((key) => localStorage.setItem('tessera.apiKey', key), spec.apiKey);
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  const origin = new URL(spec.url).origin;
  const foreign = [];
  const contentResponses = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:')) return route.fallback();
    foreign.push(u);
    return route.abort();
  });
  page.on('response', (r) => {
    if (/\/v1\/media\/[^/]+\/content(\?|$)/.test(r.url())) {
      contentResponses.push({ status: r.status(), range: r.headers()['content-range'] || null,
                              acceptRanges: r.headers()['accept-ranges'] || null });
    }
  });
  const cards = page.locator('#results li.hit');
  const ids = async () => cards.evaluateAll((els) => els.map((e) => e.dataset.mediaId));
  const waitForResults = async () => {
    await page.waitForFunction(() => !document.querySelector('#results').hasAttribute('aria-busy')
      && /results? for/.test(document.querySelector('#status').textContent));
  };
  const apiOrder = async (q, modalities, size) => page.evaluate(async ([q, modalities, size, key]) => {
    const r = await fetch('/v1/search', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
      body: JSON.stringify({ text: q, modalities, topK: size }) });
    const b = await r.json();
    return { ids: b.hits.map((h) => h.mediaId), modalities: b.hits.map((h) => h.modality), fusion: b.fusion };
  }, [q, modalities, size, spec.apiKey]);

  // 1. A first visit: an invitation, no results, nothing searched.
  await page.goto(spec.url);
  check(await page.locator('#intro').isVisible(), 'the first visit shows no invitation');
  check(await cards.count() === 0, 'results before any search');

  // 2. A shared URL reproduces the search: same order as the API, modalities interleaved by the fused ranking.
  const shared = spec.url + '?q=' + encodeURIComponent(spec.mixedText) + '&size=20';
  await page.goto(shared);
  await waitForResults();
  seen.sharedQuery = await page.inputValue('#query');
  seen.sharedSize = await page.inputValue('#topk');
  check(seen.sharedQuery === spec.mixedText, 'the URL did not fill the query box: ' + seen.sharedQuery);
  check(seen.sharedSize === '20', 'the URL did not set the page size: ' + seen.sharedSize);
  seen.mixedOrder = await ids();
  const expected = await apiOrder(spec.mixedText, [], 20);
  seen.apiOrder = expected.ids;
  seen.fusion = expected.fusion;
  check(JSON.stringify(seen.mixedOrder) === JSON.stringify(expected.ids), 'page order ' + seen.mixedOrder
        + ' differs from the API order ' + expected.ids);
  seen.mixedModalities = await cards.evaluateAll((els) => els.map((e) => e.dataset.modality));
  check(new Set(seen.mixedModalities).size >= 3, 'fewer than 3 modalities shown: ' + seen.mixedModalities);
  check(await cards.first().locator('.fused').textContent() !== '', 'the fused rank score is not shown');

  // 3. Passages with the query's words marked: a document page's text and a text.
  await page.fill('#query', spec.passageText);
  await page.check('input[name=modality][value=DOCUMENT]');
  await page.check('input[name=modality][value=TEXT]');
  await page.click('#search');
  await page.waitForURL((u) => u.searchParams.get('q') === spec.passageText);
  await waitForResults();
  seen.passageUrl = page.url();
  check(new URL(seen.passageUrl).searchParams.get('modalities') === 'DOCUMENT,TEXT', 'modalities not in the URL: ' + seen.passageUrl);
  const doc = page.locator('#results li.hit[data-modality="DOCUMENT"]').first();
  const text = page.locator('#results li.hit[data-modality="TEXT"]').first();
  seen.documentPassage = await doc.locator('.passage').textContent();
  seen.documentMarks = await doc.locator('.passage mark').allTextContents();
  seen.textPassage = await text.locator('.passage').textContent();
  seen.textMarks = await text.locator('.passage mark').allTextContents();
  check(seen.documentPassage.includes(spec.expectDocumentPassage), 'document passage: ' + seen.documentPassage);
  check(seen.textPassage.includes(spec.expectTextPassage), 'text passage: ' + seen.textPassage);
  for (const word of spec.expectMarked) {
    check(seen.documentMarks.concat(seen.textMarks).some((m) => m.toLowerCase() === word), 'no mark on "' + word
          + '": ' + seen.documentMarks + ' / ' + seen.textMarks);
  }

  // 4. Keyboard only: Tab to the video card, Enter plays it from its moment; Escape closes and focus comes back.
  await page.fill('#query', spec.videoText);
  await page.uncheck('input[name=modality][value=DOCUMENT]');
  await page.uncheck('input[name=modality][value=TEXT]');
  await page.check('input[name=modality][value=VIDEO]');
  await page.click('#search');
  await page.waitForURL((u) => u.searchParams.get('q') === spec.videoText && u.searchParams.get('modalities') === 'VIDEO');
  await waitForResults();
  const video = page.locator('#results li.hit[data-media-id="' + spec.expectVideo + '"]');
  await video.waitFor();
  seen.videoMoments = await video.locator('.segments button').allTextContents();
  await page.focus('#query');
  let tabs = 0;
  while (tabs < 40 && !(await page.evaluate((id) => document.activeElement?.dataset?.mediaId === id, spec.expectVideo))) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  seen.tabsToVideo = tabs;
  check(tabs < 40, 'Tab never reached the video card');
  seen.focusOutline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(seen.focusOutline !== 'none', 'the focused card has no visible outline');
  const activeMoment = video.locator('.segments button.active');
  const momentStartS = await activeMoment.count() ? parseClock(await activeMoment.textContent())
    : parseClock((await video.locator('.where').textContent()).replace(/^at /, ''));
  seen.momentStartS = momentStartS;
  await page.keyboard.press('Enter');
  const player = page.locator('dialog#viewer[open] video#player');
  await player.waitFor();
  await page.waitForFunction(() => {
    const v = document.querySelector('#player');
    return v && (v.readyState >= 1 || v.error);
  }, null, { timeout: 30000 });
  seen.player = await player.evaluate((v) => ({ readyState: v.readyState, error: v.error && v.error.code,
    currentTime: v.currentTime, duration: v.duration, src: v.currentSrc.replace(/signature=[^&#]+/, 'signature=…') }));
  check(!seen.player.error, 'the video does not play: media error ' + seen.player.error);
  await page.waitForFunction((start) => Math.abs(document.querySelector('#player').currentTime - start) < 0.6
    || document.querySelector('#player').currentTime > start, momentStartS);
  seen.player.currentTimeAfterSeek = await player.evaluate((v) => v.currentTime);
  check(seen.player.currentTimeAfterSeek >= momentStartS - 0.3, 'the player starts at ' + seen.player.currentTimeAfterSeek
        + ' s, not at the moment (' + momentStartS + ' s)');
  seen.contentResponses = contentResponses.slice(0, 5);
  check(contentResponses.some((r) => r.status === 206 && /^bytes \d+-\d+\/\d+$/.test(r.range || '')),
        'no range request was answered 206: ' + JSON.stringify(contentResponses));
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#viewer').open);
  seen.focusBack = await page.evaluate(() => document.activeElement?.dataset?.mediaId);
  check(seen.focusBack === spec.expectVideo, 'focus did not return to the card: ' + seen.focusBack);

  // 5. Back and forward replay the searches the URL recorded.
  await page.goBack();
  await page.waitForFunction((q) => document.querySelector('#query').value === q, spec.passageText);
  await waitForResults();
  seen.backModalities = await page.locator('input[name=modality]:checked').evaluateAll((els) => els.map((e) => e.value));
  check(JSON.stringify(seen.backModalities) === '["DOCUMENT","TEXT"]', 'back restored modalities ' + seen.backModalities);
  check(await page.locator('#results li.hit[data-modality="VIDEO"]').count() === 0, 'back shows video results');
  await page.goForward();
  await page.waitForFunction((q) => document.querySelector('#query').value === q, spec.videoText);
  await waitForResults();
  check(await video.count() === 1, 'forward did not bring the video search back');

  // 6. Loading, empty and error states (the API's answer held back, empty, failing).
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route('**/v1/search', async (route) => { await held; await route.fallback(); });
  await page.fill('#query', 'held back');
  await page.click('#search');
  await page.waitForFunction(() => document.querySelector('#results').getAttribute('aria-busy') === 'true'
    && document.querySelector('#status').classList.contains('busy'));
  seen.loadingStatus = await page.locator('#status').textContent();
  release();
  await waitForResults();
  await page.unroute('**/v1/search');
  await page.route('**/v1/search', (route) => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify({ model: { name: 'tessera-tiny', version: 1 }, hits: [], tookMs: 1 }) }));
  await page.fill('#query', 'nothing like this');
  await page.click('#search');
  await page.locator('#empty').waitFor({ state: 'visible' });
  seen.emptyText = (await page.locator('#empty').textContent()).replace(/\s+/g, ' ').trim();
  check(seen.emptyText.includes('nothing like this'), 'empty state: ' + seen.emptyText);
  await page.unroute('**/v1/search');
  await page.route('**/v1/search', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ status: 503, error: 'milvus_unavailable', message: 'Milvus is not answering' }) }));
  await page.fill('#query', spec.videoText);
  await page.click('#search');
  await page.locator('#error').waitFor({ state: 'visible' });
  seen.errorText = await page.locator('#error-text').textContent();
  check(seen.errorText.includes('Milvus is not answering'), 'error state: ' + seen.errorText);
  await page.unroute('**/v1/search');
  await page.click('#retry');
  await waitForResults();
  check(await page.locator('#error').isHidden(), 'the error stays after a successful retry');

  // 7. The screenshot of one results page, every thumbnail loaded; the timing in the status line is masked.
  await page.goto(spec.url + '?q=' + encodeURIComponent(spec.screenshotText));
  await waitForResults();
  await page.waitForFunction(() => [...document.querySelectorAll('#results li.hit')]
    .every((li) => li.dataset.thumb !== 'pending'));
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  seen.screenshotOrder = await ids();
  await page.screenshot({ path: spec.screenshot, fullPage: true, animations: 'disabled', caret: 'hide',
                          mask: [page.locator('#status')], maskColor: '#888888' });
  seen.foreignRequests = foreign;
  check(foreign.length === 0, 'the page tried to reach other hosts: ' + foreign);
} catch (e) {
  failed = e.message;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ ok: failed === null, error: failed, seen }));
process.exit(failed === null ? 0 : 1);

function parseClock(text) {
  const m = /(\d+):(\d\d(?:\.\d)?)/.exec(text || '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
}
