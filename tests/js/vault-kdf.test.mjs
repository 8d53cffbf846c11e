// SPDX-License-Identifier: Apache-2.0
// The widget's vault (web/widget/js/vault.js) and its Argon2id cost, in Node
// on the wasm core: config.json (not pinned by SRI) cannot lower the cost
// below the pinned default, a cost below the core's floor is refused, and a
// vault sealed below the floor before there was one still opens and is
// sealed again at once with the widget's parameters.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore, root } from './support.mjs';

const { KDF_DEFAULT, KDF_FLOOR, Vault, VaultError, kdfBelowFloor, kdfFor, sealedParams } =
  await import('../../web/widget/js/vault.js');

const enc = new TextEncoder();
const dec = new TextDecoder();
const MiB = 1024 * 1024;

// What core-worker.js does with the methods the Vault calls, on the wasm core.
function workerLike(core) {
  let passphrase = null;
  const calls = [];
  const methods = {
    vaultCreate: (pass, state, params) => { const s = core.vaultSeal(pass, enc.encode(JSON.stringify(state)), params); passphrase = pass; return { sealed: s, recoveryKey: '' }; },
    vaultUnlock: (pass, sealed) => { const st = JSON.parse(dec.decode(core.vaultOpen(pass, sealed))); passphrase = pass; return st; },
    vaultSave: (state, params) => core.vaultSeal(passphrase, enc.encode(JSON.stringify(state)), params),
    vaultLock: () => { passphrase = null; return true; },
  };
  return { calls, call: async (method, ...args) => { calls.push({ method, args }); return methods[method](...args); } };
}

function memoryStore() {
  const m = new Map();
  return { m, get: async (k) => m.get(k), put: async (k, v) => { m.set(k, v); return k; }, destroy: async () => m.clear() };
}

// docs/vault-format.md's vector vault-basic: opslimit 1, memlimit 8 KiB, as a
// vault sealed before the floor existed would be.
function legacyVault() {
  const doc = readFileSync(path.join(root, 'docs/vault-format.md'), 'utf8');
  const block = /```vector\nname: vault-basic\n([\s\S]*?)```/.exec(doc)[1];
  const hex = /vault:\n((?: {2}[0-9a-f]+\n)+)/.exec(block)[1].replace(/\s+/g, '');
  return { passphrase: 'correct horse battery staple', sealed: Uint8Array.from(Buffer.from(hex, 'hex')),
    plaintext: { records: [], note: 'vault test vector' } };
}

test('the floor is the core\'s: OWASP Argon2id, m = 19 MiB, t = 2', () => {
  assert.deepEqual({ ...KDF_FLOOR }, { opslimit: 2, memlimit: 19456 * 1024 });
  assert.deepEqual({ ...KDF_DEFAULT }, { opslimit: 3, memlimit: 64 * MiB });
  assert.equal(kdfBelowFloor(KDF_FLOOR), false);
  assert.equal(kdfBelowFloor({ opslimit: 1, memlimit: 64 * MiB }), true);
  assert.equal(kdfBelowFloor({ opslimit: 3, memlimit: KDF_FLOOR.memlimit - 1 }), true);
});

test('config.json can raise the cost, never lower it', () => {
  assert.deepEqual(kdfFor(undefined), { ...KDF_DEFAULT });
  assert.deepEqual(kdfFor(null), { ...KDF_DEFAULT });
  // A tampered config asking for libsodium's minimum gets the pinned default.
  assert.deepEqual(kdfFor({ opslimit: 1, memlimit: 8192 }), { ...KDF_DEFAULT });
  assert.deepEqual(kdfFor({ opslimit: 2, memlimit: 19 * MiB }), { ...KDF_DEFAULT });
  assert.deepEqual(kdfFor({ opslimit: '9', memlimit: 1.5 * MiB * 100 + 0.5 }), { ...KDF_DEFAULT });
  assert.deepEqual(kdfFor({ opslimit: 4, memlimit: 128 * MiB }), { opslimit: 4, memlimit: 128 * MiB });
  assert.deepEqual(kdfFor({ opslimit: 1, memlimit: 256 * MiB }), { opslimit: 3, memlimit: 256 * MiB });
  assert.deepEqual(kdfFor({ opslimit: 99, memlimit: 8 * 1024 * MiB }), { opslimit: 10, memlimit: 1024 * MiB });  // the core's bounds
});

test('the vault refuses a cost below the floor', () => {
  for (const kdf of [{ opslimit: 1, memlimit: 8192 }, { opslimit: 2, memlimit: 8192 }, { opslimit: 1, memlimit: 64 * MiB },
    { opslimit: 2, memlimit: KDF_FLOOR.memlimit - 1 }, {}]) {
    assert.throws(() => new Vault(/** @type {any} */ ({}), { kdf, store: memoryStore() }),
      (e) => e instanceof VaultError && e.code === 'weak-kdf', JSON.stringify(kdf));
  }
  assert.doesNotThrow(() => new Vault(/** @type {any} */ ({}), { kdf: { ...KDF_FLOOR }, store: memoryStore() }));
});

test('the core refuses to seal below the floor, whatever the widget asks', async () => {
  const core = await loadCore();
  assert.throws(() => core.vaultSeal('correct horse battery staple', enc.encode('x'), { opslimit: 1, memlimit: 8192 }),
    (e) => e.code === 'invalid-argument' && /below the floor/.test(e.message));
  const sealed = core.vaultSeal('correct horse battery staple', enc.encode('x'), { ...KDF_FLOOR });
  assert.deepEqual(sealedParams(sealed), { ...KDF_FLOOR });
});

test('a vault sealed below the floor opens, and is sealed again at once with the widget\'s cost', async () => {
  const core = await loadCore();
  const worker = workerLike(core);
  const store = memoryStore();
  const legacy = legacyVault();
  assert.deepEqual(sealedParams(legacy.sealed), { opslimit: 1, memlimit: 8192 });
  store.m.set('vault', legacy.sealed);
  const vault = new Vault(worker, { kdf: { ...KDF_FLOOR }, store });
  await vault.unlock(legacy.passphrase);
  assert.deepEqual(vault.state, legacy.plaintext);  // the data is not lost
  const resealed = store.m.get('vault').sealed;  // stored with its revision now (vault.js storedVault)
  assert.notEqual(resealed, legacy.sealed);
  assert.equal(store.m.get('vault').revision, 1);
  assert.deepEqual(sealedParams(resealed), { ...KDF_FLOOR });
  assert.deepEqual(JSON.parse(dec.decode(core.vaultOpen(legacy.passphrase, resealed))), legacy.plaintext);
  // Locked and opened again: already at the floor, not sealed again.
  await vault.lock();
  const saves = worker.calls.filter((c) => c.method === 'vaultSave').length;
  await vault.unlock(legacy.passphrase);
  assert.equal(worker.calls.filter((c) => c.method === 'vaultSave').length, saves);
  assert.equal(store.m.get('vault').sealed, resealed);
  await vault.lock();
});

test('create and save use the widget\'s cost', async () => {
  const core = await loadCore();
  const store = memoryStore();
  const vault = new Vault(workerLike(core), { kdf: { opslimit: 2, memlimit: 24 * MiB }, store });
  await vault.create('a long enough passphrase');
  assert.deepEqual(sealedParams(store.m.get('vault').sealed), { opslimit: 2, memlimit: 24 * MiB });
  vault.state.providers.push(/** @type {any} */ ({ id: 'p' }));
  await vault.save();
  assert.deepEqual(sealedParams(store.m.get('vault').sealed), { opslimit: 2, memlimit: 24 * MiB });
  await vault.lock();
});
