// SPDX-License-Identifier: Apache-2.0
// SMART Health Cards from the command line: `chartlock record` and `summary`
// read the spec's example cards (tests/fixtures/shc) by their shape, verified
// with --jwks; a card that does not verify is refused (exit 2, the reason on
// stderr, nothing of the card's content) unless --allow-unverified.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, runCli } from './support.mjs';

const shc = (name) => path.join(fixtures, 'shc', name);
const jwks = shc('issuer.jwks.json');
const issuer = 'https://spec.smarthealth.cards/examples/issuer';

// The doses in the published Bundle, counted here.
const publishedDoses = JSON.parse(readFileSync(shc('example-00-a-fhirBundle.json'), 'utf8'))
  .entry.filter((e) => e.resource.resourceType === 'Immunization').length;

test('record reads a card file, its JWS and its QR text, each item naming the issuer, verified', () => {
  for (const name of ['example-00-e-file.smart-health-card', 'example-00-d-jws.txt', 'example-00-f-qr-code-numeric-value-0.txt']) {
    const r = runCli(['record', '--jwks', jwks, shc(name)]);
    assert.equal(r.status, 0, r.stderr);
    const record = JSON.parse(r.stdout);
    assert.equal(record.immunizations.length, publishedDoses);
    for (const item of [...record.immunizations, record.patient]) {
      assert.deepEqual(item.sources[0].card, { issuer, verified: true });
    }
    assert.equal(record.sources[0].format, 'smart-health-card');
  }
});

test('a card without its issuer keys, or tampered, is refused with the reason and no content', () => {
  const noKeys = runCli(['record', shc('example-00-d-jws.txt')]);
  assert.equal(noKeys.status, 2);
  assert.match(noKeys.stderr, /card-unknown-key: .*signed by key 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.*--jwks FILE/);

  const jws = readFileSync(shc('example-00-d-jws.txt'), 'utf8').trim();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-shc-'));
  const tampered = path.join(dir, 'tampered.txt');
  const at = jws.length - 12;  // one signature character
  writeFileSync(tampered, jws.slice(0, at) + (jws[at] === 'A' ? 'B' : 'A') + jws.slice(at + 1));
  const bad = runCli(['summary', '--jwks', jwks, tampered]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /card-bad-signature: .*the card was changed after it was signed/);
  assert.equal(bad.stdout.length, 0);
  for (const r of [noKeys, bad]) assert.doesNotMatch(r.stderr, /Anyperson|1951/);

  const kept = runCli(['record', '--jwks', jwks, '--allow-unverified', tampered]);
  assert.equal(kept.status, 0, kept.stderr);
  const record = JSON.parse(kept.stdout);
  assert.equal(record.immunizations.length, publishedDoses);
  assert.ok(record.immunizations.every((i) => i.sources[0].card.verified === false));
  assert.equal(record.warnings[0].code, 'card-bad-signature');

  const chunk = path.join(dir, 'chunk.txt');  // one of three chunked QR codes, alone
  writeFileSync(chunk, readFileSync(shc('example-02-f-qr-code-numeric-value-0.txt')));
  const malformed = runCli(['record', '--jwks', jwks, '--allow-unverified', chunk]);
  assert.equal(malformed.status, 2);
  assert.match(malformed.stderr, /card-malformed: .*QR chunk 2 of 3 is missing/);
});

test('summary reads the chunked QR codes of the IPS example given together', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-shc-'));
  const all = path.join(dir, 'ips-qr.txt');
  writeFileSync(all, [0, 1, 2].map((i) => readFileSync(shc(`example-02-f-qr-code-numeric-value-${i}.txt`), 'utf8').trim()).join('\n'));
  const r = runCli(['summary', '--jwks', jwks, '--format', 'markdown', '--today', '2026-01-01', all]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.toString(), /Anyperson|allerg|Allerg/);
});

test('a --jwks file that is not a JWKS, or whose kid is not its thumbprint, is refused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-shc-'));
  const wrong = path.join(dir, 'wrong.json');
  writeFileSync(wrong, readFileSync(jwks, 'utf8').replace('3Kfdg-XwP', '3Kfdg-XwQ'));
  const r = runCli(['record', '--jwks', wrong, shc('example-00-d-jws.txt')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--jwks .*wrong\.json: key 1: its kid is not its JWK thumbprint/);
});

test('persons, share and ips take the same card options', () => {
  const persons = runCli(['persons', '--jwks', jwks, shc('example-00-e-file.smart-health-card'), shc('example-01-d-jws.txt')]);
  assert.equal(persons.status, 0, persons.stderr);
  assert.equal(JSON.parse(persons.stdout).length, 1, 'two cards of one person');
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-shc-'));
  const consent = path.join(dir, 'consent.json');
  writeFileSync(consent, JSON.stringify({ scopes: ['patient/Immunization.rs'] }));
  const preview = runCli(['share', '--consent', consent, '--preview', '--jwks', jwks, shc('example-00-d-jws.txt')]);
  assert.equal(preview.status, 0, preview.stderr);
  assert.equal((preview.stdout.toString().match(/resourceType\\":\\"Immunization/g) ?? []).length, publishedDoses);
  const ips = runCli(['ips', '--consent', consent, '--today', '2026-01-01', '--allow-unverified', shc('example-00-d-jws.txt')]);
  assert.equal(ips.status, 0, ips.stderr);
});
