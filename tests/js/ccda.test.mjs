// SPDX-License-Identifier: Apache-2.0
// C-CDA documents (tests/fixtures/ccda) read by content: the native CLI's
// record and summary, and the wasm module's ingest, byte for byte the same;
// hostile XML refused with its code by both.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, loadCore, runCli } from './support.mjs';

const ccda = path.join(fixtures, 'ccda');
const documents = ['ccd.xml', 'discharge-summary.xml', 'progress-note.xml'];
const bytesOf = (name) => new Uint8Array(readFileSync(path.join(ccda, name)));

test('wasm and native give the same record JSON for every C-CDA example document', async () => {
  const core = await loadCore();
  for (const file of documents) {
    const native = runCli(['record', file], { cwd: ccda });
    assert.equal(native.status, 0, native.stderr);
    const wasm = core.ingest([{ name: file, bytes: bytesOf(file) }]);
    assert.equal(wasm + '\n', native.stdout.toString(), `record differs for ${file}`);
    const record = JSON.parse(wasm);
    assert.equal(record.sources[0].format, 'ccda');
    assert.equal(record.documents.length, 1, 'the narrative is one note');
  }
});

test('chartlock summary reads a CCD', () => {
  const out = runCli(['summary', 'ccd.xml', '--format', 'markdown'], { cwd: ccda });
  assert.equal(out.status, 0, out.stderr);
  const text = out.stdout.toString();
  assert.match(text, /^# Health summary: Eve Betterhalf/);
  assert.match(text, /Hemoglobin \(LOINC 718-7\) \| 13\.2 g\/dL/);
});

test('hostile XML is refused with its code, natively (exit 2) and in wasm', async () => {
  const core = await loadCore();
  const cases = [
    ['<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>', 'unsafe-xml'],
    ['<ClinicalDocument xmlns="urn:hl7-org:v3">' + '<a>'.repeat(5000), 'too-deep'],
    ['<ClinicalDocument xmlns="urn:hl7-org:v3"><title>x</ClinicalDocument>', 'malformed-xml'],
    ['<Patient xmlns="http://hl7.org/fhir"/>', 'not-ccda'],
  ];
  for (const [xml, code] of cases) {
    assert.throws(() => core.ingest([{ name: 'bad.xml', bytes: new TextEncoder().encode(xml) }]),
      (e) => e.name === 'ChartlockError' && e.code === code && e.message.startsWith('bad.xml: '), code);
    const native = runCli(['record', '-'], { input: xml });
    assert.equal(native.status, 2, code);
    assert.ok(native.stdout.length === 0, 'nothing printed on stdout');
  }
});
