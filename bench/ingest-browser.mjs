// SPDX-License-Identifier: Apache-2.0
// Benchmark 1: reading the records in headless Chromium, our wasm ingest +
// summary against V8's JSON.parse alone, on the same bytes (bench/pages/).
// The two alternate run by run after a warm-up (setup.mjs, WARM_UP: until
// V8 has optimized the hot code). Each sample (calls repeated until it
// lasts about 200 ms, then divided by their number) is timed
// twice: wall time in the page (performance.now) and the renderer process's
// CPU time (DevTools Performance.getMetrics ProcessTime, which also counts
// V8's background GC and compiler threads); on a shared machine the CPU
// time is the steadier of the two.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchBrowser, serveStatic } from '../tests/browser/harness.mjs';
import { median, today, warmedUp, wasmBuild } from './setup.mjs';

const pages = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');
// How long one timed sample lasts: 20 steps of the renderer's CPU clock.
const SAMPLE_MS = 200;

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
    // One sample of `calls` calls, per call.
    const timed = async (f, calls) => {
      const cpu = await processTime(cdp);
      const wallMs = await f();
      return { wallMs: wallMs / calls, cpuMs: ((await processTime(cdp)) - cpu) / calls };
    };
    const out = {};
    for (const [label, file] of Object.entries(files)) {
      await page.evaluate((url) => window.benchLoad(url), `/input/${label}/${path.basename(file)}`);
      const start = performance.now();
      let parseMs = 0;
      let oursMs = 0;
      for (let calls = 0; !warmedUp(calls, start); calls++) {
        parseMs = await page.evaluate(() => window.benchParse());
        oursMs = await page.evaluate((day) => window.benchOurs(day), today);
      }
      // ProcessTime counts in steps of 10 ms: each sample repeats the call
      // until it lasts about SAMPLE_MS, and is divided by its calls.
      const times = (ms) => Math.max(1, Math.ceil(SAMPLE_MS / Math.max(ms, 0.1)));
      const parseTimes = times(parseMs);
      const oursTimes = times(oursMs);
      const parse = [];
      const ours = [];
      for (let i = 0; i < (runs[label] ?? 5); i++) {
        parse.push(await timed(() => page.evaluate((n) => window.benchParse(n), parseTimes), parseTimes));
        ours.push(await timed(() => page.evaluate(([day, n]) => window.benchOurs(day, n), [today, oursTimes]), oursTimes));
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
