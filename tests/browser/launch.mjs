// The browser tests' shared harness: Debian's Chromium, headless, driven
// by playwright-core from NODE_DIR (.cleanroom/node, installed by
// scripts/bootstrap), with the network closed: every request that is not
// file:// is aborted and recorded in `stray`, and page errors in `errors`.
import { createRequire } from 'node:module';
import path from 'node:path';

export async function launchOffline(nodeDir, chromiumPath) {
  const require = createRequire(path.join(nodeDir, 'package.json'));
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
           '--no-proxy-server', '--disable-background-networking'],
  });
  const context = await browser.newContext({ offline: true });
  const stray = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    stray.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { browser, context, page, stray, errors };
}

// A checker that prints one line per check and counts the failures.
export function checker() {
  const c = { failures: 0 };
  c.check = (ok, what) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) c.failures++;
  };
  return c;
}
