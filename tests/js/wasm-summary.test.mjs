// SPDX-License-Identifier: Apache-2.0
// The summary from the wasm module equals the native CLI's, byte for byte,
// as JSON and as Markdown; bad options are clear errors.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, loadCore, runCli } from './support.mjs';

const fhir = path.join(fixtures, 'fhir');
const bytesOf = (dir, name) => new Uint8Array(readFileSync(path.join(dir, name)));
const today = '2025-06-01';

test('wasm and native give the same summary for every fixture, JSON and Markdown', async () => {
  const core = await loadCore();
  const files = readdirSync(fhir).filter((f) => f !== 'malformed.json').sort();
  for (const file of files) {
    const sources = [{ name: file, bytes: bytesOf(fhir, file) }];
    const native = runCli(['summary', '--today', today, file], { cwd: fhir });
    assert.equal(native.status, 0, native.stderr);
    assert.equal(core.summarize(sources, { today }) + '\n', native.stdout.toString(), `JSON differs for ${file}`);
    const md = runCli(['summary', '--today', today, '--format', 'markdown', file], { cwd: fhir });
    assert.equal(md.status, 0, md.stderr);
    assert.equal(core.summarizeMarkdown(sources, { today }), md.stdout.toString(), `Markdown differs for ${file}`);
    assert.equal(core.summarize(sources, { today, format: 'markdown' }), md.stdout.toString());
  }
});

test('wasm and native agree on a generated two-provider patient', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-summary-'));
  const gen = runCli(['generate', '--seed', '7', '--size', '600KB', '--providers', '2', '--out', dir]);
  assert.equal(gen.status, 0, gen.stderr);
  const files = ['provider-1.json', 'provider-2.json'];
  const native = runCli(['summary', '--today', today, ...files], { cwd: dir });
  assert.equal(native.status, 0, native.stderr);
  const wasm = core.summarize(files.map((f) => ({ name: f, bytes: bytesOf(dir, f) })), { today });
  assert.equal(wasm + '\n', native.stdout.toString());
  const summary = JSON.parse(wasm);
  assert.equal(summary.schema, 'chartlock.summary/1');
  assert.deepEqual(summary.sources, files);
  assert.ok(summary.labs.length > 5);
  assert.ok(summary.questions.length >= 3 && summary.questions.length <= 10);
});

test('bad options are invalid-argument errors', async () => {
  const core = await loadCore();
  const sources = [{ name: 'a.json', bytes: bytesOf(fhir, 'clinic-a.json') }];
  assert.throws(() => core.summarize(sources, { today: '2025-13-01' }), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.summarize(sources, { today: 20250601 }), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.summarize(sources, { today, format: 'pdf' }), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.summarize('nope'), (e) => e.code === 'invalid-argument');
  // Without today, the module uses the current date: still a summary.
  assert.equal(JSON.parse(core.summarize(sources)).schema, 'chartlock.summary/1');
});
