// SPDX-License-Identifier: Apache-2.0
// Where the benchmarks find their builds and inputs, and how they get them:
// CHARTLOCK_BUILD / CHARTLOCK_WASM_BUILD as in tests/js/support.mjs (defaults
// build/ and build-wasm/); generated bundles are cached in out/bench/ (not
// committed; CHARTLOCK_BENCH_CACHE moves it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const nativeBuild = path.resolve(root, process.env.CHARTLOCK_BUILD ?? 'build');
export const wasmBuild = path.resolve(root, process.env.CHARTLOCK_WASM_BUILD ?? 'build-wasm');
export const cacheDir = path.resolve(root, process.env.CHARTLOCK_BENCH_CACHE ?? 'out/bench');
export const cli = path.join(nativeBuild, 'chartlock');
export const benchBinary = path.join(nativeBuild, 'chartlock_bench');
export const wasmJs = path.join(wasmBuild, 'chartlock-core.js');
export const wasmFile = path.join(wasmBuild, 'chartlock-core.wasm');
// The summary's date rules are judged against a fixed day, the same in every run.
export const today = '2025-06-01';

export class SetupError extends Error {}

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new SetupError(`${what} failed: ${cmd} ${args.join(' ')}`);
}

// Checks the builds the benchmarks use and brings the (small, optional)
// native bench binary up to date, unless `rebuild` is false (--no-build: the
// build tree is busy) and it exists. Says exactly what to run when a build
// is absent.
export function checkBuilds({ rebuild = true } = {}) {
  if (!existsSync(cli)) {
    throw new SetupError(`${cli} is missing: run scripts/test, or cmake -B ${path.relative(root, nativeBuild)} && cmake --build ${path.relative(root, nativeBuild)} -j2`);
  }
  if (!existsSync(wasmJs) || !existsSync(wasmFile)) {
    throw new SetupError(`${wasmFile} is missing: run scripts/test, or emcmake cmake -B ${path.relative(root, wasmBuild)} && cmake --build ${path.relative(root, wasmBuild)} -j2 --target chartlock_wasm`);
  }
  if (!existsSync(path.join(root, 'node_modules/libsodium-wrappers')) || !existsSync(path.join(root, 'node_modules/playwright-core'))) {
    throw new SetupError('npm packages are missing: run npm install (or scripts/bootstrap)');
  }
  if (!existsSync('/usr/bin/chromium')) throw new SetupError('/usr/bin/chromium is missing: run scripts/bootstrap');
  // A no-op when current, a rebuild when core changed.
  if (rebuild || !existsSync(benchBinary)) {
    run('cmake', ['--build', nativeBuild, '--target', 'chartlock_bench', '-j2'], 'building chartlock_bench');
  }
  if (rebuild || !existsSync(path.join(wasmBuild, 'chartlock-parse-floor.wasm'))) {
    run('cmake', ['--build', wasmBuild, '--target', 'chartlock_parse_floor', '-j2'], 'building chartlock_parse_floor');
  }
}

// One generated single-provider patient of about `mb` MiB (FHIR R4 Bundle,
// seed 1), generated once and cached. Returns its path.
export function input(mb) {
  const dir = path.join(cacheDir, `patient-${mb}MB`);
  const file = path.join(dir, 'provider-1.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    run(cli, ['generate', '--seed', '1', '--size', `${mb}MB`, '--providers', '1', '--out', dir], `generating ${mb} MB`);
  }
  return file;
}

// One generated patient as a bulk-export-like NDJSON file of about `mb` MiB
// (seed 1), generated once and cached: the input streaming is for.
export function ndjsonInput(mb) {
  const dir = path.join(cacheDir, `export-${mb}MB`);
  const file = path.join(dir, 'provider-1.ndjson');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    run(cli, ['generate', '--seed', '1', '--size', `${mb}MB`, '--providers', '1', '--format', 'ndjson', '--out', dir],
      `generating ${mb} MB of NDJSON`);
  }
  return file;
}

export const sizeOf = (file) => statSync(file).size;

// A fresh instance of the wasm module (its own memory), loaded as a Node
// backend loads it.
export function freshCore() {
  const factory = createRequire(import.meta.url)(wasmJs);
  return factory({ wasmBinary: readFileSync(wasmFile) });
}

export function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// V8 compiles wasm in two tiers: every function starts on the baseline
// compiler and is recompiled by the optimizing one, in the background, once
// it is hot. On the 1 MB patient that took about 20 calls here, and the
// compiler threads' CPU counts in process time: timing after one warm-up
// measured the compiler as much as the code. So warm-up runs until at least
// WARM_UP.runs calls and WARM_UP.ms of wall time have passed.
export const WARM_UP = { runs: 2, ms: 4000 };

export function warmedUp(calls, startedAt) {
  return calls >= WARM_UP.runs && performance.now() - startedAt >= WARM_UP.ms;
}

// Runs f `runs` times after the warm-up above; returns the medians of the
// wall time and of this process's CPU time (user + system: on a shared
// machine the steadier of the two; it includes V8's helper threads).
export function timeRuns(runs, f) {
  const start = performance.now();
  for (let calls = 0; !warmedUp(calls, start); calls++) f();
  const wall = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}
