// SPDX-License-Identifier: Apache-2.0
// SMART Health Links end to end: `chartlock shl create|update|revoke` against
// the real relay binary, and a recipient written only from the SHL
// specification (HL7 SMART Health Cards and Links IG, STU1) with the `jose`
// package for the JWE: no Chartlock code decodes anything here. shlink:/ →
// payload → manifest (POST) → file (location or embedded) → JWE → the IPS
// Bundle, Composition first. Passcodes (right, wrong with remainingAttempts
// falling, exhausted), expiry, revocation, an L link's update, and what the
// relay's database holds (ciphertext, never the key or the IPS).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { CompactEncrypt } from 'jose';

import { backends, makeKeys, nowSeconds, signedFetch, sleep, startRelay } from './relay-support.mjs';
import { cli } from './support.mjs';
import { assertIps, decodePayload, decrypt, fileOf, manifest, open } from './shl-recipient.mjs';

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

// ---- the patient's side ----

async function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-shl-'));
  const at = (f) => path.join(dir, f);
  assert.equal((await run(['keygen', '--out', at('patient')])).status, 0);
  assert.equal((await run(['keygen', '--out', at('stranger')])).status, 0);
  const g = await run(['generate', '--seed', '15', '--size', '100KB', '--providers', '2', '--out', at('synth')]);
  assert.equal(g.status, 0, g.stderr);
  writeFileSync(at('consent.json'), JSON.stringify({
    scopes: ['patient/Condition.rs', 'patient/MedicationRequest.rs', 'patient/AllergyIntolerance.rs',
      'patient/Observation.rs?category=laboratory'],
  }));
  writeFileSync(at('consent-small.json'), JSON.stringify({ scopes: ['patient/Condition.rs'] }));
  return { dir, at, records: [at('synth/provider-1.json'), at('synth/provider-2.json')] };
}

