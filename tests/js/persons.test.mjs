// SPDX-License-Identifier: Apache-2.0
// One person per record, natively and in wasm: `chartlock persons` and the
// module's persons() agree; two generated people are refused by record,
// summary and share (exit 2, the differing fields named) and read apart with
// --person; a multi-patient bulk export is split per person.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore, runCli } from './support.mjs';

function generate(dir, seed, providers, format = 'bundle') {
  const out = path.join(dir, `seed-${seed}`);
  const r = runCli(['generate', '--seed', String(seed), '--size', '150KB', '--providers', String(providers), '--format', format, '--out', out]);
  assert.equal(r.status, 0, r.stderr.toString());
  return out;
}

const sourcesOf = (files) => files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(f)) }));

test('two people: refused with the fields that differ; each read alone with --person', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-persons-'));
  const a = generate(dir, 21, 2);
  const b = generate(dir, 22, 1);
  const files = [path.join(a, 'provider-1.json'), path.join(a, 'provider-2.json'), path.join(b, 'provider-1.json')];
  const listed = runCli(['persons', ...files]);
  assert.equal(listed.status, 0, listed.stderr.toString());
  const persons = JSON.parse(listed.stdout);
  assert.equal(persons.length, 2);
  assert.deepEqual(persons[0].sources, files.slice(0, 2), 'one person across two providers');
  assert.equal(core.persons(sourcesOf(files)) + '\n', listed.stdout.toString(), 'wasm and native agree');

  for (const command of [['record'], ['summary'], ['share', '--consent', path.join(dir, 'consent.json'), '--preview']]) {
    writeFileSync(path.join(dir, 'consent.json'), '{"scopes":["patient/*.rs"]}');
    const refused = runCli([...command, ...files]);
    assert.equal(refused.status, 2, command[0]);
    const text = refused.stderr.toString();
    assert.match(text, /records of 2 different people/);
    assert.match(text, new RegExp(`birthDate: ${persons[0].birthDate} / ${persons[1].birthDate}`));
    assert.match(text, /--person KEY/);
  }
  const one = runCli(['record', '--person', persons[1].key, ...files]);
  assert.equal(one.status, 0, one.stderr.toString());
  const record = JSON.parse(one.stdout);
  assert.equal(record.patient.name, persons[1].name);
  assert.deepEqual(record.sources.map((s) => s.name), [files[2]]);
  const wasm = JSON.parse(core.ingest(sourcesOf(files), { person: persons[1].key }));
  assert.equal(JSON.stringify(wasm), JSON.stringify(record));
  assert.throws(() => core.ingest(sourcesOf(files)), (e) => e.code === 'different-persons' && e.persons.length === 2
    && !e.message.includes(persons[0].name));
  assert.throws(() => core.ingest(sourcesOf(files), { person: 'person-nobody' }), (e) => e.code === 'unknown-person');
  const unknown = runCli(['summary', '--person', 'person-nobody', ...files]);
  assert.equal(unknown.status, 2);
  // A Records handle knows whose it is; a share for another person (a grant's) is refused by the core.
  const records = new core.Records(sourcesOf(files), { person: persons[1].key });
  try {
    assert.equal(records.person(), persons[1].key);
    const consent = '{"scopes":["patient/*.rs"]}';
    assert.throws(() => records.share({ consent, person: persons[0].key }), (e) => e.code === 'wrong-person');
    assert.ok(records.share({ consent, person: persons[1].key }).keys.length > 0);
  } finally {
    records.delete();
  }
});

test('a bulk export of several patients: each listed, --person gives that patient\'s resources only', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-bulk-'));
  const seeds = [31, 32, 33];
  const singles = seeds.map((s) => path.join(generate(dir, s, 1, 'ndjson'), 'provider-1.ndjson'));
  const bulk = path.join(dir, 'export.ndjson');
  writeFileSync(bulk, singles.map((f) => readFileSync(f, 'utf8').trimEnd()).join('\n') + '\n');
  const persons = JSON.parse(runCli(['persons', bulk]).stdout);
  assert.equal(persons.length, 3);
  for (let i = 0; i < seeds.length; i++) {
    const alone = JSON.parse(runCli(['record', singles[i]]).stdout);
    const person = persons.find((p) => p.name === alone.patient.name);
    assert.ok(person, `${alone.patient.name} is listed`);
    const split = JSON.parse(runCli(['record', '--person', person.key, bulk]).stdout);
    // Resources that name no patient (the providers' Organizations, Practitioners, Medications)
    // could be anyone's in an export of several: left out, and said so.
    const own = (counts) => Object.fromEntries(Object.entries(counts)
      .filter(([type]) => !['Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication'].includes(type)));
    assert.deepEqual(own(split.counts), own(alone.counts), 'exactly this patient\'s resources');
    assert.ok(split.warnings.some((w) => /name no patient; with several persons/.test(w.message)));
    assert.equal(split.conditions.length, alone.conditions.length);
    assert.equal(split.observations.length, alone.observations.length);
  }
});
