// SPDX-License-Identifier: Apache-2.0
// Benchmark 1, in the page: the same bytes (fetched once as an ArrayBuffer)
// through V8's JSON.parse (after TextDecoder, which JSON.parse needs) and
// through the core's summarize() (copy into wasm memory, ingest, summary,
// the summary's JSON text back). ingest-browser.mjs calls these one sample at
// a time so that it can read the renderer's CPU time around each.
const core = ChartlockCore({ locateFile: (file) => `/wasm/${file}` });
let sources = null;
let keep = null;  // each run's result stays reachable until the next: nothing is optimized away

window.benchLoad = async (url) => {
  await core;
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  sources = [{ name: 'provider-1.json', bytes }];
  keep = null;
  return bytes.length;
};

// Each runs `times` calls back to back and returns their wall time: the
// renderer's CPU time is counted in steps of 10 ms, so a sample must be long.
window.benchParse = (times = 1) => {
  const t = performance.now();
  for (let i = 0; i < times; i++) keep = JSON.parse(new TextDecoder().decode(sources[0].bytes));
  return performance.now() - t;
};

window.benchOurs = async (today, times = 1) => {
  const c = await core;
  const t = performance.now();
  for (let i = 0; i < times; i++) keep = c.summarize(sources, { today });
  return performance.now() - t;
};

// The summary's SHA-256 (hex): ingest-browser.mjs's A/B mode checks that
// every build writes the same one.
window.benchSummaryDigest = async (today) => {
  const text = (await core).summarize(sources, { today });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
};

// What the widget pays (web/widget/js/core-worker.js): the summary's text
// JSON.parsed too, which reads the whole string (flattened, if it were not).
// Row 1 does not time it; ingest-browser.mjs's A/B mode does.
window.benchOursParsed = async (today, times = 1) => {
  const c = await core;
  const t = performance.now();
  for (let i = 0; i < times; i++) keep = JSON.parse(c.summarize(sources, { today }));
  return performance.now() - t;
};
