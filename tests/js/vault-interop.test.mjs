// SPDX-License-Identifier: Apache-2.0
// Vault format 2 through the wasm module, and native and wasm agreeing on
// it: a vault made by one opens in the other, with the passphrase and with
// the recovery key (the native side: build/tests/chartlock_vault_interop).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore, nativeBuild } from './support.mjs';

const enc = new TextEncoder();
const floor = { opslimit: 2, memlimit: 19456 * 1024 };  // the cheapest the core seals with
const pass = 'correct horse battery staple';

function native(...args) {
  const r = spawnSync(path.join(nativeBuild, 'tests/chartlock_vault_interop'), args);
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
}

test('wasm: create, unlock both ways, reseal, change the passphrase', async () => {
  const core = await loadCore();
  const plain = enc.encode('{"providers":[],"grants":[{"key":"secret"}]}');
  const made = core.vaultCreate(pass, plain, floor);
  assert.match(made.recoveryKey, /^([0-9A-HJKMNP-TV-Z]{5}-){12}[0-9A-HJKMNP-TV-Z]{5}$/);
  assert.deepEqual(core.vaultInfo(made.vault), { version: 2, ...floor, hasRecoveryKey: true });
  assert.deepEqual(core.vaultOpen(pass, made.vault), plain);  // the v1 API reads version 2
  const byPass = core.vaultUnlock(pass, made.vault);
  assert.deepEqual(byPass.plaintext, plain);
  const byKey = core.vaultUnlockWithRecoveryKey(made.recoveryKey.toLowerCase().replaceAll('-', ' '), made.vault);
  assert.deepEqual(byKey.plaintext, plain);
  assert.deepEqual(byKey.keys, byPass.keys);

  const resealed = core.vaultReseal(byPass.keys, enc.encode('next'));
  assert.deepEqual(core.vaultUnlockWithRecoveryKey(made.recoveryKey, resealed).plaintext, enc.encode('next'));

  const changed = core.vaultReseal(core.vaultChangePassphrase(byPass.keys, 'a brand new passphrase', floor), plain);
  assert.throws(() => core.vaultOpen(pass, changed), (e) => e.code === 'wrong-passphrase');
  assert.deepEqual(core.vaultOpen('a brand new passphrase', changed), plain);
  assert.deepEqual(core.vaultUnlockWithRecoveryKey(made.recoveryKey, changed).plaintext, plain);

  // A typo names its group; another vault's key, or a vault without one, says so.
  const typo = made.recoveryKey.slice(0, 13) + (made.recoveryKey[13] === 'A' ? 'B' : 'A') + made.recoveryKey.slice(14);
  assert.throws(() => core.vaultUnlockWithRecoveryKey(typo, made.vault), (e) => e.code === 'malformed' && e.group === 3);
  assert.deepEqual(core.recoveryKeyProblem(typo).group, 3);
  assert.equal(core.recoveryKeyProblem(made.recoveryKey), null);
  const other = core.vaultCreate(pass, plain, floor);
  assert.throws(() => core.vaultUnlockWithRecoveryKey(other.recoveryKey, made.vault), (e) => e.code === 'wrong-recovery-key');
  const without = core.vaultSeal(pass, plain, floor);
  assert.equal(core.vaultInfo(without).hasRecoveryKey, false);
  assert.throws(() => core.vaultUnlockWithRecoveryKey(made.recoveryKey, without), (e) => e.code === 'no-recovery-key');
  assert.throws(() => core.vaultReseal(new Uint8Array(10), plain), (e) => e.code === 'invalid-argument');
  assert.throws(() => core.vaultCreate(pass, plain, { opslimit: 1, memlimit: 8192 }), (e) => e.code === 'invalid-argument');
});

