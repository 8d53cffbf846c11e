// SPDX-License-Identifier: Apache-2.0
// SMART Health Links made by the widget's own code (web/widget/js/health-link.js,
// shlink.js, relay-client.js — run here in Node over the same wasm core the
// Worker runs) against the real relay binary, opened by a recipient written
// only from the specification with `jose` (shl-recipient.mjs): the IPS the
// core made comes out; passcodes (missing, wrong with attempts falling, right,
// exhausted), expiry and stopping the link as the relay enforces them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { backends, sleep, startRelay } from './relay-support.mjs';
import { fixtures, loadCore } from './support.mjs';
import { assertIps, decodePayload, manifest, open } from './shl-recipient.mjs';

const { makeHealthLink, stopHealthLink, updateHealthLink } = await import('../../web/widget/js/health-link.js');
const { Relay } = await import('../../web/widget/js/relay-client.js');

// The Worker's methods this code calls (web/widget/js/core-worker.js), over the wasm module.
function workerOf(core) {
  const methods = {
    keysGenerate: () => core.keysGenerate(),
    requestSign: (request) => core.requestSign(request),
  };
  return { call: async (method, ...args) => methods[method](...args) };
}

let core;
let ips;
let ipsOne;  // the same consent over one provider: another document
before(async () => {
  core = await loadCore();
  const files = ['clinic-a.json', 'clinic-b.json'].map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(fixtures, 'fhir', f))) }));
  const records = new core.Records(files, {});
  try {
    ips = new TextEncoder().encode(records.ips(JSON.stringify({ scopes: ['patient/*.rs'] }), { today: '2026-06-01' }).bundle);
  } finally {
    records.delete();
  }
  const one = new core.Records(files.slice(0, 1), {});
  try {
    ipsOne = new TextEncoder().encode(one.ips(JSON.stringify({ scopes: ['patient/*.rs'] }), { today: '2026-06-02' }).bundle);
  } finally {
    one.delete();
  }
});

for (const backend of backends) {
  describe(`links the widget makes (${backend.name})`, () => {
    let relay;
    let client;
    const make = (options = {}) => makeHealthLink({ core: workerOf(core), relay: client, ips, label: 'For Dr. Spec', days: 7, ...options });
    before(async () => {
      relay = await startRelay({ db: backend.db() });
      client = new Relay(workerOf(core), relay.url);
    });
    after(() => relay?.stop());

    test('the recipient opens it to the very IPS the core made', async () => {
      const link = await make();
      const payload = decodePayload(link.link);
      assert.equal(payload.label, 'For Dr. Spec');
      assert.equal(payload.flag, undefined, 'no flags without a passcode');
      assert.equal(payload.v, 1);
      assert.equal(payload.exp, link.expiresAt);
      assert.equal(payload.url, `${relay.url}/v1/shl/${link.id}`);
      const { bundle, manifest: m } = await open(link.link);
      assertIps(bundle);
      assert.equal(m.status, 'finalized');
      assert.deepEqual(bundle, JSON.parse(new TextDecoder().decode(ips)), 'byte for byte the document, decrypted by jose');
    });

    test('a passcode: missing and wrong refused with the attempts left; right opens; exhausted ends the link', async () => {
      const link = await make({ passcode: '2468' });
      const payload = decodePayload(link.link);
      assert.equal(payload.flag, 'P');
      const missing = await manifest(payload, { recipient: 'Dr. Spec' });
      assert.equal(missing.status, 401);
      assert.equal(missing.json.remainingAttempts, 10);
      const wrong = await manifest(payload, { recipient: 'Dr. Spec', passcode: '1111' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.remainingAttempts, 9);
      assertIps((await open(link.link, { passcode: '2468' })).bundle);
      for (let left = 8; left >= 0; left -= 1) {
        const r = await manifest(payload, { recipient: 'Dr. Spec', passcode: `no-${left}` });
        assert.equal(r.status, 401);
        assert.equal(r.json.remainingAttempts, left);
      }
      assert.equal((await manifest(payload, { recipient: 'Dr. Spec', passcode: '2468' })).status, 404, 'no tries left: even the right one');
    });

    test('expiry: after exp the link answers 404', async () => {
      const link = await make({ days: 2 / 86400 });
      assertIps((await open(link.link)).bundle);
      await sleep(3500);
      assert.equal((await manifest(decodePayload(link.link), { recipient: 'Dr. Spec' })).status, 404);
    });

    test('a long-term link (L): the same address shows the updated summary; a link made without L cannot be updated', async () => {
      const link = await make({ consent: JSON.stringify({ scopes: ['patient/*.rs'] }), passcode: '13579' });
      assert.equal(decodePayload(link.link).flag, 'LP', 'flags in alphabetical order');
      const first = await open(link.link, { passcode: '13579' });
      assert.equal(first.manifest.status, 'can-change');
      assert.deepEqual(first.bundle, JSON.parse(new TextDecoder().decode(ips)));
      await updateHealthLink(client, link, ipsOne);
      assert.ok(link.updatedAt);
      const second = await open(link.link, { passcode: '13579' });
      assert.deepEqual(second.bundle, JSON.parse(new TextDecoder().decode(ipsOne)), 'the recipient gets the new summary');
      const fixed = await make();
      await assert.rejects(updateHealthLink(client, fixed, ipsOne), /cannot be updated/);
    });

    test('stopped from the widget: 404, and stopping again is harmless', async () => {
      const link = await make();
      await stopHealthLink(client, link);
      assert.ok(link.revokedAt);
      assert.equal((await manifest(decodePayload(link.link), { recipient: 'Dr. Spec' })).status, 404);
      await stopHealthLink(client, link);
    });
  });
}
