// SPDX-License-Identifier: Apache-2.0
// Benchmark 1b: what bench 1's ratio is made of, in one Node process —
// JSON.parse (decoding included, as in bench 1), simdjson alone compiled to
// wasm as the core's copy is (bench/parse_floor.cpp), and ours (summarize:
// ingest + summary + its JSON text). CPU time, after the warm-up.
// simdjson alone, its variants alternated run by run: the DOM parse and one
// walk over every value (the least any reading into a model does), the same
// walk with On-Demand, and a reader's pass (every string for the scan, the
// fields an Observation reader takes) with the DOM as the core does it (a
// walk, then the reads), the DOM fused into one pass, and On-Demand; both
// over the Bundle as one document and a document per entry (the core's
// splitter first, as the core reads a Bundle). The same file's native build,
// when there, times the same variants (`--time`).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { SetupError, freshCore, median, nativeBuild, timeRuns, today, warmedUp, wasmBuild } from './setup.mjs';

export const floorJs = path.join(wasmBuild, 'chartlock-parse-floor.js');
const floorWasm = path.join(wasmBuild, 'chartlock-parse-floor.wasm');
const floorNative = path.join(nativeBuild, 'chartlock-parse-floor');

// floor_parse's modes (bench/parse_floor.cpp, Mode).
export const MODES = { domParse: 0, domWalk: 1, ondemandWalk: 2, domRead: 3, domFused: 4, ondemandRead: 5,
  domEntries: 6, ondemandEntries: 7 };

// The CPU times of fs, alternated run by run after a warm-up of them all.
function timeAlternated(runs, fs) {
  const start = performance.now();
  for (let calls = 0; !warmedUp(calls, start); calls++) for (const f of Object.values(fs)) f();
  const cpu = Object.fromEntries(Object.keys(fs).map((k) => [k, []]));
  for (let i = 0; i < runs; i++) {
    for (const [k, f] of Object.entries(fs)) {
      const c = process.cpuUsage();
      f();
      const d = process.cpuUsage(c);
      cpu[k].push((d.user + d.system) / 1000);
    }
  }
  return Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, { cpuMs: median(v) }]));
}

// The native build's medians (ms) by mode name, or null without it. Built
// once per process (a no-op when current): checkBuilds builds the wasm one.
let nativeBuilt = null;
function nativeFloor(file, runs) {
  if (nativeBuilt === null) {
    // A failed build would leave an older binary whose modes may differ.
    nativeBuilt = spawnSync('cmake', ['--build', nativeBuild, '--target', 'chartlock_parse_floor', '-j2'],
      { stdio: 'ignore' }).status === 0;
    if (!nativeBuilt) console.error(`  bench 1b: building ${floorNative} failed; no native times`);
  }
  if (!nativeBuilt || !existsSync(floorNative)) return null;
  const r = spawnSync(floorNative, [file, '--time', String(runs)], { encoding: 'utf8' });
  // It is built for the haswell kernel (bench/CMakeLists.txt): on a CPU
  // without AVX2 it cannot run, and the wasm times stand alone.
  if (r.status !== 0) {
    console.error(`  bench 1b: ${floorNative} --time failed (${r.signal ?? `exit ${r.status}`}); no native times`);
    return null;
  }
  const { ms } = JSON.parse(r.stdout);
  return Object.fromEntries(Object.entries(MODES).map(([k, mode]) => [k, ms[mode]]));
}

export async function parseFloor(file, runs, { withOurs = true } = {}) {
  if (!existsSync(floorJs)) {
    throw new SetupError(`${floorJs} is missing: cmake --build ${path.relative(process.cwd(), wasmBuild)} --target chartlock_parse_floor`);
  }
  const factory = createRequire(import.meta.url)(floorJs);
  const floor = await factory({ wasmBinary: readFileSync(floorWasm) });
  const bytes = new Uint8Array(readFileSync(file));
  const at = floor._floor_alloc(bytes.length);
  floor.HEAPU8.set(bytes, at);
  // DOM and On-Demand must visit the same values and read the same fields.
  const counts = Object.fromEntries(Object.entries(MODES).map(([k, mode]) => [k, floor._floor_parse(at, bytes.length, mode)]));
  if (counts.domWalk < 0 || counts.domWalk !== counts.ondemandWalk
      || ['domFused', 'ondemandRead', 'domEntries', 'ondemandEntries'].some((k) => counts[k] !== counts.domRead)) {
    throw new Error(`${file}: DOM and On-Demand counted differently: ${JSON.stringify(counts)}`);
  }
  const parse = timeRuns(runs, () => JSON.parse(new TextDecoder().decode(bytes)));
  const simd = timeAlternated(runs, Object.fromEntries(Object.entries(MODES).map(([k, mode]) => [k, () => {
    if (floor._floor_parse(at, bytes.length, mode) < 0) throw new Error(`${file} is not JSON`);
  }])));
  let ours = null;
  if (withOurs) {
    const core = await freshCore();
    const sources = [{ name: path.basename(file), bytes }];
    ours = timeRuns(runs, () => core.summarize(sources, { today }));
  }
  return { parse, simdjson: simd.domWalk, ...simd, native: nativeFloor(file, Math.max(runs, 5)), ours };
}