for (const backend of backends) {
  describe(`SMART Health Links (${backend.name})`, () => {
    let relay;
    let ws;
    const create = async (extra = [], consent = 'consent.json') => {
      const r = await run(['shl', 'create', '--consent', ws.at(consent), '--relay', relay.url, '--key', ws.at('patient.key'),
        '--today', '2026-06-01', ...extra, ...ws.records]);
      assert.equal(r.status, 0, r.stderr);
      const link = r.stdout.trim();
      assert.match(link, /^shlink:\/[A-Za-z0-9_-]+$/);
      return link;
    };

    before(async () => {
      ws = await workspace();
      relay = await startRelay({ db: backend.db() });
    });
    after(() => relay?.stop());

    test('a link opens to the IPS; its location is single-use; embedded when asked', async () => {
      const link = await create(['--label', 'For the clinic', '--expires-in', '7']);
      const { payload, manifest: m, entry, bundle } = await open(link);
      assert.equal(payload.label, 'For the clinic');
      assert.equal(payload.v, 1);
      assert.equal(payload.flag, undefined);
      assert.ok(Math.abs(payload.exp - (nowSeconds() + 7 * 86400)) < 60);
      assert.equal(m.status, 'finalized');
      assertIps(bundle);
      assert.equal((await fetch(entry.location)).status, 404, 'a location opens once');

      const big = await manifest(payload, { recipient: 'Dr. Spec', embeddedLengthMax: 100_000_000 });
      assert.equal(big.status, 200);
      assert.equal(big.json.files[0].location, undefined);
      assertIps(await decrypt(payload, big.json.files[0].embedded));
      const small = await manifest(payload, { recipient: 'Dr. Spec', embeddedLengthMax: 10 });
      assert.ok(small.json.files[0].location);
    });

    test('passcode: required, wrong ones counted down, right one works, exhausted locks the link', async () => {
      const link = await create(['--passcode', '2468', '--max-attempts', '3']);
      const payload = decodePayload(link);
      assert.equal(payload.flag, 'P');
      let m = await manifest(payload, { recipient: 'Dr. Spec' });
      assert.equal(m.status, 401);
      assert.equal(m.json.remainingAttempts, 3);
      m = await manifest(payload, { recipient: 'Dr. Spec', passcode: '1111' });
      assert.equal(m.status, 401);
      assert.equal(m.json.remainingAttempts, 2);
      assertIps((await open(link, { passcode: '2468' })).bundle);
      m = await manifest(payload, { recipient: 'Dr. Spec', passcode: '2222' });
      assert.equal(m.json.remainingAttempts, 1);
      m = await manifest(payload, { recipient: 'Dr. Spec', passcode: '3333' });
      assert.equal(m.status, 401);
      assert.equal(m.json.remainingAttempts, 0);
      m = await manifest(payload, { recipient: 'Dr. Spec', passcode: '2468' });
      assert.equal(m.status, 404, 'no attempts left: even the right passcode finds nothing');
    });

    test('revoke: the manifest and an issued location answer 404', async () => {
      const link = await create();
      const { entry } = await (async () => {
        const payload = decodePayload(link);
        const m = await manifest(payload, { recipient: 'Dr. Spec' });
        return { entry: m.json.files[0] };
      })();
      const wrong = await run(['shl', 'revoke', '--key', ws.at('stranger.key'), link]);
      assert.equal(wrong.status, 1);
      assert.match(wrong.stderr, /403|wrong-key/);
      const r = await run(['shl', 'revoke', '--key', ws.at('patient.key'), `https://viewer.example/#${link}`]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal((await manifest(decodePayload(link), { recipient: 'Dr. Spec' })).status, 404);
      assert.equal((await fetch(entry.location)).status, 404);
    });

    test('a long-term (L) link follows updates; a plain one cannot be updated', async () => {
      const link = await create(['--long-term']);
      const first = await open(link);
      assert.equal(first.payload.flag, 'L');
      assert.equal(first.manifest.status, 'can-change');
      const u = await run(['shl', 'update', '--consent', ws.at('consent-small.json'), '--key', ws.at('patient.key'),
        '--today', '2026-06-02', link, ...ws.records]);
      assert.equal(u.status, 0, u.stderr);
      const second = await open(link);
      assertIps(second.bundle);
      assert.notDeepEqual(second.bundle, first.bundle);
      assert.ok(second.bundle.entry.length < first.bundle.entry.length, 'the smaller consent shares less');

      const plain = await create();
      const refused = await run(['shl', 'update', '--consent', ws.at('consent.json'), '--key', ws.at('patient.key'), plain, ...ws.records]);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /long-term/);
    });

    test('expiry: after exp the manifest answers 404', async () => {
      // A link made through the protocol with a two-second life (the CLI
      // counts in days); its file encrypted by jose, as any SHL creator may.
      const manage = await makeKeys();
      const id = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
      const created = await signedFetch(relay, {
        method: 'POST', path: '/v1/shl', key: manage.secret, headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, managementKey: manage.ed25519, expiresAt: nowSeconds() + 2 }),
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      const key = crypto.getRandomValues(new Uint8Array(32));
      const jwe = await new CompactEncrypt(new TextEncoder().encode('{"resourceType":"Bundle","type":"document"}'))
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'application/fhir+json' })
        .encrypt(key);
      const put = await signedFetch(relay, { method: 'PUT', path: `/v1/shl/${id}/file`, key: manage.secret, body: jwe });
      assert.equal(put.status, 201, JSON.stringify(put.json));
      const payload = { url: `${relay.url}/v1/shl/${id}`, key: Buffer.from(key).toString('base64url') };
      const before = await manifest(payload, { recipient: 'Dr. Spec' });
      assert.equal(before.status, 200);
      assert.equal((await decrypt(payload, await fileOf(before.json.files[0]))).type, 'document');
      await sleep(3200);
      assert.equal((await manifest(payload, { recipient: 'Dr. Spec' })).status, 404);
    });

    test('the CLI says what is wrong: usage (exit 2), the relay refusing or unreachable (exit 1)', async () => {
      const base = ['shl', 'create', '--consent', ws.at('consent.json'), '--key', ws.at('patient.key')];
      const cases = [
        [[...base, '--relay', relay.url, '--expires-in', '500', ...ws.records], 1, /creating the link failed.*400.*days ahead/],
        [[...base, '--relay', 'http://127.0.0.1:1', ...ws.records], 1, /could not be reached/],
        [[...base, '--relay', relay.url, '--label', 'x'.repeat(81), ...ws.records], 2, /--label/],
        [[...base, '--relay', relay.url, '--max-attempts', '3', ...ws.records], 2, /--max-attempts/],
        [[...base, ...ws.records], 2, /--relay/],
        [['shl', 'revoke', '--key', ws.at('patient.key'), 'https://example.org/not-a-link'], 2, /shlink:\//],
        [['shl', 'frobnicate'], 2, /unknown command/],
      ];
      for (const [args, status, message] of cases) {
        const r = await run(args);
        assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.equal(r.stdout, '', 'no link is printed');
      }
    });

    test('the relay holds ciphertext only: never the key, never the IPS', { skip: backend.name !== 'sqlite' }, async () => {
      const link = await create(['--passcode', 'open sesame']);
      const { payload, bundle } = await open(link, { passcode: 'open sesame' });
      const db = Buffer.concat([readFileSync(relay.db), ...['-wal'].map((s) => {
        try { return readFileSync(relay.db + s); } catch { return Buffer.alloc(0); }
      })]);
      assert.equal(db.indexOf(payload.key), -1, 'the key text');
      assert.equal(db.indexOf(Buffer.from(payload.key, 'base64url')), -1, 'the key bytes');
      assert.equal(db.indexOf('open sesame'), -1, 'the passcode');
      assert.equal(db.indexOf('"resourceType":"Composition"'), -1, 'the IPS');
      const name = bundle.entry.find((e) => e.resource.resourceType === 'Patient')?.resource.name?.[0]?.family;
      if (name) assert.equal(db.indexOf(name), -1, "the patient's name");
      // The log names routes by template: never a link id, a ticket or a key.
      const id = payload.url.slice(payload.url.lastIndexOf('/') + 1);
      assert.ok(relay.logs.some((e) => e.route === '/v1/shl/:id'), 'manifest requests are logged');
      assert.equal(relay.raw.indexOf(id), -1, 'the link id is not logged');
      assert.equal(relay.raw.indexOf(payload.key), -1, 'the key is not logged');
      assert.ok(!/\/v1\/shl-files\/[A-Za-z0-9_-]/.test(relay.raw), `no file location is logged: ${relay.raw.slice(relay.raw.indexOf('/v1/shl-files/') - 100, relay.raw.indexOf('/v1/shl-files/') + 60)}`);
    });
  });
}
