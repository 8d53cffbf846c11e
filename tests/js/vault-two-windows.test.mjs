// SPDX-License-Identifier: Apache-2.0
// Two widget windows, one vault (web/widget/js/vault.js): each save checks
// the stored revision under the vault's lock, and merges what another window
// saved meanwhile — so a grant made in one window (with its secret key, the
// only way to disconnect that tool) survives a save from the other, whose
// state was read before it. On the wasm core, as core-worker.js calls it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadCore } from './support.mjs';

const { KDF_FLOOR, Vault, VaultError } = await import('../../web/widget/js/vault.js');

const enc = new TextEncoder();
const dec = new TextDecoder();

// One window's Worker: the passphrase lives here, as in core-worker.js.
function windowWorker(core) {
  let passphrase = null;
  const methods = {
    vaultCreate: (pass, state, params) => { passphrase = pass; return { sealed: core.vaultSeal(pass, enc.encode(JSON.stringify(state)), params), recoveryKey: '' }; },
    vaultUnlock: (pass, sealed) => { const st = JSON.parse(dec.decode(core.vaultOpen(pass, sealed))); passphrase = pass; return st; },
    vaultReopen: (sealed) => JSON.parse(dec.decode(core.vaultOpen(passphrase, sealed))),
    vaultSave: (state, params) => core.vaultSeal(passphrase, enc.encode(JSON.stringify(state)), params),
    vaultLock: () => { passphrase = null; return true; },
  };
  return { call: async (method, ...args) => methods[method](...args) };
}

// IndexedDB, shared by the windows of one origin.
function sharedStore() {
  const m = new Map();
  return { m, get: async (k) => m.get(k), put: async (k, v) => { m.set(k, v); return k; }, destroy: async () => m.clear() };
}

// The Web Lock: one holder at a time, across the windows.
function sharedLock() {
  let tail = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

const PASS = 'a long enough passphrase';
const grant = (id) => ({ grantId: id, tool: { name: id }, relay: 'https://relay.example', keys: { secret: `secret-of-${id}`, public: '{}' },
  sequence: 1, createdAt: 1, expiresAt: 2, status: 'active', selection: {}, sharedKeys: [], sharedAt: 1 });

async function twoWindows() {
  const core = await loadCore();
  const store = sharedStore();
  const lock = sharedLock();
  const open = () => new Vault(windowWorker(core), { kdf: { ...KDF_FLOOR }, store, lock });
  const a = open();
  await a.create(PASS);
  const b = open();
  await b.unlock(PASS);
  return { store, a, b, open };
}

test('a grant made in each window: both kept, with their keys, whichever saves last', async () => {
  const { a, b, open } = await twoWindows();
  a.state.grants.push(grant('made-in-a'));
  await a.save();
  b.state.grants.push(grant('made-in-b'));  // b read the vault before a's save
  await b.save();
  const c = open();
  await c.unlock(PASS);
  assert.deepEqual(c.state.grants.map((g) => [g.grantId, g.keys.secret]).sort(),
    [['made-in-a', 'secret-of-made-in-a'], ['made-in-b', 'secret-of-made-in-b']]);
  // b now holds both, in the objects it had: a's grant joined b's state.
  assert.deepEqual(b.state.grants.map((g) => g.grantId).sort(), ['made-in-a', 'made-in-b']);
  // a, stale in turn, saves a disconnect: nothing of b's is lost, and the disconnect holds.
  a.state.grants[0].status = 'revoked';
  await a.save();
  const d = open();
  await d.unlock(PASS);
  assert.deepEqual(d.state.grants.map((g) => `${g.grantId}:${g.status}`).sort(), ['made-in-a:revoked', 'made-in-b:active']);
  for (const v of [a, b, c, d]) await v.lock();
});

test('saves at the same moment from both windows: one after the other, nothing lost', async () => {
  const { a, b, open } = await twoWindows();
  a.state.grants.push(grant('one'));
  b.state.grants.push(grant('two'));
  await Promise.all([a.save(), b.save()]);
  const c = open();
  await c.unlock(PASS);
  assert.deepEqual(c.state.grants.map((g) => g.grantId).sort(), ['one', 'two']);
  for (const v of [a, b, c]) await v.lock();
});

test('a vault deleted in another window is not brought back by a save', async () => {
  const { store, a, b } = await twoWindows();
  await a.destroy();
  b.state.grants.push(grant('late'));
  await assert.rejects(b.save(), (e) => e instanceof VaultError && e.code === 'missing');
  assert.equal(store.m.size, 0);
  await b.lock();
});
