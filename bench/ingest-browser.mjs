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
//
// Run alone, it sets two or more builds of the module side by side in one
// Chromium, each page its own server (the same bytes, the same machine
// load), alternating sample by sample: summarize() alone and with the
// summary JSON.parsed as the widget does (docs/performance.md, "The summary's
// text in a browser"):
//
//   node bench/ingest-browser.mjs [--sizes 10] [--runs 10] DIR...
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launchBrowser, serveStatic } from '../tests/browser/harness.mjs';
import { input, median, today, warmedUp, wasmBuild } from './setup.mjs';

const pages = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pages');
// How long one timed sample lasts: 20 steps of the renderer's CPU clock.
const SAMPLE_MS = 200;

async function processTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ProcessTime').value * 1000;
}

// How many calls make one sample last about SAMPLE_MS: ProcessTime counts in
// steps of 10 ms.
const callsPerSample = (ms) => Math.max(1, Math.ceil(SAMPLE_MS / Math.max(ms, 0.1)));

// The bench page on its own server with `wasm`'s module, and the timer of
// one sample of `calls` calls (per call) in it.
async function benchPage(browser, wasm, dirs) {
  const server = await serveStatic({ '/wasm/': wasm, ...dirs, '/': pages });
  const page = await browser.context.newPage();
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(`${server.origin}/ingest.html`);
  const timed = async (f, calls) => {
    const cpu = await processTime(cdp);
    const wallMs = await f();
    return { wallMs: wallMs / calls, cpuMs: ((await processTime(cdp)) - cpu) / calls };
  };
  return { page, timed, server };
}

// files: {label: path}, runs: {label: n} → {label: {parse: {wallMs, cpuMs}, ours: {…}}}
export async function ingestInBrowser(files, runs) {
  const dirs = Object.fromEntries(Object.entries(files).map(([label, file]) => [`/input/${label}/`, path.dirname(file)]));
  const browser = await launchBrowser();
  let server;
  try {
    const bench = await benchPage(browser, wasmBuild, dirs);
    const { page, timed } = bench;
    server = bench.server;
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
      const parseTimes = callsPerSample(parseMs);
      const oursTimes = callsPerSample(oursMs);
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
    await server?.close();
  }
}

// builds: [dir], files: {label: path} → {label: [{ours, oursParsed} per build]}
export async function buildsInBrowser(builds, files, runs) {
  const dirs = Object.fromEntries(Object.entries(files).map(([label, file]) => [`/input/${label}/`, path.dirname(file)]));
  const browser = await launchBrowser();
  const benches = [];
  try {
    for (const wasm of builds) benches.push(await benchPage(browser, wasm, dirs));
    const ways = { ours: 'benchOurs', oursParsed: 'benchOursParsed' };
    const out = {};
    for (const [label, file] of Object.entries(files)) {
      const url = `/input/${label}/${path.basename(file)}`;
      const calls = [];
      const digests = new Set();
      for (const { page } of benches) {
        await page.evaluate((u) => window.benchLoad(u), url);
        digests.add(await page.evaluate((day) => window.benchSummaryDigest(day), today));
        const start = performance.now();
        const last = {};
        for (let n = 0; !warmedUp(n, start); n++) {
          for (const [way, fn] of Object.entries(ways)) last[way] = await page.evaluate(([f, day]) => window[f](day), [fn, today]);
        }
        calls.push(Object.fromEntries(Object.entries(last).map(([way, ms]) => [way, callsPerSample(ms)])));
      }
      if (digests.size !== 1) throw new Error(`${label}: the builds write different summaries`);
      const samples = benches.map(() => ({ ours: [], oursParsed: [] }));
      for (let i = 0; i < (runs[label] ?? 5); i++) {
        for (const [b, { page, timed }] of benches.entries()) {
          for (const [way, fn] of Object.entries(ways)) {
            const n = calls[b][way];
            samples[b][way].push(await timed(() => page.evaluate(([f, day, k]) => window[f](day, k), [fn, today, n]), n));
          }
        }
      }
      const summary = (list) => ({ wallMs: median(list.map((r) => r.wallMs)), cpuMs: median(list.map((r) => r.cpuMs)) });
      out[label] = samples.map((s) => ({ ours: summary(s.ours), oursParsed: summary(s.oursParsed) }));
    }
    return out;
  } finally {
    await browser.close();
    for (const { server } of benches) await server.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    return i < 0 ? fallback : args.splice(i, 2)[1];
  };
  const sizes = option('--sizes', '10').split(',').map(Number);
  const runs = option('--runs', '10').split(',').map(Number);
  if (args.length < 1) {
    console.error('usage: node bench/ingest-browser.mjs [--sizes 10] [--runs 10] DIR...');
    process.exit(2);
  }
  const builds = args.map((dir) => path.resolve(dir));
  const files = Object.fromEntries(sizes.map((mb) => [`${mb}MB`, input(mb)]));
  const r = await buildsInBrowser(builds, files, Object.fromEntries(sizes.map((mb, i) => [`${mb}MB`, runs[i] ?? runs[0]])));
  const ms = (x) => `${x.cpuMs.toFixed(1)} ms (${x.wallMs.toFixed(1)})`;
  for (const [label, results] of Object.entries(r)) {
    for (const [b, { ours, oursParsed }] of results.entries()) {
      console.log(`${label}  ${builds[b]}  summarize ${ms(ours)}  + JSON.parse ${ms(oursParsed)}  (CPU, wall in brackets)`);
    }
  }
}
