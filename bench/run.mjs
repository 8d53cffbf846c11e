// SPDX-License-Identifier: Apache-2.0
// npm run bench: the five comparisons of issue 6, each against its baseline
// in the same run, on generated bundles of 1, 10 and 100 MB, and issue 17's
// 1 GB NDJSON export read in chunks; prints a table
// with each row's result against issue 17's targets (TARGETS below) and the
// Markdown for docs/performance.md (--write puts it there, between the
// bench:results markers).
//
//   npm run bench [-- --sizes 1,10,100] [--only 1,2,3,4,5,6] [--export-mb 1024] [--runs N] [--no-build] [--write]
//   (row 6 generates its 1 GB export once, into out/bench: minutes the first time)
//
// Builds: CHARTLOCK_BUILD (default build/) and CHARTLOCK_WASM_BUILD (default
// build-wasm/); run scripts/test once first (or see bench/setup.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ingestInBrowser } from './ingest-browser.mjs';
import { ingestMemory } from './ingest-memory.mjs';
import { parseFloor } from './parse-floor.mjs';
import { wasmVsNative } from './ingest-wasm-vs-native.mjs';
import { sealOpen } from './seal-open.mjs';
import { spawnSync } from 'node:child_process';

import { SetupError, benchBinary, checkBuilds, input, ndjsonInput, root, sizeOf } from './setup.mjs';
import { wasmSize, widgetStart } from './widget-start.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const sizes = arg('--sizes', '1,10,100').split(',').map(Number);
const only = new Set(arg('--only', '1,2,3,4,5,6').split(',').map(Number));
// Fewer runs for bigger inputs: a 100 MB run takes seconds.
const runsFor = (mb) => Number(arg('--runs', mb >= 100 ? 3 : mb >= 10 ? 5 : 9));

// Issue 17's targets, the one place the bench states them. A row whose
// target does not apply (a size the issue names no target for) says 'report'.
const TARGETS = {
  // ingest + summary vs JSON.parse alone, at 10 and 100 MB
  ingest: { text: 'ours faster (≥ 1.00×) at 10 and 100 MB', sizes: [10, 100], met: (ratio) => ratio >= 1 },
  wasmVsNative: { text: 'wasm ≤ 1.5× native', met: (ratio) => ratio <= 1.5 },
  // the widget's new Records(), at 100 MB
  recordsPeak: { text: '≤ 2× input at 100 MB', sizes: [100], met: (ratio) => ratio <= 2 },
  seal: { text: '≥ 1.00×', met: (ratio) => ratio >= 1 },  // issue 6's: ours at least as fast as libsodium-wrappers
  wasmGzipKB: { text: '≤ 400 KB gzip -9', met: (kb) => kb <= 400 },
  readyMs: { text: '< 500 ms', met: (ms) => ms < 500 },
  // a 1 GB NDJSON export read in chunks: peak memory growth over (2 × the chunk + the finished record)
  exportPeak: { text: '≤ 2× chunk + record', met: (ratio) => ratio <= 1 },
};
// [target text, pass] for a size in MB, or 'report' when the target names other sizes.
const judge = (target, value, mb = null) => (mb !== null && target.sizes && !target.sizes.includes(mb)
  ? ['report', null] : [target.text, target.met(value)]);

