// SPDX-License-Identifier: Apache-2.0
// Benchmark 3: peak wasm memory while reading the records. Wasm memory only
// grows, so its size after the call is the high-water mark; each measurement
// uses a fresh instance and reports the growth over its size before the call
// (the module starts with 32 MiB, so a small input may not grow it at all).
// Two calls: summarize() (the records read without their originals, then
// summarized) and new Records() (what the widget holds: with the original
// resources, for sharing).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { freshCore, today } from './setup.mjs';

async function growth(file, call) {
  const core = await freshCore();
  const bytes = new Uint8Array(readFileSync(file));
  const before = core.HEAP8.buffer.byteLength;
  call(core, [{ name: path.basename(file), bytes }]);
  return { before, after: core.HEAP8.buffer.byteLength, grown: core.HEAP8.buffer.byteLength - before };
}

export async function ingestMemory(file) {
  const summarize = await growth(file, (core, sources) => core.summarize(sources, { today }));
  const records = await growth(file, (core, sources) => new core.Records(sources, {}).delete());
  return { summarize, records };
}
