// Browser test of the flame graph SVG's script: zoom, Reset Zoom, regex
// search with "Matched: X%", the view kept in the URL across a reload, and
// the colours of a differential graph. Runs Debian's Chromium headless via
// playwright-core with the network closed: any request that is not file://
// fails the test.
//
//   node flamegraph.test.mjs NODE_DIR CHROMIUM GRAPH.svg GRAPH.folded DIFF.svg
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launchOffline } from './launch.mjs';

const [nodeDir, chromiumPath, svgPath, foldedPath, diffPath] =
    process.argv.slice(2);

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

// The share of the total under stacks with a frame matching re, computed
// from the folded file the graph was drawn from.
function expectedMatch(re) {
  let total = 0, hit = 0;
  for (const line of readFileSync(foldedPath, 'utf8').split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0) continue;
    const n = Number(line.slice(sp + 1));
    total += n;
    if (line.slice(0, sp).split(';').some((f) => re.test(f))) hit += n;
  }
  return (100 * hit / total).toFixed(2);
}

const { browser, context, page, stray, errors } =
    await launchOffline(nodeDir, chromiumPath);

const url = 'file://' + path.resolve(svgPath);
await page.goto(url);
await page.waitForFunction(() => window.FG && FG.frames.length > 1);
const inner = await page.evaluate(() => FG.inner);

// Zoom into the widest frame at depth 2 that has a sibling.
const target = await page.evaluate(() => {
  const d2 = FG.frames.filter((f) => f.d === 2).sort((a, b) => b.n - a.n);
  const f = d2.find((f) => f.n < FG.total) || d2[0];
  return { s: f.s, d: f.d, n: f.n, name: f.name };
});
const sel = (f) => `#frames > g[data-s="${f.s}"][data-d="${f.d}"]`;
await page.click(sel(target) + ' rect', { force: true });
const zoomed = await page.evaluate(([sel, s, d]) => {
  const g = document.querySelector(sel);
  const r = g.querySelector('rect');
  const outside = FG.frames.filter(
      (o) => o.d === d && (o.s + o.n <= s || o.s >= s + FG.zoomed.n));
  return {
    x: +r.getAttribute('x'), w: +r.getAttribute('width'),
    parentFaded: FG.frames.filter((o) => o.d < d)
                     .every((o) => o.g.classList.contains('parent')),
    othersHidden: outside.every((o) => o.g.style.display === 'none'),
    outside: outside.length,
    unzoomShown: !document.getElementById('unzoom').classList.contains('hide'),
    search: location.search,
  };
}, [sel(target), target.s, target.d]);
check(Math.abs(zoomed.w - inner) < 0.2 && Math.abs(zoomed.x - 10) < 0.2,
      `clicked frame ${target.name} spans the width (${zoomed.w})`);
check(zoomed.parentFaded, 'ancestors are drawn faded');
check(zoomed.othersHidden, `${zoomed.outside} frames beside it are hidden`);
check(zoomed.unzoomShown, 'Reset Zoom is shown');
check(zoomed.search === `?x=${target.s}&y=${target.d}`,
      `zoom is in the URL (${zoomed.search})`);

await page.click('#unzoom');
const reset = await page.evaluate((sel) => {
  const r = document.querySelector(sel + ' rect');
  return { w: +r.getAttribute('width'),
           hidden: FG.frames.filter((o) => o.g.style.display === 'none')
                       .length,
           search: location.search };
}, sel(target));
check(Math.abs(reset.w - inner * target.n / (await page.evaluate(
          () => FG.total))) < 0.2 && reset.hidden === 0 && reset.search === '',
      'Reset Zoom restores every frame');

// Search with the button: the prompt gets a regex.
async function searchFor(term, how) {
  page.once('dialog', (d) => d.accept(term));
  if (how === 'key') await page.keyboard.press('Control+f');
  else await page.click('#search');
  return page.evaluate((t) => {
    const re = new RegExp(t);
    const hits = FG.frames.filter((o) => o.g.classList.contains('match'));
    return {
      text: document.getElementById('matched').textContent,
      hits: hits.length,
      allMatch: hits.every((o) => re.test(o.name) &&
                                  o.r.getAttribute('fill') === 'rgb(230,0,230)'),
      missed: FG.frames.filter((o) => re.test(o.name) &&
                                      !o.g.classList.contains('match')).length,
    };
  }, term);
}
const term = '^' + target.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
let res = await searchFor(term, 'button');
check(res.hits > 0 && res.allMatch && res.missed === 0,
      `search ${term} highlights ${res.hits} frames`);
check(res.text === `Matched: ${expectedMatch(new RegExp(term))}%`,
      `${res.text} equals the folded file's share`);
res = await searchFor('lex|parse', 'key');
check(res.hits > 0 && res.allMatch && res.missed === 0,
      `Ctrl-F search lex|parse highlights ${res.hits} frames`);
check(res.text === `Matched: ${expectedMatch(/lex|parse/)}%`,
      `${res.text} equals the folded file's share`);

// Zoom again, then reload: both come back from the URL.
await page.click(sel(target) + ' rect', { force: true });
const before = await page.evaluate(() => location.search);
await page.reload();
await page.waitForFunction(() => window.FG && FG.frames.length > 1);
const after = await page.evaluate((sel) => ({
  w: +document.querySelector(sel + ' rect').getAttribute('width'),
  matched: document.getElementById('matched').textContent,
  term: FG.term,
  search: location.search,
}), sel(target));
check(/x=\d+&y=\d+&s=/.test(before), `URL keeps zoom and search (${before})`);
check(Math.abs(after.w - inner) < 0.2, 'reload restores the zoom');
check(after.term === 'lex|parse' &&
      after.matched === `Matched: ${expectedMatch(/lex|parse/)}%`,
      'reload restores the search');

// Differential graph: "grew" red, "shrank" blue.
await page.goto('file://' + path.resolve(diffPath));
await page.waitForFunction(() => window.FG && FG.frames.length > 1);
const fills = await page.evaluate(() => {
  const out = {};
  for (const f of FG.frames) out[f.name] = f.r.getAttribute('fill');
  return out;
});
const rgb = (s) => (s || '').match(/\d+/g).map(Number);
const [gr, gg, gb] = rgb(fills.grew);
const [sr, sg, sb] = rgb(fills.shrank);
check(gr === 255 && gg < 200 && gb < 200, `grew is red (${fills.grew})`);
check(sb === 255 && sr < 200 && sg < 200, `shrank is blue (${fills.shrank})`);

check(stray.length === 0, `no network requests (${stray.join(' ')})`);
check(errors.length === 0, `no script errors (${errors.join('; ')})`);
await browser.close();
if (failures) {
  console.log(`${failures} browser check(s) failed`);
  process.exit(1);
}
console.log('browser ok');
