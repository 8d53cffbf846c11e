// SPDX-License-Identifier: Apache-2.0
// The provider directory in wasm: loaded once, searched as the patient types.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore, runCli } from './support.mjs';

test('a 10,000-brand directory is searched in wasm with typos forgiven', async () => {
  const core = await loadCore();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'chartlock-dir-')), 'directory.json');
  const gen = runCli(['directory', 'generate', '--out', file, '--count', '10000',
    '--listing', 'Riverside Family Medicine|Springfield|IL|http://127.0.0.1:9101/fhir']);
  assert.equal(gen.status, 0, gen.stderr);
  const directory = new core.Directory(new Uint8Array(readFileSync(file)));
  try {
    assert.equal(directory.size(), 10001);
    const { total, matches } = JSON.parse(directory.search('rivrside famly springfeld', 5));
    assert.equal(total, 1);
    assert.equal(matches[0].fhirBase, 'http://127.0.0.1:9101/fhir');
    assert.equal(matches[0].name, 'Riverside Family Medicine');
    assert.ok(matches[0].portalName && matches[0].logo);
    assert.deepEqual(JSON.parse(directory.search('zzzzqqq', 5)), { total: 0, matches: [] });
    // How many match in all, beyond the few returned; one of each name first.
    const brands = JSON.parse(readFileSync(file, 'utf8')).entry.map((e) => e.resource)
      .filter((r) => r.resourceType === 'Organization' && /\bRiverside\b/.test(r.name));
    const riverside = JSON.parse(directory.search('riversde', 10));
    assert.equal(riverside.total, brands.length);
    assert.equal(riverside.matches.length, 10);
    assert.equal(new Set(riverside.matches.map((m) => m.name)).size, 10);
    // The same answers as the native CLI.
    const native = runCli(['directory', 'search', file, 'mercy denver', '--limit', '7']).stdout.toString()
      .trim().split('\n').map((l) => JSON.parse(l));
    const wasm = JSON.parse(directory.search('mercy denver', 7)).matches;
    assert.deepEqual(wasm.map((m) => [m.name, m.fhirBase, m.score]), native.map((m) => [m.name, m.fhirBase, m.score]));
    assert.throws(() => directory.search('x', 0), (e) => e.code === 'invalid-argument');
  } finally {
    directory.delete();
  }
  assert.throws(() => new core.Directory(new TextEncoder().encode('[]')), (e) => e.code === 'not-fhir');
});
