// SPDX-License-Identifier: Apache-2.0
// Benchmark 2: the same bytes through the same C++ (ingest + summary, the
// summary as JSON text), compiled to wasm and run in Node 20, against the
// native build (chartlock_bench). Wasm time includes copying the bytes into
// wasm memory and the summary text out, as every caller pays them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { benchBinary, freshCore, timeRuns, today } from './setup.mjs';

export function nativeIngest(file, runs) {
  const r = spawnSync(benchBinary, ['--runs', String(runs), '--today', today, file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chartlock_bench failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function wasmVsNative(file, runs) {
  const core = await freshCore();
  const bytes = new Uint8Array(readFileSync(file));
  const sources = [{ name: path.basename(file), bytes }];
  const wasm = timeRuns(runs, () => core.summarize(sources, { today }));
  const native = nativeIngest(file, runs);
  return {
    wasm,
    native: { wallMs: native.ingest_summary.wall_ms, cpuMs: native.ingest_summary.cpu_ms },
    nativeIngestOnly: { wallMs: native.ingest.wall_ms, cpuMs: native.ingest.cpu_ms },
  };
}
