// SPDX-License-Identifier: Apache-2.0
// Vault and share bundles through the wasm module, and interoperability with
// the native CLI: a bundle sealed by one opens in the other.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore, runCli } from './support.mjs';

const enc = new TextEncoder();
const dec = new TextDecoder();
const fast = { opslimit: 2, memlimit: 19456 * 1024 };  // the floor: the lowest the core seals with (docs/vault-format.md)
const now = 1_800_000_000;

function sealRequest(core, tool, patient, extra = {}) {
  return {
    recipient: tool.public, signer: patient.secret, sequence: 1,
    createdAt: now - 60, expiresAt: now + 3600,
    receipt: enc.encode('{"type":"chartlock-consent-receipt"}'),
    parts: [{ name: 'records.json', mediaType: 'application/fhir+json', bytes: enc.encode('{"resourceType":"Bundle","type":"collection"}') }],
    ...extra,
  };
}

test('vault: seal, open, wrong passphrase, tampering', async () => {
  const core = await loadCore();
  const plain = enc.encode('tokens and records, é ✓');
  const vault = core.vaultSeal('correct horse battery staple', plain, fast);
  assert.deepEqual(core.vaultOpen('correct horse battery staple', vault), plain);
  assert.throws(() => core.vaultOpen('Correct horse battery staple', vault), (e) => e.code === 'wrong-passphrase');
  const flipped = vault.slice(); flipped[flipped.length - 3] ^= 1;
  assert.throws(() => core.vaultOpen('correct horse battery staple', flipped), (e) => e.code === 'tampered');
  assert.throws(() => core.vaultOpen('correct horse battery staple', vault.slice(0, 40)), (e) => e.code === 'truncated');
  assert.throws(() => core.vaultOpen('x', enc.encode('not a vault at all')), (e) => e.code === 'not-a-bundle');
  assert.throws(() => core.vaultSeal('x', plain, { opslimit: 1, memlimit: 1 }), (e) => e.code === 'invalid-argument' || e.code === 'malformed');
});

test('bundle: round trip with header fields and parts', async () => {
  const core = await loadCore();
  const tool = core.keysGenerate();
  const patient = core.keysGenerate();
  const grantId = '00112233445566778899aabbccddeeff';
  const bundle = core.bundleSeal(sealRequest(core, tool, patient, { grantId, sequence: 7 }));
  const opened = core.bundleOpen(bundle, { key: tool.secret, expectedSigner: patient.public, now });
  assert.equal(opened.header.grantId, grantId);
  assert.equal(opened.header.sequence, 7);
  assert.equal(opened.header.expiresAt, now + 3600);
  assert.equal(dec.decode(opened.receipt), '{"type":"chartlock-consent-receipt"}');
  assert.equal(opened.parts.length, 1);
  assert.equal(opened.parts[0].name, 'records.json');
  assert.equal(opened.parts[0].mediaType, 'application/fhir+json');
  assert.deepEqual(core.bundlePeek(bundle), opened.header);
  assert.equal(JSON.parse(core.keysPublic(tool.secret)).x25519, JSON.parse(tool.public).x25519);
});

test('bundle: each failure has its own code', async () => {
  const core = await loadCore();
  const tool = core.keysGenerate();
  const other = core.keysGenerate();
  const patient = core.keysGenerate();
  const bundle = core.bundleSeal(sealRequest(core, tool, patient));
  const open = (bytes, opts = {}) => core.bundleOpen(bytes, { key: tool.secret, now, ...opts });
  const flip = (i) => { const b = bundle.slice(); b[i] ^= 0x10; return b; };
  assert.throws(() => core.bundleOpen(bundle, { key: other.secret, now }), (e) => e.code === 'wrong-recipient');
  assert.throws(() => open(bundle, { expectedSigner: other.public }), (e) => e.code === 'wrong-signer');
  assert.throws(() => open(flip(250)), (e) => e.code === 'tampered');
  assert.throws(() => open(flip(bundle.length - 1)), (e) => e.code === 'bad-signature');
  assert.throws(() => open(bundle.slice(0, bundle.length - 70)), (e) => e.code === 'truncated');
  assert.throws(() => open(bundle, { now: now + 7200 }), (e) => e.code === 'expired');
  assert.throws(() => open(enc.encode('hello')), (e) => e.code === 'not-a-bundle');
  assert.throws(() => core.bundleOpen(bundle, { key: '{"type":"chartlock-keys"}', now }), (e) => e.code === 'malformed' || e.code === 'wrong-key');
  assert.throws(() => core.bundleSeal({ ...sealRequest(core, tool, patient), sequence: 1.5 }), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.bundleSeal({ ...sealRequest(core, tool, patient), expiresAt: now - 120 }), (e) => e.code === 'invalid-argument');
});

test('native CLI and wasm open each other\'s bundles', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-interop-'));
  const at = (f) => path.join(dir, f);
  assert.equal(runCli(['keygen', '--out', at('tool')]).status, 0);
  assert.equal(runCli(['keygen', '--out', at('patient')]).status, 0);
  const tool = { secret: readFileSync(at('tool.key'), 'utf8'), public: readFileSync(at('tool.pub'), 'utf8') };
  const patient = { secret: readFileSync(at('patient.key'), 'utf8'), public: readFileSync(at('patient.pub'), 'utf8') };
  const records = '{"resourceType":"Bundle","type":"collection","entry":[]}';
  writeFileSync(at('records.json'), records);
  writeFileSync(at('receipt.json'), '{"type":"chartlock-consent-receipt"}');

  // native seal → wasm open
  const sealed = runCli(['seal', '--to', at('tool.pub'), '--key', at('patient.key'), '--receipt', at('receipt.json'),
    '--seq', '3', '--out', at('native.clb'), at('records.json')]);
  assert.equal(sealed.status, 0, sealed.stderr);
  const opened = core.bundleOpen(new Uint8Array(readFileSync(at('native.clb'))),
    { key: tool.secret, expectedSigner: patient.public });
  assert.equal(opened.header.sequence, 3);
  assert.equal(dec.decode(opened.parts[0].bytes), records);

  // wasm seal → native open
  const bundle = core.bundleSeal({ ...sealRequest(core, tool, patient), createdAt: Math.floor(Date.now() / 1000) - 5,
    expiresAt: Math.floor(Date.now() / 1000) + 3600 });
  writeFileSync(at('wasm.clb'), bundle);
  const out = runCli(['open', '--key', at('tool.key'), '--from', at('patient.pub'), at('wasm.clb')]);
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout.toString(), '{"resourceType":"Bundle","type":"collection"}');
});