test('native and wasm open each other\'s version 2 vaults, both ways', async () => {
  const core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-vault-'));
  const plain = enc.encode('records, tokens, grant keys: é ✓');
  writeFileSync(path.join(dir, 'plain'), plain);

  // Native → wasm.
  const made = native('create', pass, path.join(dir, 'plain'), path.join(dir, 'native.vault'));
  assert.equal(made.status, 0, made.stderr);
  const recoveryKey = made.stdout.toString().trim();
  const nativeVault = new Uint8Array(readFileSync(path.join(dir, 'native.vault')));
  assert.deepEqual(core.vaultOpen(pass, nativeVault), plain);
  assert.deepEqual(core.vaultUnlockWithRecoveryKey(recoveryKey, nativeVault).plaintext, plain);

  // Wasm → native.
  const w = core.vaultCreate(pass, plain, floor);
  writeFileSync(path.join(dir, 'wasm.vault'), w.vault);
  const opened = native('open', pass, path.join(dir, 'wasm.vault'));
  assert.equal(opened.status, 0, opened.stderr);
  assert.deepEqual(new Uint8Array(opened.stdout), plain);
  const recovered = native('open-recovery', w.recoveryKey, path.join(dir, 'wasm.vault'));
  assert.equal(recovered.status, 0, recovered.stderr);
  assert.deepEqual(new Uint8Array(recovered.stdout), plain);
  const wrong = native('open', 'not the passphrase', path.join(dir, 'wasm.vault'));
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /^wrong-passphrase/);

  // A passphrase set natively after recovery opens in wasm; the recovery key still does.
  const set = native('set-passphrase', w.recoveryKey, 'set after recovery', path.join(dir, 'wasm.vault'), path.join(dir, 'reset.vault'));
  assert.equal(set.status, 0, set.stderr);
  const reset = new Uint8Array(readFileSync(path.join(dir, 'reset.vault')));
  assert.deepEqual(core.vaultOpen('set after recovery', reset), plain);
  assert.throws(() => core.vaultOpen(pass, reset), (e) => e.code === 'wrong-passphrase');
  assert.deepEqual(core.vaultUnlockWithRecoveryKey(w.recoveryKey, reset).plaintext, plain);
});

test('version 1: the published vector opens in wasm and reseals as version 2', async () => {
  const core = await loadCore();
  const doc = readFileSync(path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../docs/vault-format.md'), 'utf8');
  const block = /```vector\nname: vault-basic\n([\s\S]*?)```/.exec(doc)[1];
  const hex = /vault:\n((?: {2}[0-9a-f]+\n)+)/.exec(block)[1].replace(/\s+/g, '');
  const v1 = Uint8Array.from(Buffer.from(hex, 'hex'));
  assert.equal(core.vaultInfo(v1).version, 1);
  const u = core.vaultUnlock(pass, v1);
  assert.equal(JSON.parse(new TextDecoder().decode(u.plaintext)).note, 'vault test vector');
  // Its own parameters are below the floor: resealing needs new ones.
  assert.throws(() => core.vaultReseal(u.keys, u.plaintext), (e) => e.code === 'invalid-argument');
  const v2 = core.vaultReseal(core.vaultChangePassphrase(u.keys, pass, floor), u.plaintext);
  assert.deepEqual(core.vaultInfo(v2), { version: 2, ...floor, hasRecoveryKey: false });
  assert.deepEqual(core.vaultOpen(pass, v2), u.plaintext);
  // "Make a recovery key": version 2 with one, opened natively with it.
  const made = core.vaultMakeRecoveryKey(pass, v1, floor);
  assert.deepEqual(core.vaultInfo(made.vault), { version: 2, ...floor, hasRecoveryKey: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-vault-'));
  writeFileSync(path.join(dir, 'upgraded.vault'), made.vault);
  const opened = native('open-recovery', made.recoveryKey, path.join(dir, 'upgraded.vault'));
  assert.equal(opened.status, 0, opened.stderr);
  assert.deepEqual(new Uint8Array(opened.stdout), u.plaintext);
});
