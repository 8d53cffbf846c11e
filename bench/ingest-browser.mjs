// SPDX-License-Identifier: Apache-2.0
// Benchmark 1: reading the records in headless Chromium, our wasm ingest +
// summary against V8's JSON.parse alone, on the same bytes (bench/pages/).
// The two alternate run by run after a warm-up (setup.mjs, WARM_UP: until
// V8 has optimized the hot code). Each run is timed
// twice: wall time in the page (performance.now) and the renderer process's
// CPU time (DevTools Performance.getMetrics ProcessTime, which also counts
// V8's background GC and compiler threads); on a shared machine the CPU
// time is the steadier of the two.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, serveStatic } from '../tests/browser/harness.mjs';
import { median, today, warmedUp, wasmBuild } from './setup.mjs';

const pages = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');

async function processTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ProcessTime').value * 1000;
}

// files: {label: path}, runs: {label: n} → {label: {parse: {wallMs, cpuMs}, ours: {…}}}
export async function ingestInBrowser(files, runs) {
  const dirs = Object.fromEntries(Object.entries(files).map(([label, file]) => [`/input/${label}/`, path.dirname(file)]));
  const server = await serveStatic({ '/wasm/': wasmBuild, ...dirs, '/': pages });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.goto(`${server.origin}/ingest.html`);
    const timed = async (f) => {
      const cpu = await processTime(cdp);
      const wallMs = await f();
      return { wallMs, cpuMs: (await processTime(cdp)) - cpu };
    };
    const out = {};
    for (const [label, file] of Object.entries(files)) {
      await page.evaluate((url) => window.benchLoad(url), `/input/${label}/${path.basename(file)}`);
      const start = performance.now();
      for (let calls = 0; !warmedUp(calls, start); calls++) {
        await page.evaluate(() => window.benchParse());
        await page.evaluate((day) => window.benchOurs(day), today);
      }
      const parse = [];
      const ours = [];
      for (let i = 0; i < (runs[label] ?? 5); i++) {
        parse.push(await timed(() => page.evaluate(() => window.benchParse())));
        ours.push(await timed(() => page.evaluate((day) => window.benchOurs(day), today)));
      }
      const summary = (list) => ({ wallMs: median(list.map((r) => r.wallMs)), cpuMs: median(list.map((r) => r.cpuMs)) });
      out[label] = { parse: summary(parse), ours: summary(ours) };
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}
