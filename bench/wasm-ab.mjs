// SPDX-License-Identifier: Apache-2.0
// Two (or more) builds of the wasm module side by side: each module's size
// (raw, gzip -9 as bench 5 counts it) and its summarize() CPU time on the
// bench's patients, the modules loaded in one Node process and called in
// turn, so that the load of a shared machine falls on all of them alike
// (docs/performance.md, "Fifth round: size"). Checks that every module
// writes the same summary.
//
//   node bench/wasm-ab.mjs [--sizes 1,10] [--runs 30,10] DIR_OR_JS...
//
// Each argument is a build directory (its chartlock-core.js/.wasm) or a
// .js glue file with its .wasm beside it. Inputs come from bench/setup.mjs
// (CHARTLOCK_BUILD's CLI generates them once).
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { WARM_UP, input, median, today } from './setup.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const sizes = option('--sizes', '1,10').split(',').map(Number);
const runs = option('--runs', '30,10').split(',').map(Number);
if (args.length < 1) {
  console.error('usage: node bench/wasm-ab.mjs [--sizes 1,10] [--runs 30,10] DIR_OR_JS...');
  process.exit(2);
}

const require = createRequire(import.meta.url);
const builds = [];
for (const arg of args) {
  const js = arg.endsWith('.js') ? path.resolve(arg) : path.resolve(arg, 'chartlock-core.js');
  const wasm = js.replace(/\.js$/, '.wasm');
  const binary = readFileSync(wasm);
  const core = await require(js)({ wasmBinary: binary });
  builds.push({ name: arg, core, raw: statSync(wasm).size, gzip: gzipSync(binary, { level: 9 }).length });
}

const cpuOf = (f) => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

const results = builds.map(() => ({}));
sizes.forEach((mb, k) => {
  const file = input(mb);
  const sources = [{ name: path.basename(file), bytes: new Uint8Array(readFileSync(file)) }];
  const call = (b) => b.core.summarize(sources, { today });
  // Same summary from every module, or the comparison means nothing.
  const first = call(builds[0]);
  for (const b of builds.slice(1)) {
    if (JSON.stringify(call(b)) !== JSON.stringify(first)) throw new Error(`${b.name}: another summary at ${mb} MB`);
  }
  // Warm-up (V8's optimizing tier), every module in turn.
  const start = performance.now();
  for (let calls = 0; calls < WARM_UP.runs || performance.now() - start < WARM_UP.ms * builds.length; calls++) {
    builds.forEach(call);
  }
  const cpu = builds.map(() => []);
  const n = runs[Math.min(k, runs.length - 1)];
  for (let i = 0; i < n; i++) {
    // Alternate the order too: the first call of a round is not favoured.
    const order = i % 2 ? [...builds.keys()].reverse() : [...builds.keys()];
    for (const j of order) cpu[j].push(cpuOf(() => call(builds[j])));
  }
  cpu.forEach((c, j) => { results[j][mb] = median(c); });
});

const fmt = (n) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 1 : 0 });
console.log(`| build | raw | gzip -9 | ${sizes.map((mb) => `CPU ${mb} MB`).join(' | ')} |`);
console.log(`|---|---:|---:|${sizes.map(() => '---:').join('|')}|`);
builds.forEach((b, j) => {
  console.log(`| ${b.name} | ${b.raw.toLocaleString('en-US')} | ${b.gzip.toLocaleString('en-US')} | ${
    sizes.map((mb) => `${fmt(results[j][mb])} ms`).join(' | ')} |`);
});
