// SPDX-License-Identifier: Apache-2.0
// Benchmark 1b: what bench 1's ratio is made of, in one Node process —
// JSON.parse (decoding included, as in bench 1), simdjson alone compiled to
// wasm as the core's copy is (its DOM parse and one walk over every value:
// the least any reading into a model does; bench/parse_floor.cpp), and ours
// (summarize: ingest + summary + its JSON text). CPU time, after the warm-up.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { SetupError, freshCore, timeRuns, today, wasmBuild } from './setup.mjs';

export const floorJs = path.join(wasmBuild, 'chartlock-parse-floor.js');
const floorWasm = path.join(wasmBuild, 'chartlock-parse-floor.wasm');

export async function parseFloor(file, runs) {
  if (!existsSync(floorJs)) {
    throw new SetupError(`${floorJs} is missing: cmake --build ${path.relative(process.cwd(), wasmBuild)} --target chartlock_parse_floor`);
  }
  const factory = createRequire(import.meta.url)(floorJs);
  const floor = await factory({ wasmBinary: readFileSync(floorWasm) });
  const bytes = new Uint8Array(readFileSync(file));
  const at = floor._floor_alloc(bytes.length);
  floor.HEAPU8.set(bytes, at);
  const parse = timeRuns(runs, () => JSON.parse(new TextDecoder().decode(bytes)));
  const simdjson = timeRuns(runs, () => {
    if (floor._floor_parse(at, bytes.length, 1) < 0) throw new Error(`${file} is not JSON`);
  });
  const core = await freshCore();
  const sources = [{ name: path.basename(file), bytes }];
  const ours = timeRuns(runs, () => core.summarize(sources, { today }));
  return { parse, simdjson, ours };
}
