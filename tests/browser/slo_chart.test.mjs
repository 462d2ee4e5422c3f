// Browser test of slo's SVG chart: it opens in headless Chromium with no
// script and no network, and every objective has its bar, target and
// critical marks, interval whisker and trend line, each drawn with a real
// size (from getBBox, so what the browser laid out, not what the file says).
//
//   node slo_chart.test.mjs NODE_DIR CHROMIUM CHART.svg OBJECTIVES
import path from 'node:path';
import { checker, launchOffline } from './launch.mjs';

const [nodeDir, chromiumPath, svgPath, count] = process.argv.slice(2);
const n = Number(count);
const t = checker();
const { browser, page, stray, errors } =
    await launchOffline(nodeDir, chromiumPath);

await page.goto('file://' + path.resolve(svgPath));
const got = await page.evaluate(() => {
  const boxes = (sel) => [...document.querySelectorAll(sel)].map((e) => {
    const b = e.getBBox();
    return { w: b.width, h: b.height };
  });
  const root = document.documentElement;
  return {
    root: root.tagName,
    width: root.getBoundingClientRect().width,
    scripts: document.querySelectorAll('script').length,
    handlers: [...document.querySelectorAll('*')].filter(
        (e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    rows: document.querySelectorAll('g.objective').length,
    bars: boxes('rect.bar'),
    targets: boxes('line.mark.target'),
    criticals: boxes('line.mark.critical'),
    whiskers: boxes('path.whisker'),
    trends: boxes('polyline.trend'),
    titles: document.querySelectorAll('rect.bar > title').length,
  };
});
const sized = (v, dim) => v.length === n && v.every((b) => b[dim] > 0);
t.check(got.root === 'svg', `the document is an SVG (${got.root})`);
t.check(got.width > 100, `it is laid out (${got.width} px wide)`);
t.check(got.scripts === 0 && got.handlers === 0, 'no script, no handlers');
t.check(got.rows === n, `${n} objective rows (${got.rows})`);
t.check(sized(got.bars, 'w') && sized(got.bars, 'h'), 'a sized bar each');
t.check(sized(got.targets, 'h'), 'a target mark each');
t.check(sized(got.criticals, 'h'), 'a critical mark each');
// The whisker's caps always have a height; its width is the interval, which
// is zero for the one memory objective (six identical peak RSS figures).
t.check(sized(got.whiskers, 'h') &&
            got.whiskers.filter((b) => b.w > 0).length >= n - 1,
        'an interval whisker each, wide where the runs differ');
t.check(sized(got.trends, 'w'), 'a trend line each');
t.check(got.titles === n, 'a tooltip on each bar');
t.check(stray.length === 0, `no network requests (${stray.join(' ')})`);
t.check(errors.length === 0, `no page errors (${errors.join('; ')})`);
await browser.close();
if (t.failures) {
  console.log(`${t.failures} browser check(s) failed`);
  process.exit(1);
}
console.log('browser ok');
