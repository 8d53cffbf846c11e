// SPDX-License-Identifier: Apache-2.0
// The consent engine is the same natively and in wasm: `chartlock share
// --preview` and Records.share give byte-identical parts for the same records
// and consent; the receipt is the core's; the CLI seals what it previews.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, loadCore, runCli } from './support.mjs';

const fhir = path.join(fixtures, 'fhir');
const today = '2025-06-01';
const dec = new TextDecoder();

const consents = [
  { scopes: ['patient/*.rs'] },
  { scopes: ['patient/*.rs'], patient: false, sensitive: ['mental-health'], from: '2020-01-01' },
  { scopes: ['patient/Observation.rs?category=vital-signs', 'patient/Condition.rs'], categories: ['vitals'] },
  { scopes: ['patient/Condition.rs', 'patient/Patient.rs'], to: '2019-12-31', exclude: ['cond-0000000000000000'] },
];

function wasmParts(core, files, dir, consent, keys) {
  const records = new core.Records(files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(dir, f))) })), {});
  try {
    const content = records.share({ consent: JSON.stringify(consent), today, ...(keys ? { keys } : {}) });
    return { content, parts: content.parts.map((p) => ({ name: p.name, mediaType: p.mediaType, text: dec.decode(p.bytes) })) };
  } finally {
    records.delete();
  }
}

test('chartlock share --preview and the wasm engine give byte-identical parts', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-share-'));
  const gen = runCli(['generate', '--seed', '11', '--size', '400KB', '--providers', '3', '--out', dir]);
  assert.equal(gen.status, 0, gen.stderr);
  const inputs = [
    { dir: fhir, files: ['clinic-a.json', 'clinic-b.json'] },
    { dir, files: ['provider-1.json', 'provider-2.json', 'provider-3.json'] },
  ];
  for (const { dir: at, files } of inputs) {
    for (const consent of consents) {
      const file = path.join(dir, 'consent.json');  // never beside the fixtures
      writeFileSync(file, JSON.stringify(consent));
      const native = runCli(['share', '--consent', file, '--preview', '--today', today, ...files], { cwd: at });
      assert.equal(native.status, 0, native.stderr.toString());
      const { parts } = wasmParts(core, files, at, consent);
      assert.equal(JSON.stringify({ parts }) + '\n', native.stdout.toString(), `${files} with ${JSON.stringify(consent)}`);
    }
  }
});

test('only vital signs from three providers names only the providers of those vital signs', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-share-'));
  assert.equal(runCli(['generate', '--seed', '5', '--size', '300KB', '--providers', '3', '--out', dir]).status, 0);
  const files = ['provider-1.json', 'provider-2.json', 'provider-3.json'];
  const { content, parts } = wasmParts(core, files, dir, { scopes: ['patient/Observation.rs?category=vital-signs'] });
  assert.ok(content.keys.length > 0);
  const record = JSON.parse(core.ingest(files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(dir, f))) }))));
  const vitalSources = new Set(record.observations.filter((o) => (o.category ?? []).includes('vital-signs'))
    .flatMap((o) => o.sources.map((s) => s.source)));
  assert.deepEqual([...content.sources].sort(), [...vitalSources].sort());
  const everything = parts.map((p) => p.text).join('\n');
  for (const f of files.filter((name) => !vitalSources.has(name))) assert.ok(!everything.includes(f), `${f} is named`);
  // No other category's words: the summary says they were not shared.
  assert.match(parts[1].text, /Not shared: the patient did not share lab results\./);
  assert.doesNotMatch(parts[1].text, /none on record|not checked recently/i);
});

