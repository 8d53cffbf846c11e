// SPDX-License-Identifier: Apache-2.0
// The International Patient Summary is the core's, natively and in wasm:
// `chartlock ips` and Records.ips give the same bytes for the same records,
// consent and today (docs/ips.md); the CLI's errors follow its conventions.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, loadCore, runCli } from './support.mjs';

const fhir = path.join(fixtures, 'fhir');
const today = '2025-06-01';

const consents = [
  { scopes: ['patient/*.rs'] },
  { scopes: ['patient/*.rs'], patient: false, sensitive: ['mental-health'], from: '2020-01-01' },
  { scopes: ['patient/*.rs'], categories: ['patient', 'medications', 'allergies', 'vitals'] },
  { scopes: ['patient/*.rs'], deidentify: { shiftDays: -45 } },
  { scopes: ['patient/Condition.rs', 'patient/Patient.rs'], to: '2019-12-31', exclude: ['cond-0000000000000000'] },
];

function wasmIps(core, files, dir, consent, options) {
  const records = new core.Records(files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(dir, f))) })), {});
  try {
    return records.ips(JSON.stringify(consent), options);
  } finally {
    records.delete();
  }
}

function tempDir() {
  return mkdtempSync(path.join(tmpdir(), 'chartlock-ips-'));
}

test('chartlock ips and Records.ips give the same bytes', async () => {
  const core = await loadCore();
  const dir = tempDir();
  const gen = runCli(['generate', '--seed', '13', '--size', '300KB', '--providers', '3', '--out', dir]);
  assert.equal(gen.status, 0, gen.stderr);
  const inputs = [
    { dir: fhir, files: ['clinic-a.json', 'clinic-b.json'] },
    { dir, files: ['provider-1.json', 'provider-2.json', 'provider-3.json'] },
  ];
  for (const { dir: at, files } of inputs) {
    for (const consent of consents) {
      const file = path.join(dir, 'consent.json');
      writeFileSync(file, JSON.stringify(consent));
      const native = runCli(['ips', '--consent', file, '--today', today, ...files], { cwd: at });
      assert.equal(native.status, 0, native.stderr);
      const result = wasmIps(core, files, at, consent, { today });
      assert.equal(result.bundle + '\n', native.stdout.toString(), `${files} with ${JSON.stringify(consent)}`);
      const bundle = JSON.parse(result.bundle);
      assert.equal(bundle.type, 'document');
      assert.equal(bundle.entry[0].resource.resourceType, 'Composition');
      assert.ok(Array.isArray(result.keys));
      assert.ok(result.sources.every((s) => files.includes(s)));
    }
  }
});

test('chartlock ips --pretty is the same document, indented', () => {
  const dir = tempDir();
  const file = path.join(dir, 'consent.json');
  writeFileSync(file, JSON.stringify(consents[0]));
  const args = ['ips', '--consent', file, '--today', today, 'clinic-a.json'];
  const compact = runCli(args, { cwd: fhir });
  const pretty = runCli([...args, '--pretty'], { cwd: fhir });
  assert.equal(pretty.status, 0, pretty.stderr);
  assert.deepEqual(JSON.parse(pretty.stdout.toString()), JSON.parse(compact.stdout.toString()));
  assert.match(pretty.stdout.toString(), /\n {2}"type": "document"/);
});

test('Records.ips: today defaults to today (UTC); the keys shown narrow it; errors carry codes', async () => {
  const core = await loadCore();
  const files = ['clinic-a.json'];
  const dated = JSON.parse(wasmIps(core, files, fhir, consents[0], undefined).bundle);
  assert.equal(dated.timestamp, new Date().toISOString().slice(0, 10) + 'T00:00:00Z');
  const none = wasmIps(core, files, fhir, consents[0], { today, keys: [] });
  assert.deepEqual(none.keys, []);
  assert.throws(() => wasmIps(core, files, fhir, { scopes: ['patient/*.rs'], colour: 'blue' }, { today }), (e) => e.code === 'bad-consent');
  assert.throws(() => wasmIps(core, files, fhir, consents[0], { today: '1/6/2025' }), (e) => e.code === 'invalid-argument');
});

test('chartlock ips: help, usage and input errors', () => {
  const help = runCli(['ips', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout.toString(), /International Patient Summary/);
  assert.match(runCli(['--help']).stdout.toString(), /\n {2}ips /);
  const dir = tempDir();
  const good = path.join(dir, 'consent.json');
  writeFileSync(good, JSON.stringify(consents[0]));
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ scopes: ['patient/Condition.rs'], categories: ['labs'] }));

  const noConsent = runCli(['ips', 'clinic-a.json'], { cwd: fhir });
  assert.equal(noConsent.status, 2);
  assert.match(noConsent.stderr, /^chartlock ips: .*--consent/);
  const noFiles = runCli(['ips', '--consent', good]);
  assert.equal(noFiles.status, 2);
  assert.match(noFiles.stderr, /no input files/);
  const badConsent = runCli(['ips', '--consent', bad, 'clinic-a.json'], { cwd: fhir });
  assert.equal(badConsent.status, 2);
  assert.match(badConsent.stderr, /bad\.json: .*labs/);
  const badToday = runCli(['ips', '--consent', good, '--today', 'tomorrow', 'clinic-a.json'], { cwd: fhir });
  assert.equal(badToday.status, 2);
  assert.match(badToday.stderr, /--today/);
  const missing = runCli(['ips', '--consent', good, path.join(dir, 'nowhere.json')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nowhere\.json/);
  const missingConsent = runCli(['ips', '--consent', path.join(dir, 'nowhere-consent.json'), 'clinic-a.json'], { cwd: fhir });
  assert.equal(missingConsent.status, 1);
});
