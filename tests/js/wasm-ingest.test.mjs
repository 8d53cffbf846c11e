// SPDX-License-Identifier: Apache-2.0
// The wasm module in Node: the same record as the native CLI, byte for byte,
// and clear errors for bad input.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, loadCore, root, runCli } from './support.mjs';

const fhir = path.join(fixtures, 'fhir');
const bytesOf = (name) => new Uint8Array(readFileSync(path.join(fhir, name)));

test('version matches package.json', async () => {
  const core = await loadCore();
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(core.version(), pkg.version);
});

test('wasm and native give the same record JSON for every fixture', async () => {
  const core = await loadCore();
  const files = readdirSync(fhir).filter((f) => f !== 'malformed.json').sort();
  assert.ok(files.length >= 4);
  for (const file of files) {
    const native = runCli(['record', file], { cwd: fhir });
    assert.equal(native.status, 0, native.stderr);
    const wasm = core.ingest([{ name: file, bytes: bytesOf(file) }]);
    assert.equal(wasm + '\n', native.stdout.toString(), `record differs for ${file}`);
  }
});

test('wasm and native agree when sources are merged, with raw resources', async () => {
  const core = await loadCore();
  const files = ['clinic-a.json', 'clinic-b.json', 'export.ndjson'];
  const native = runCli(['record', '--raw', ...files], { cwd: fhir });
  assert.equal(native.status, 0, native.stderr);
  const wasm = core.ingest(files.map((f) => ({ name: f, bytes: bytesOf(f) })), { raw: true });
  assert.equal(wasm + '\n', native.stdout.toString());
  const record = JSON.parse(wasm);
  const merged = record.observations.filter((o) => o.sources.length === 2);
  assert.equal(merged.length, 1, 'the glucose both clinics reported is one item');
  assert.deepEqual(merged[0].sources.map((s) => s.source), ['clinic-a.json', 'clinic-b.json']);
});

test('malformed input throws an Error with a code and the source name', async () => {
  const core = await loadCore();
  assert.throws(() => core.ingest([{ name: 'broken.json', bytes: bytesOf('malformed.json') }]),
    (e) => e.name === 'ChartlockError' && e.code === 'malformed-json' && e.message.startsWith('broken.json: '));
  assert.throws(() => core.ingest([{ name: 'deep', bytes: new TextEncoder().encode('['.repeat(100000) + ']'.repeat(100000)) }]),
    (e) => e.code === 'too-deep');
  assert.throws(() => core.ingest([{ name: 'x', bytes: new TextEncoder().encode('{"a":1}') }], { maxBytes: 3 }),
    (e) => e.code === 'too-large');
  const lines = new TextEncoder().encode('{"resourceType":"Basic"}\n'.repeat(3));
  assert.throws(() => core.ingest([{ name: 'many.ndjson', bytes: lines }], { maxResources: 2 }),
    (e) => e.code === 'too-large' && /too many resources in one source: the limit is 2/.test(e.message));
  assert.equal(JSON.parse(core.ingest([{ name: 'many.ndjson', bytes: lines }], { maxResources: 3 })).sources[0].resources, 3);
});

test('bad arguments are invalid-argument errors, not crashes', async () => {
  const core = await loadCore();
  assert.throws(() => core.ingest('nope'), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.ingest([{ name: 'x', bytes: 'not bytes' }]), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.ingest([{ bytes: new Uint8Array(1) }]), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.ingest([{ name: 'x', bytes: new Uint8Array(1), format: 'xml' }]), (e) => e.code === 'invalid-argument');
  // The module still works afterwards.
  assert.equal(JSON.parse(core.ingest([])).schema, 'chartlock.record/1');
});

test('NDJSON can be forced and UTF-8 names survive', async () => {
  const core = await loadCore();
  const line = '{"resourceType":"Patient","name":[{"given":["Raúl"],"family":"Fernández"}]}';
  const record = JSON.parse(core.ingest([{ name: 'p', bytes: new TextEncoder().encode(line), format: 'ndjson' }]));
  assert.equal(record.sources[0].format, 'ndjson');
  assert.equal(record.patient.name, 'Raúl Fernández');
});

test('wasm and native agree on a generated three-provider patient (bundles and NDJSON)', async () => {
  const core = await loadCore();
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  for (const format of ['bundle', 'ndjson']) {
    const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-gen-'));
    const gen = runCli(['generate', '--seed', '42', '--size', '1MB', '--providers', '3', '--format', format, '--out', dir]);
    assert.equal(gen.status, 0, gen.stderr);
    const ext = format === 'bundle' ? 'json' : 'ndjson';
    const files = [1, 2, 3].map((i) => `provider-${i}.${ext}`);
    const native = runCli(['record', ...files], { cwd: dir });
    assert.equal(native.status, 0, native.stderr);
    const wasm = core.ingest(files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(dir, f))) })));
    assert.equal(wasm + '\n', native.stdout.toString(), format);
    const truth = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8'));
    const record = JSON.parse(wasm);
    assert.equal(record.observations.length, truth.expectedMerged.Observation);
    assert.equal(record.warnings.length, 0);
  }
});

// Texts cross from wasm as their ASCII stretches and non-ASCII runs, joined
// (wasm/bindings.cpp, js_text), or in one TextDecoder call when the runs are
// dense: both give the native CLI's bytes for every width of character, a
// lone two-byte one, runs of several, and a run at a name's start and end.
test('texts with sparse and dense non-ASCII characters cross whole', async () => {
  const core = await loadCore();
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-text-'));
  const ascii = 'x'.repeat(3000);
  const names = [
    ['Plain', ascii],
    ['Raúl', `°${ascii}°²${ascii}€${ascii}😀${ascii}é中²😀é-ü°C`],
    ['Ĳ', `${'y'.repeat(700)}\u00a1\u07fa\u0800\ufb01${'z'.repeat(700)}`],
    ['Иван', 'Иванов Петров '.repeat(300).trimEnd()],
    // Every non-ASCII character U+0080-U+00FF: under Node, the Latin-1 way
    // (bindings.cpp, to_latin1), with runs of one and of several, the lowest
    // and highest such characters, and a run at the family name's end.
    ['Zoë', `°${ascii}°²${ascii}\u0080éàü${ascii}ÿ\u00bf${ascii}é`],
    // C1 controls (U+0080-U+009F): Buffer's latin1 makes them exactly, so
    // under Node they go the Latin-1 way too (a browser's "latin1" decoder,
    // windows-1252, would not: tests/browser/wasm-core.test.mjs).
    ['Åsa', `${ascii}\u0085\u009f\u00a0${ascii}ÿ${'\u0080'.repeat(3)}`],
  ];
  for (const [i, [given, family]] of names.entries()) {
    const file = `p${i}.ndjson`;
    const line = JSON.stringify({ resourceType: 'Patient', name: [{ given: [given], family }] });
    const bytes = new TextEncoder().encode(line + '\n');
    writeFileSync(path.join(dir, file), bytes);
    const wasm = core.ingest([{ name: file, bytes }]);
    assert.equal(JSON.parse(wasm).patient.name, `${given} ${family}`.trim());
    const native = runCli(['record', file], { cwd: dir });
    assert.equal(native.status, 0, native.stderr);
    assert.equal(wasm + '\n', native.stdout.toString(), file);
  }
});
