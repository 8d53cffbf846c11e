// SPDX-License-Identifier: Apache-2.0
// The widget's share flow without the DOM (web/widget/js/share-flow.js), on
// fakes of the core Worker, the relay and the vault: what it asks the core
// for, the order it talks to the relay, and that a failure leaves nothing
// half done.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ShareFlow, drawShiftDays, selectionOf } from '../../web/widget/js/share-flow.js';
import { defaultSelection } from '../../web/widget/js/consent.js';

const manifest = {
  type: 'chartlock-tool-manifest', version: 1, name: 'Coach', origin: 'https://coach.example', purpose: 'coaching',
  retention: '30 days', scopes: ['patient/Condition.rs'], keys: { x25519: 'x'.repeat(43), ed25519: 'e'.repeat(43) },
};

function fakes({ failOn = null } = {}) {
  const log = [];
  const core = {
    async call(method, arg) {
      log.push([method, arg]);
      if (method === 'keysGenerate') return { secret: 'SECRET', public: JSON.stringify({ ed25519: 'PUB' }) };
      if (method === 'share') {
        return { parts: [{ name: 'records.json', mediaType: 'application/fhir+json', bytes: new Uint8Array([1]) }],
          keys: ['cond-1'], patient: false, receipt: JSON.stringify({ type: 'chartlock-consent-receipt' }) };
      }
      if (method === 'bundleSeal') return new Uint8Array([9, 9]);
      throw new Error(`unexpected ${method}`);
    },
  };
  const relayCall = (name) => async (...args) => {
    log.push([name, ...args]);
    if (failOn?.[name]) throw failOn[name];
    return null;
  };
  const relay = { createGrant: relayCall('createGrant'), putBundle: relayCall('putBundle'), revoke: relayCall('revoke') };
  const vault = { state: { grants: [], receipts: [] }, saves: 0, async save() { this.saves++; } };
  let counter = 0;
  const flow = new ShareFlow({ core, relay, vault, relayUrl: 'https://relay.example', now: () => 1000,
    random: (n) => new Uint8Array(n).map(() => counter++ % 256), today: () => '2026-01-02' });
  return { flow, log, vault };
}

test('a new grant: its own key and id, 30 days, an offset only when dates are hidden', async () => {
  const { flow } = fakes();
  const g = await flow.newGrant(manifest);
  assert.match(g.grantId, /^[0-9a-f]{32}$/);
  assert.equal(g.expiresAt - g.createdAt, 30 * 86400);
  assert.equal(g.sequence, 0);
  assert.equal(g.shiftDays, undefined);
  const hidden = await flow.newGrant(manifest, { hideDates: true });
  assert.ok(Math.abs(hidden.shiftDays) >= 30 && Math.abs(hidden.shiftDays) <= 365);
  assert.equal(g.person, undefined);
});

test('a grant is one person\'s: every version asks the core for that person\'s records', async () => {
  const { flow, log } = fakes();
  const g = await flow.newGrant(manifest, { person: 'person-00000000000000aa', personName: 'Ana Silva' });
  assert.equal(g.person, 'person-00000000000000aa');
  assert.equal(g.personName, 'Ana Silva');
  await flow.prepare(g, true, defaultSelection(new Set(['conditions'])), null);
  const [, request] = log.find(([m]) => m === 'share');
  assert.equal(request.person, 'person-00000000000000aa');
});

test('the offset: never under 30 days, never over 365, both ways, without bias from the modulo', () => {
  const seen = new Set();
  for (let a = 0; a < 256; a++) {
    for (let b = 0; b < 256; b += 7) {
      let first = true;
      const d = drawShiftDays(() => { const r = first ? new Uint8Array([a, b]) : new Uint8Array([0, 0]); first = false; return r; });
      assert.ok(Math.abs(d) >= 30 && Math.abs(d) <= 365, String(d));
      seen.add(Math.sign(d));
    }
  }
  assert.deepEqual([...seen].sort(), [-1, 1]);
});

