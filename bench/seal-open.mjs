// SPDX-License-Identifier: Apache-2.0
// Benchmark 4: sealing and opening a share bundle of the same plaintext with
// our wasm module (bundleSeal / bundleOpen) and with the libsodium-wrappers
// baseline (bundle-baseline.mjs), in Node. Both copy the plaintext in and
// the bundle (or the parts) out; both check the signature before decrypting.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

import { baselineOpen, baselineSeal, keysFromFiles, ready } from './bundle-baseline.mjs';
import { freshCore, timeRuns } from './setup.mjs';

const NOW = 1_750_000_000;

export async function sealOpen(bytes, runs) {
  await ready;
  const core = await freshCore();
  const recipient = core.keysGenerate();
  const signer = core.keysGenerate();
  const receipt = new TextEncoder().encode('{"consent":"benchmark"}');
  const plaintext = new Uint8Array(randomBytes(bytes));
  const part = { name: 'records.json', mediaType: 'application/fhir+json', bytes: plaintext };

  const request = { recipient: recipient.public, signer: signer.secret, sequence: 1, createdAt: NOW,
    expiresAt: NOW + 3600, receipt, parts: [part] };
  const ours = { key: recipient.secret, expectedSigner: signer.public, now: NOW };
  const seal = () => core.bundleSeal(request);
  const open = (b) => core.bundleOpen(b, ours);

  const r = keysFromFiles(recipient.secret, recipient.public);
  const s = keysFromFiles(signer.secret, signer.public);
  const base = { recipientPk: r.x25519Public, signerPk: s.signerPublic, signerSk: s.signerSecret,
    grantId: new Uint8Array(16).fill(7), sequence: 1, createdAt: NOW, expiresAt: NOW + 3600, receipt, parts: [part] };
  const bSeal = () => baselineSeal(base);
  const bOpen = (b) => baselineOpen(b, r.x25519Public, r.x25519Secret);

  // The baseline does the same work: each side opens the other's bundle.
  const ourBundle = seal();
  const theirBundle = bSeal();
  assert.equal(theirBundle.length, ourBundle.length, 'the baseline bundle has another size');
  assert.deepEqual(open(theirBundle).parts[0].bytes, plaintext, 'ours cannot open the baseline bundle');
  assert.deepEqual(bOpen(ourBundle).parts[0].bytes, plaintext, 'the baseline cannot open our bundle');

  // MB/s from the CPU time (see timeRuns).
  const rate = (t) => bytes / (1024 * 1024) / (t.cpuMs / 1000);
  return {
    seal: { ours: rate(timeRuns(runs, seal)), baseline: rate(timeRuns(runs, bSeal)) },
    open: { ours: rate(timeRuns(runs, () => open(ourBundle))), baseline: rate(timeRuns(runs, () => bOpen(theirBundle))) },
  };
}
