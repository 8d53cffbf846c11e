// SPDX-License-Identifier: Apache-2.0
// Shared by the JavaScript tests: where the builds are, and the wasm module.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const nativeBuild = path.resolve(root, process.env.CHARTLOCK_BUILD ?? 'build');
export const wasmBuild = path.resolve(root, process.env.CHARTLOCK_WASM_BUILD ?? 'build-wasm');
export const cli = path.join(nativeBuild, 'chartlock');
export const fixtures = path.join(root, 'tests/fixtures');

let modulePromise;
// The Embind module, loaded the way a Node backend loads it.
export function loadCore() {
  modulePromise ??= createRequire(import.meta.url)(path.join(wasmBuild, 'chartlock-core.js'))();
  return modulePromise;
}

// Runs the native CLI; returns { status, stdout (Buffer), stderr (string) }.
export function runCli(args, options = {}) {
  const r = spawnSync(cli, args, { maxBuffer: 1 << 30, ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}