test('keys outside the consent are refused with their reason; a bad consent is a clear error', async () => {
  const core = await loadCore();
  const records = new core.Records([{ name: 'a.json', bytes: new Uint8Array(readFileSync(path.join(fhir, 'clinic-a.json'))) }], {});
  try {
    const catalog = JSON.parse(records.consentCatalog());
    const condition = catalog.find((i) => i.category === 'conditions');
    const lab = catalog.find((i) => i.category === 'labs');
    const content = records.share({ consent: JSON.stringify({ scopes: ['patient/Condition.rs'] }), today,
      keys: [condition.key, lab.key, 'nope'] });
    assert.deepEqual(content.keys, [condition.key]);
    assert.deepEqual(content.refused, [{ key: lab.key, why: 'out-of-scope' }, { key: 'nope', why: 'not-in-record' }]);
    const preview = JSON.parse(records.consentPreview(JSON.stringify({ scopes: ['patient/Condition.rs'] })));
    assert.equal(preview.items.find((i) => i.key === lab.key).refused, 'out-of-scope');
    assert.deepEqual(preview.covered, ['conditions']);
    assert.throws(() => records.share({ consent: '{"scopes":["patient/Condition.rs"],"categories":["labs"]}' }),
      (e) => e.code === 'bad-consent' && /do not cover "labs"/.test(e.message));
    assert.deepEqual(core.consentCategories(['patient/Observation.rs?category=laboratory', 'openid']), ['labs']);
    const labels = core.consentLabels();
    assert.equal(labels.categories.labs, 'lab results');
    assert.equal(labels.sensitive['mental-health'], 'Mental health');
    assert.deepEqual(Object.keys(labels.categories).length, 15);
  } finally {
    records.delete();
  }
});

test('chartlock share seals what it previews, the core receipt as part 0, naming each part by its digest', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-share-'));
  const at = (f) => path.join(dir, f);
  for (const who of ['tool', 'patient']) assert.equal(runCli(['keygen', '--out', at(who)]).status, 0);
  writeFileSync(at('consent.json'), JSON.stringify({ scopes: ['patient/Condition.rs'] }));
  const input = path.join(fhir, 'clinic-a.json');
  const sealed = runCli(['share', '--consent', at('consent.json'), '--to', at('tool.pub'), '--key', at('patient.key'),
    '--out', at('share.clb'), '--today', today, input]);
  assert.equal(sealed.status, 0, sealed.stderr.toString());
  const preview = JSON.parse(runCli(['share', '--consent', at('consent.json'), '--preview', '--today', today, input]).stdout);
  const out = runCli(['open', '--key', at('tool.key'), '--from', at('patient.pub'), '--out-dir', at('out'), at('share.clb')]);
  assert.equal(out.status, 0, out.stderr.toString());
  for (const part of preview.parts) assert.equal(readFileSync(at(`out/${part.name}`), 'utf8'), part.text);
  const receipt = JSON.parse(readFileSync(at('out/receipt'), 'utf8'));
  assert.equal(receipt.type, 'chartlock-consent-receipt');
  assert.equal(receipt.fhir.resourceType, 'Consent');
  assert.deepEqual(receipt.scopesRequested, ['patient/Condition.rs']);
  assert.equal(receipt.shared.items, receipt.shared.keys.length);
  assert.deepEqual(receipt.parts.map((p) => p.name), preview.parts.map((p) => p.name));
  assert.ok(receipt.parts.every((p) => /^[0-9a-f]{64}$/.test(p.blake2b256)));
  // The tool's check (the SDK's and `tool fetch`'s) holds the parts to those digests.
  const keyFile = (name) => readFileSync(at(name), 'utf8');
  const opened = core.bundleOpen(new Uint8Array(readFileSync(at('share.clb'))),
    { key: keyFile('tool.key'), expectedSigner: keyFile('patient.pub'), grantId: receipt.grantId, minSequence: 1 });
  assert.deepEqual(opened.parts.map((p) => dec.decode(p.bytes)), preview.parts.map((p) => p.text));
  const bad = runCli(['share', '--consent', at('consent.json'), '--preview', '--to', at('tool.pub'), input]);
  assert.equal(bad.status, 2);
  writeFileSync(at('bad.json'), '{"scopes":["patient/Condition.rs"],"exclud":[]}');
  const typo = runCli(['share', '--consent', at('bad.json'), '--preview', input]);
  assert.equal(typo.status, 2);
  assert.match(typo.stderr.toString(), /unknown field "exclud"/);
});
