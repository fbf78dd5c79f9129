// Drives the search page in Debian's headless Chromium: a text query must show the expected item first (with
// modality, score, model version and a thumbnail), a video hit its moment's time, a document hit its page number,
// and an uploaded image must find the expected item. Run by SearchApiIT:
//   node search-page.mjs '<json spec>'   (see SearchApiIT#searchPageInHeadlessChromium for the fields)
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
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  // Nothing but the service under test may be contacted: no CDN, no fonts, nothing.
  const origin = new URL(spec.url).origin;
  const foreign = [];
  await page.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    foreign.push(u);
    return route.abort();
  });
  await page.goto(spec.url);
  await page.click('details summary');
  await page.fill('#apikey', spec.apiKey);
  await page.dispatchEvent('#apikey', 'change');

  // 1. Text query for pictures: the expected item comes first, with modality, score, model version, thumbnail.
  await page.check('input[name=modality][value=IMAGE]');
  await page.fill('#query', spec.text);
  await page.click('#search');
  const first = page.locator('#results li.hit').first();
  await first.waitFor();
  seen.textFirst = await first.getAttribute('data-media-id');
  seen.textFirstModality = await first.locator('.modality').textContent();
  seen.textFirstScore = await first.locator('.score').textContent();
  seen.model = await page.locator('#model').textContent();
  seen.status = await page.locator('#status').textContent();
  check(seen.textFirst === spec.expectText, 'text query: first hit ' + seen.textFirst + ', expected ' + spec.expectText);
  check(seen.textFirstModality === 'IMAGE', 'text query: modality shown as ' + seen.textFirstModality);
  check(/^score \d\.\d{3}$/.test(seen.textFirstScore), 'text query: score shown as ' + seen.textFirstScore);
  check(seen.model === spec.expectModel, 'model shown as ' + seen.model + ', expected ' + spec.expectModel);
  await first.locator('.thumb img').waitFor();
  seen.thumbnailLoaded = await first.locator('.thumb img').evaluate((img) => img.complete && img.naturalWidth > 0);
  check(seen.thumbnailLoaded, 'text query: the thumbnail did not load');

  // 2. A video hit shows its moment's time, a document hit its page number.
  await page.uncheck('input[name=modality][value=IMAGE]');
  await page.fill('#query', spec.videoText);
  await page.click('#search');
  const video = page.locator('#results li.hit[data-modality="VIDEO"]').first();
  await video.waitFor();
  seen.videoWhere = await video.locator('.where').textContent();
  seen.videoMoments = await video.locator('.segments button').allTextContents();
  check(/^at \d+:\d\d\.\d$/.test(seen.videoWhere) || seen.videoMoments.length > 0, 'video hit shows no time');
  check(seen.videoMoments.some((m) => /^\d+:\d\d\.\d–\d+:\d\d\.\d/.test(m)), 'video moments: ' + seen.videoMoments);
  await page.fill('#query', spec.documentText);
  await page.click('#search');
  const doc = page.locator('#results li.hit[data-modality="DOCUMENT"]').first();
  await doc.waitFor();
  seen.documentPages = await doc.locator('.segments button').allTextContents();
  check(seen.documentPages.some((p) => p.startsWith('page ' + spec.expectPage + ' ')),
        'document pages: ' + seen.documentPages + ', expected page ' + spec.expectPage);

  // 3. Image upload (the drop zone's file input): the expected item is found.
  await page.setInputFiles('#file', spec.image);
  await page.waitForFunction(() => / results? for by image/.test(document.querySelector('#status').textContent));
  const firstImage = page.locator('#results li.hit').first();
  await firstImage.waitFor();
  seen.imageFirst = await firstImage.getAttribute('data-media-id');
  check(seen.imageFirst === spec.expectImage, 'image upload: first hit ' + seen.imageFirst + ', expected ' + spec.expectImage);
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