test('prepare asks the core for the share under the consent, and passes the offset only when hidden', async () => {
  const { flow, log } = fakes();
  const g = await flow.newGrant(manifest, { hideDates: true });
  const sel = defaultSelection(['conditions']);
  await flow.prepare(g, true, sel, ['cond-1']);
  let [, request] = log.find(([m]) => m === 'share');
  assert.deepEqual(JSON.parse(request.consent).deidentify, false, 'the patient has not ticked it');
  assert.deepEqual(request.keys, ['cond-1']);
  assert.equal(request.today, '2026-01-02');
  assert.equal(request.receipt.sequence, 1);
  assert.equal(request.receipt.signer, 'PUB');
  sel.hide = true;
  log.length = 0;
  await flow.prepare(g, true, sel, null);
  [, request] = log.find(([m]) => m === 'share');
  assert.deepEqual(JSON.parse(request.consent).deidentify, { shiftDays: g.shiftDays });
  assert.equal('keys' in request, false, 'null: all the consent allows');
});

test('send: sealed, the grant made, the bundle put, then the vault saved', async () => {
  const { flow, log, vault } = fakes();
  const g = await flow.newGrant(manifest);
  const prepared = await flow.prepare(g, true, defaultSelection(['conditions']), null);
  log.length = 0;
  const sent = await flow.send(prepared);
  assert.deepEqual(log.map(([m]) => m), ['bundleSeal', 'createGrant', 'putBundle']);
  assert.deepEqual(log[0][1].parts, prepared.content.parts, 'the parts shown are the parts sealed');
  assert.equal(sent.sequence, 1);
  assert.deepEqual(sent.sharedKeys, ['cond-1']);
  assert.deepEqual(vault.state.grants, [sent]);
  assert.equal(vault.state.receipts.length, 1);
  assert.equal(vault.saves, 1);
  assert.deepEqual(selectionOf(sent).categories, new Set(['conditions']));
});

test('a refused bundle on a new grant: the grant is taken back, nothing recorded', async () => {
  const refused = Object.assign(new Error('too large'), { status: 413 });
  const { flow, log, vault } = fakes({ failOn: { putBundle: refused } });
  const g = await flow.newGrant(manifest);
  const prepared = await flow.prepare(g, true, defaultSelection(['conditions']), null);
  await assert.rejects(flow.send(prepared), refused);
  assert.ok(log.some(([m, id]) => m === 'revoke' && id === g.grantId));
  assert.equal(g.sequence, 0);
  assert.deepEqual(vault.state.grants, []);
  assert.equal(vault.saves, 0);
});

test('a refused bundle for an existing grant keeps the grant; a refused grant sends no bundle', async () => {
  const refused = Object.assign(new Error('down'), { status: 0 });
  const existing = fakes({ failOn: { putBundle: refused } });
  const g = await existing.flow.newGrant(manifest);
  await assert.rejects(existing.flow.send(await existing.flow.prepare(g, false, defaultSelection(['conditions']), null)));
  assert.ok(!existing.log.some(([m]) => m === 'revoke' || m === 'createGrant'));

  const noGrant = fakes({ failOn: { createGrant: refused } });
  const g2 = await noGrant.flow.newGrant(manifest);
  await assert.rejects(noGrant.flow.send(await noGrant.flow.prepare(g2, true, defaultSelection(['conditions']), null)));
  assert.ok(!noGrant.log.some(([m]) => m === 'putBundle'));
  assert.equal(noGrant.vault.saves, 0);
});

test('disconnect: gone at the relay counts as done; any other failure leaves the grant active', async () => {
  const gone = fakes({ failOn: { revoke: Object.assign(new Error('gone'), { status: 410 }) } });
  const g = await gone.flow.newGrant(manifest);
  await gone.flow.disconnect(g);
  assert.equal(g.status, 'revoked');
  assert.equal(g.revokedAt, 1000);
  assert.equal(gone.vault.saves, 1);

  const down = fakes({ failOn: { revoke: Object.assign(new Error('down'), { status: 0 }) } });
  const g2 = await down.flow.newGrant(manifest);
  await assert.rejects(down.flow.disconnect(g2), /down/);
  assert.equal(g2.status, 'active');
  assert.equal(down.vault.saves, 0);
});