const rows = [];
const MiB = 1024 * 1024;
const fmt = (n, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (t) => `${fmt(t, t < 10 ? 2 : 0)} ms`;
function row(bench, size, ours, baseline, ratio, [target, pass]) {
  rows.push({ bench, size, ours, baseline, ratio: ratio === null ? '—' : `${fmt(ratio, 2)}×`, target,
    result: pass === null ? '—' : pass ? 'pass' : 'short' });
  console.error(`  ${bench} ${size}: ours ${ours}, baseline ${baseline}, ratio ${rows.at(-1).ratio}`);
}

try {
  checkBuilds({ rebuild: !process.argv.includes('--no-build') });
} catch (e) {
  if (!(e instanceof SetupError)) throw e;
  console.error(`bench: ${e.message}`);
  process.exit(2);
}
const files = Object.fromEntries(sizes.map((mb) => [`${mb}MB`, input(mb)]));
const mbOf = (label) => sizeOf(files[label]) / MiB;

if (only.has(1)) {
  console.error('1. ingest in Chromium: wasm ingest + summary vs JSON.parse');
  const r = await ingestInBrowser(files, Object.fromEntries(sizes.map((mb) => [`${mb}MB`, runsFor(mb)])));
  for (const [label, { parse, ours }] of Object.entries(r)) {
    row('1. ingest + summary in Chromium (CPU time; wall in brackets)', label,
      `${ms(ours.cpuMs)} (${ms(ours.wallMs)})`, `${ms(parse.cpuMs)} (${ms(parse.wallMs)})`,
      parse.cpuMs / ours.cpuMs, judge(TARGETS.ingest, parse.cpuMs / ours.cpuMs, Number.parseInt(label, 10)));
  }
}
if (only.has(1)) {
  console.error('1b. the same in Node, beside simdjson alone in wasm');
  for (const [label, file] of Object.entries(files)) {
    const r = await parseFloor(file, runsFor(Number.parseInt(label, 10)));
    row('1b. simdjson alone in wasm (parse + walk every value) vs JSON.parse, Node (CPU time)', label,
      ms(r.simdjson.cpuMs), ms(r.parse.cpuMs), r.parse.cpuMs / r.simdjson.cpuMs, ['report', null]);
    // On-Demand against the DOM (ratio: DOM / On-Demand, above 1 when On-Demand is faster);
    // the native build's times in brackets when it is there.
    const nat = (k) => (r.native ? ` (native ${ms(r.native[k])})` : '');
    row('1b. simdjson On-Demand walk (every value) vs DOM parse + walk, wasm in Node (CPU time)', label,
      ms(r.ondemandWalk.cpuMs) + nat('ondemandWalk'), ms(r.domWalk.cpuMs) + nat('domWalk'),
      r.domWalk.cpuMs / r.ondemandWalk.cpuMs, ['report', null]);
    row('1b. a reader\'s pass (scan + Observation fields): On-Demand vs DOM parse, walk, reads (fused DOM in brackets)',
      label, `${ms(r.ondemandRead.cpuMs)} (${r.native ? `native ${ms(r.native.ondemandRead)}; ` : ''}DOM fused ${ms(r.domFused.cpuMs)})`,
      ms(r.domRead.cpuMs) + nat('domRead'), r.domRead.cpuMs / r.ondemandRead.cpuMs, ['report', null]);
    row('1b. the same pass, a document per entry after the core\'s splitter: On-Demand vs DOM', label,
      ms(r.ondemandEntries.cpuMs) + nat('ondemandEntries'), ms(r.domEntries.cpuMs) + nat('domEntries'),
      r.domEntries.cpuMs / r.ondemandEntries.cpuMs, ['report', null]);
    row('1b. ingest + summary in wasm vs JSON.parse, Node (CPU time)', label,
      ms(r.ours.cpuMs), ms(r.parse.cpuMs), r.parse.cpuMs / r.ours.cpuMs, ['report', null]);
  }
}
if (only.has(2)) {
  console.error('2. wasm (Node) vs native, ingest + summary');
  for (const [label, file] of Object.entries(files)) {
    const r = await wasmVsNative(file, runsFor(Number.parseInt(label, 10)));
    row('2. wasm vs native ingest + summary (CPU time)', label, ms(r.wasm.cpuMs), ms(r.native.cpuMs),
      r.wasm.cpuMs / r.native.cpuMs, judge(TARGETS.wasmVsNative, r.wasm.cpuMs / r.native.cpuMs));
  }
}
if (only.has(3)) {
  console.error('3. peak wasm memory while reading');
  for (const [label, file] of Object.entries(files)) {
    const r = await ingestMemory(file);
    const size = sizeOf(file);
    const mb = Number.parseInt(label, 10);
    row('3. peak wasm memory growth, summarize()', label, `${fmt(r.summarize.grown / MiB)} MiB`,
      `${fmt(size / MiB)} MiB input`, r.summarize.grown / size, ['report', null]);
    row('3. peak wasm memory growth, new Records() (widget)', label, `${fmt(r.records.grown / MiB)} MiB`,
      `${fmt(size / MiB)} MiB input`, r.records.grown / size, judge(TARGETS.recordsPeak, r.records.grown / size, mb));
  }
}
if (only.has(4)) {
  console.error('4. seal/open vs libsodium-wrappers');
  for (const mb of sizes) {
    const r = await sealOpen(mb * MiB, runsFor(mb));
    for (const op of ['seal', 'open']) {
      row(`4. bundle ${op} throughput (Node)`, `${mb}MB`, `${fmt(r[op].ours)} MB/s`, `${fmt(r[op].baseline)} MB/s`,
        r[op].ours / r[op].baseline, judge(TARGETS.seal, r[op].ours / r[op].baseline));
    }
  }
}
if (only.has(5)) {
  console.error('5. widget start');
  const s = wasmSize();
  const t = await widgetStart(5);
  // The baseline column: a page of one line of text in a fresh browser from the same server, i.e. the
  // part of each time that is the browser's own start rather than ours.
  const blank = `${ms(t.blankPaintMs)} (blank page's paint)`;
  row('5. widget start: .wasm downloaded', '—', ms(t.wasmFetchedMs), '—', null, ['report', null]);
  row('5. widget start: core ready after navigation', '—', ms(t.coreReadyMs), blank, null, judge(TARGETS.readyMs, t.coreReadyMs));
  row('5. widget start: first contentful paint', '—', ms(t.firstPaintMs), blank, null, ['report', null]);
  row('5. widget start: first screen drawn', '—', ms(t.firstScreenMs), blank, null, ['report', null]);
  row('5. browser start-up, not in the times above: launch to a new tab', '—', ms(t.launchMs), '—', null, ['report', null]);
  row('5. browser start-up: a blank page\'s HTML received after navigation', '—', ms(t.blankHtmlMs), '—', null, ['report', null]);
  row('5. .wasm size', '—', `${fmt(s.raw / 1024, 0)} KB (${fmt(s.gzip / 1024, 0)} KB gzip -9)`, '—', null,
    judge(TARGETS.wasmGzipKB, s.gzip / 1024));
}

if (only.has(6)) {
  const mb = Number(arg('--export-mb', '1024'));
  console.error(`6. a ${mb} MB NDJSON export read in chunks (native)`);
  const file = ndjsonInput(mb);
  const r = spawnSync(benchBinary, ['--stream', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`chartlock_bench --stream failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout);
  // The record's term is what it needs: what a compact copy of it allocates
  // (the heap it holds counts capacity never touched; its resident memory
  // the builder's freed chunks left on its pages; both printed beside it).
  const bound = 2 * m.chunk_bytes + m.record_needs;
  row('6. NDJSON export read in chunks: peak memory growth (native RSS)', `${fmt(m.bytes / MiB, 0)} MiB`,
    `${fmt(m.peak_rss_growth / MiB)} MiB (record ${fmt(m.record_needs / MiB)} MiB; its heap ${fmt(m.record_heap / MiB)}, resident ${fmt(m.record_rss / MiB)}; ${fmt(m.cpu_ms / 1000)} s CPU)`,
    `2 × ${fmt(m.chunk_bytes / MiB)} MiB chunk + the record`, m.peak_rss_growth / bound,
    judge(TARGETS.exportPeak, m.peak_rss_growth / bound));
}

const cpus = os.cpus();
const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 1024 ** 3, 0)} GiB, `
  + `Node ${process.versions.node}, load average ${os.loadavg().map((l) => fmt(l, 1)).join(' ')} at the end`;
const header = '| benchmark | input | ours | baseline | ratio | target | result |\n|---|---|---:|---:|---:|---|---|';
const table = [header, ...rows.map((r) => `| ${r.bench} | ${r.size} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.result} |`)].join('\n');
const markdown = `Machine: ${machine}. Inputs: \`chartlock generate --seed 1 --size N --providers 1\` `
  + `(${Object.entries(files).map(([l, f]) => `${l} = ${sizeOf(f).toLocaleString('en-US')} bytes`).join(', ')}). `
  + 'Medians; ratios are ours against the baseline as the target states it.\n\n' + table + '\n';
console.log(markdown);

if (process.argv.includes('--write')) {
  const doc = path.join(root, 'docs/performance.md');
  const begin = '<!-- bench:results:begin -->';
  const end = '<!-- bench:results:end -->';
  const text = readFileSync(doc, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) {
    console.error(`bench: ${doc} has no ${begin} … ${end} markers; paste the Markdown above by hand`);
    process.exit(1);
  }
  writeFileSync(doc, `${text.slice(0, a + begin.length)}\n${markdown}${text.slice(b)}`);
  console.error(`bench: results written to ${path.relative(root, doc)}`);
}
