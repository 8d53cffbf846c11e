// SPDX-License-Identifier: Apache-2.0
// The native CLI as a user runs it: exit codes, messages, help.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, runCli } from './support.mjs';

const fhir = path.join(fixtures, 'fhir');

test('record prints the merged record and exits 0', () => {
  const r = runCli(['record', 'clinic-a.json', 'clinic-b.json'], { cwd: fhir });
  assert.equal(r.status, 0, r.stderr);
  const record = JSON.parse(r.stdout);
  assert.equal(record.patient.name, 'Maria Elena Ortiz');
  assert.equal(record.patient.birthDate, '1968-04-12');
  assert.equal(record.sources.length, 2);
  assert.equal(record.counts.Observation, 5);
  assert.equal(record.conditions.length, 1);
  assert.equal(record.conditions[0].sources.length, 2);
});

test('warnings go in the JSON and a one-line note to stderr; exit 0', () => {
  const r = runCli(['record', 'with-warnings.json'], { cwd: fhir });
  assert.equal(r.status, 0);
  assert.match(r.stderr, /warning\(s\)/);
  assert.ok(JSON.parse(r.stdout).warnings.length >= 4);
});

test('bad input exits 2 with the message on stderr and nothing on stdout', () => {
  const r = runCli(['record', 'clinic-a.json', 'malformed.json'], { cwd: fhir });
  assert.equal(r.status, 2);
  assert.equal(r.stdout.length, 0);
  assert.match(r.stderr, /^chartlock record: malformed\.json: input is not valid JSON/);
});

test('a missing file is an I/O error (exit 1) naming the file', () => {
  const r = runCli(['record', 'no-such-file.json'], { cwd: fhir });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such-file\.json/);
});

test('usage errors exit 2 and point at --help', () => {
  for (const args of [['record'], ['record', '--bogus', 'x'], ['record', '--max-depth', 'x', 'a'], ['nope']]) {
    const r = runCli(args);
    assert.equal(r.status, 2, args.join(' '));
  }
  assert.match(runCli(['record', '--bogus', 'x']).stderr, /unknown option --bogus/);
});

test('every command has --help', () => {
  for (const cmd of ['record', 'keygen', 'seal', 'open', 'generate']) {
    const r = runCli([cmd, '--help']);
    assert.equal(r.status, 0, cmd);
    assert.match(r.stdout.toString(), new RegExp(`usage: chartlock ${cmd}`));
  }
});

test('limits are settable from the command line', () => {
  const r = runCli(['record', '--max-bytes', '100', 'clinic-a.json'], { cwd: fhir });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /the limit is 100/);
  const few = runCli(['record', '--max-resources', '2', 'clinic-a.json'], { cwd: fhir });
  assert.equal(few.status, 2);
  assert.match(few.stderr, /too many resources in one source: the limit is 2/);
  assert.equal(runCli(['record', '--max-resources', '100000', 'clinic-a.json'], { cwd: fhir }).status, 0);
});
