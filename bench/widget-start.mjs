// SPDX-License-Identifier: Apache-2.0
// Benchmark 5: the widget's start on localhost, cold (a fresh Chromium
// profile each run, and the widget server sends no-store): navigation start →
// the .wasm fully downloaded (the page fetches and compiles it) → the module
// instantiated in the core Worker (the `chartlock:core-ready` mark,
// web/widget/js/core.js) → first contentful paint, and the first screen drawn
// ("Create your vault", which does not wait for the core). Also the .wasm's
// size, raw and gzipped (level 9).
//
// What of that is the browser's own start rather than our page: each run
// also opens, in another fresh profile, a page of one line of text from the
// same server (the baseline: its HTML's arrival and first paint after
// navigation), and times the launch itself (process start to a new tab,
// before navigation, so in none of the times above).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

import { startWidget } from '../demo/widget-server.mjs';
import { launchBrowser } from '../tests/browser/harness.mjs';
import { median, root, wasmBuild, wasmFile } from './setup.mjs';

export function wasmSize() {
  const bytes = readFileSync(wasmFile);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export async function widgetStart(runs) {
  // A private build of the widget from the wasm build under test.
  const out = mkdtempSync(path.join(tmpdir(), 'chartlock-bench-widget-'));
  const built = spawnSync(process.execPath, [path.join(root, 'web/build.mjs'), '--wasm', wasmBuild, '--out', out],
    { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`node web/build.mjs failed: ${built.stderr}`);
  // A complete config.json (the widget refuses to start without one); nothing
  // is fetched from these addresses before the patient acts.
  const widget = await startWidget({ dist: path.join(out, 'widget'),
    config: { clientId: 'bench', scope: 'openid', directoryUrl: 'directory.json', relayUrl: 'http://127.0.0.1:9' } });
  const blank = path.join(out, 'blank.html');
  writeFileSync(blank, '<!doctype html><html lang="en"><meta charset="utf-8"><title>Blank</title><p>Blank page</p></html>\n');
  widget.serveFile('/bench-blank.html', blank);
  const samples = [];
  try {
    for (let i = 0; i <= runs; i++) {
      const launched = performance.now();
      const browser = await launchBrowser();
      try {
        const page = await browser.context.newPage();
        const launchMs = performance.now() - launched;
        await page.goto(`${widget.origin}/`);
        // The first screen (a fresh profile has no vault): checked every animation frame.
        const firstScreen = await page.waitForFunction(() => (document.querySelector('main h1')?.textContent === 'Create your vault'
          ? performance.now() : false), null, { timeout: 60_000, polling: 'raf' });
        await page.waitForFunction(() => performance.getEntriesByName('chartlock:core-ready').length > 0
          && performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 60_000 });
        const t = await page.evaluate(() => {
          const ready = performance.getEntriesByName('chartlock:core-ready')[0];
          return { wasmFetched: ready.detail.wasmFetched, coreReady: ready.startTime,
            firstPaint: performance.getEntriesByName('first-contentful-paint')[0].startTime };
        });
        t.firstScreen = await firstScreen.jsonValue();
        Object.assign(t, { launchMs }, await blankPage(widget.origin));
        if (i > 0) samples.push(t);  // the first run warms the OS file cache and Chromium's binary
      } finally {
        await browser.close();
      }
    }
  } finally {
    await widget.close();
    rmSync(out, { recursive: true, force: true });
  }
  const of = (k) => median(samples.map((s) => s[k]));
  return { wasmFetchedMs: of('wasmFetched'), coreReadyMs: of('coreReady'), firstPaintMs: of('firstPaint'),
    firstScreenMs: of('firstScreen'), launchMs: of('launchMs'), blankHtmlMs: of('blankHtml'), blankPaintMs: of('blankPaint') };
}

// The baseline: a fresh profile's first navigation to the same server, for a
// page of one line of text (its HTML received, its first contentful paint).
async function blankPage(origin) {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${origin}/bench-blank.html`);
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 60_000 });
    return await page.evaluate(() => ({ blankHtml: performance.getEntriesByType('navigation')[0].responseEnd,
      blankPaint: performance.getEntriesByName('first-contentful-paint')[0].startTime }));
  } finally {
    await browser.close();
  }
}
