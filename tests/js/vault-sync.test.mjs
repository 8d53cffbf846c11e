// SPDX-License-Identifier: Apache-2.0
// Vault sync as the widget does it (web/widget/js/vault-sync.js) between two
// devices, against the real relay binary, with the wasm core sealing and
// signing as the Worker does: both devices' providers, grants (with their
// keys) and receipts end up on both; a removal made on one stays removed on
// both; a write that loses the compare-and-set is merged and written again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { mergeVaultStates } from '../../web/widget/js/vault-merge.js';
import { VaultSyncClient } from '../../web/widget/js/vault-sync.js';
import { backends, dec, enc, startRelay } from './relay-support.mjs';
import { loadCore } from './support.mjs';

// The Worker's sync methods (core-worker.js), over the wasm module in Node.
function coreCaller(core) {
  const methods = {
    syncRequestSign: (r) => core.syncRequestSign(r),
    syncSealState: (keys, state) => core.syncSeal(keys, enc.encode(JSON.stringify(state))),
    syncOpenState: (keys, copy) => JSON.parse(dec.decode(core.syncOpen(keys, copy))),
  };
  return { call: async (method, ...args) => methods[method](...args) };
}

const base = () => ({ version: 1, createdAt: '2026-01-01T00:00:00Z', providers: [], grants: [], receipts: [] });
const provider = (id) => ({
  id, name: id, fhirBase: `https://${id}.example/fhir`, conf: {}, fetchedAt: '2026-02-01T00:00:00Z', errors: [],
  connectedAt: '2026-02-01T00:00:00Z', tokens: { access_token: 'a', refresh_token: `r-${id}`, expires_at: 1, scope: '', patient: 'p' },
  bundle: { entry: [] },
});
const grant = (id) => ({ grantId: id, keys: { secret: `secret-${id}`, public: '{}' }, sequence: 1, status: 'active' });
const receipt = (g) => ({ type: 'chartlock-consent-receipt', grantId: g, sequence: 1 });

for (const backend of backends) {
  describe(`vault sync between two devices on ${backend.name}`, () => {
    let relay, core, client;

    before(async () => {
      core = await loadCore();
      relay = await startRelay({ db: backend.db(), args: ['--address-rate', '0', '--key-rate', '0'] });
      client = new VaultSyncClient(coreCaller(core), relay.url);
    });
    after(async () => { await relay.stop(); });

    test('both sync, each with its own provider and grant; then a removal stays removed on both', async () => {
      const made = core.vaultCreate('passphrase one', enc.encode('{}'), { opslimit: 2, memlimit: 19456 * 1024 });
      const id = core.syncIdentity(made.recoveryKey);
      const sync = { keys: id.keys, syncId: id.syncId, since: 1 };
      const laptop = { id: 'laptop-1', name: 'Laptop' };
      const phone = { id: 'phone-1', name: 'Phone' };

      // The first device turns sync on; the second signs in with the recovery key.
      let a = { ...base(), sync, providers: [provider('epic')], grants: [grant('g-a')], receipts: [receipt('g-a')] };
      a = (await client.sync(a, laptop, { first: true })).state;
      const second = core.syncIdentity(made.recoveryKey.toLowerCase());  // as typed on the phone
      assert.equal(second.syncId, id.syncId);
      const fetched = await client.fetchLatest(second.keys, second.syncId);
      assert.equal(fetched.version, 1);
      let b = fetched.state;
      assert.deepEqual(b.providers.map((p) => p.id), ['epic']);

      // Both edit at once: each connects a provider and shares with a tool.
      a = { ...a, providers: [...a.providers, provider('cerner')], grants: [...a.grants, grant('g-a2')] };
      b = { ...b, providers: [...b.providers, provider('athena')], grants: [...b.grants, grant('g-b')], receipts: [...b.receipts, receipt('g-b')] };
      const rb = await client.sync(b, phone);
      const ra = await client.sync(a, laptop);  // wrote last: it read the phone's copy and merged it
      assert.equal(ra.version, 3);
      b = (await client.sync(rb.state, phone)).state;
      a = ra.state;
      for (const s of [a, b]) {
        assert.deepEqual(s.providers.map((p) => p.id).sort(), ['athena', 'cerner', 'epic']);
        assert.deepEqual(s.grants.map((g) => [g.grantId, g.keys.secret]).sort(),
          [['g-a', 'secret-g-a'], ['g-a2', 'secret-g-a2'], ['g-b', 'secret-g-b']]);
        assert.deepEqual(s.receipts.map((r) => r.grantId).sort(), ['g-a', 'g-b']);
        assert.deepEqual(s.devices.map((d) => d.id).sort(), ['laptop-1', 'phone-1']);
      }

      // The phone removes a provider; the laptop, which still has it, syncs: it stays removed.
      b = { ...b, providers: b.providers.filter((p) => p.id !== 'cerner'), removed: [{ id: 'cerner', at: new Date().toISOString() }] };
      b = (await client.sync(b, phone)).state;
      a = (await client.sync(a, laptop)).state;
      b = (await client.sync(b, phone)).state;
      for (const s of [a, b]) assert.deepEqual(s.providers.map((p) => p.id).sort(), ['athena', 'epic']);
    });

    test('a write that loses the compare-and-set is merged and written again', async () => {
      const made = core.vaultCreate('p', enc.encode('{}'), { opslimit: 2, memlimit: 19456 * 1024 });
      const id = core.syncIdentity(made.recoveryKey);
      const sync = { keys: id.keys, syncId: id.syncId, since: 1 };
      await client.sync({ ...base(), sync, grants: [grant('g1')] }, { id: 'd1', name: 'One' }, { first: true });
      // Another device writes between this device's read and its write.
      let raced = false;
      const racing = new VaultSyncClient({
        call: async (method, ...args) => {
          const out = await coreCaller(core).call(method, ...args);
          if (method === 'syncSealState' && !raced) {
            raced = true;
            await client.sync({ ...base(), sync, grants: [grant('g2')] }, { id: 'd2', name: 'Two' });
          }
          return out;
        },
      }, relay.url);
      const r = await racing.sync({ ...base(), sync, grants: [grant('g3')] }, { id: 'd3', name: 'Three' });
      assert.ok(raced);
      assert.equal(r.version, 3);
      assert.deepEqual(r.state.grants.map((g) => g.grantId).sort(), ['g1', 'g2', 'g3']);
      const latest = await client.fetchLatest(id.keys, id.syncId);
      assert.deepEqual(latest.state, JSON.parse(JSON.stringify(r.state)));
      // Turning sync off deletes every copy; another device's next sync then says so, and writes nothing.
      await client.turnOff(id.keys, id.syncId);
      assert.equal(await client.fetchLatest(id.keys, id.syncId), null);
      await assert.rejects(client.sync({ ...base(), sync, grants: [grant('g4')] }, { id: 'd2', name: 'Two' }),
        (e) => e.code === 'sync-off' && /turned off on another of your devices/.test(e.message));
      assert.equal(await client.fetchLatest(id.keys, id.syncId), null);
    });

    test('retiredSync stays on its device: never sealed into the copy, never taken from one', async () => {
      const made = core.vaultCreate('p', enc.encode('{}'), { opslimit: 2, memlimit: 19456 * 1024 });
      const id = core.syncIdentity(made.recoveryKey);
      const sync = { keys: id.keys, syncId: id.syncId, since: 1 };
      const retiredSync = [{ keys: 'old-keys', syncId: 'old-sync-id', since: 0 }];
      const sealed = [];
      const watching = new VaultSyncClient({
        call: async (method, ...args) => {
          if (method === 'syncSealState') sealed.push(args[1]);
          return coreCaller(core).call(method, ...args);
        },
      }, relay.url);
      const r = await watching.sync({ ...base(), sync, retiredSync }, { id: 'a', name: 'A' }, { first: true });
      assert.deepEqual(r.state.retiredSync, retiredSync, 'kept on this device');
      assert.equal(sealed.length, 1);
      assert.equal('retiredSync' in sealed[0], false);
      assert.equal('retiredSync' in (await client.fetchLatest(id.keys, id.syncId)).state, false);
      // A copy that carries it (written before it was kept out): another device does not take it.
      const older = new VaultSyncClient({
        call: async (method, keys, s) => (method === 'syncSealState'
          ? coreCaller(core).call(method, keys, { ...s, retiredSync })
          : coreCaller(core).call(method, keys, s)),
      }, relay.url);
      await older.sync({ ...base(), sync }, { id: 'a', name: 'A' });
      assert.equal((await client.fetchLatest(id.keys, id.syncId)).state.retiredSync, undefined);
      const b = await client.sync({ ...base(), sync }, { id: 'b', name: 'B' });
      assert.equal(b.state.retiredSync, undefined);
      assert.equal('retiredSync' in (await client.fetchLatest(id.keys, id.syncId)).state, false);
    });
  });
}

test('a new browser signs in with the recovery key: the synced state becomes its vault, under its own passphrase', async () => {
  const { KDF_FLOOR, Vault, VaultError } = await import('../../web/widget/js/vault.js');
  const core = await loadCore();
  const relay = await startRelay({ db: backends[0].db(), args: ['--address-rate', '0', '--key-rate', '0'] });
  try {
    const client = new VaultSyncClient(coreCaller(core), relay.url);
    const laptop = core.vaultCreate('laptop passphrase', enc.encode('{}'), KDF_FLOOR);
    const id = core.syncIdentity(laptop.recoveryKey);
    await client.sync({ ...base(), sync: { keys: id.keys, syncId: id.syncId, since: 1 }, grants: [grant('g1')] }, { id: 'l', name: 'Laptop' },
      { first: true });

    // The new browser: its Worker, as core-worker.js does it.
    let held = null;
    const worker = {
      call: async (method, ...args) => {
        if (method === 'vaultCreateWithRecoveryKey') {
          const [pass, text, state, params] = args;
          const made = core.vaultCreateWithRecoveryKey(pass, text, enc.encode(JSON.stringify(state)), params);
          held = made.keys;
          return made.vault;
        }
        if (method === 'vaultUnlock') return JSON.parse(dec.decode(core.vaultUnlock(args[0], args[1]).plaintext));
        if (method === 'vaultLock') { held = null; return true; }
        throw new Error(`not needed here: ${method}`);
      },
    };
    const m = new Map();
    const store = { get: async (k) => m.get(k), put: async (k, v) => { m.set(k, v); }, destroy: async () => m.clear() };
    const vault = new Vault(worker, { kdf: KDF_FLOOR, store, lock: (fn) => fn() });
    const typed = laptop.recoveryKey.toLowerCase();
    const phoneId = core.syncIdentity(typed);
    const latest = await client.fetchLatest(phoneId.keys, phoneId.syncId);
    await assert.rejects(vault.createFromSync('short', typed, latest.state), (e) => e instanceof VaultError && e.code === 'weak-passphrase');
    await vault.createFromSync('the phone passphrase', typed, latest.state);
    assert.ok(held);
    assert.deepEqual(vault.state.grants.map((g) => [g.grantId, g.keys.secret]), [['g1', 'secret-g1']]);
    const stored = m.get('vault');
    assert.equal(stored.revision, 1);
    // The stored vault opens with the phone's passphrase and with the same recovery key.
    assert.equal(JSON.parse(dec.decode(core.vaultUnlockWithRecoveryKey(laptop.recoveryKey, stored.sealed).plaintext)).grants[0].grantId, 'g1');
    await vault.lock();
    await vault.unlock('the phone passphrase');
    assert.equal(vault.state.sync.syncId, id.syncId);
    await assert.rejects(vault.createFromSync('the phone passphrase', typed, latest.state), (e) => e.code === 'exists');
    await vault.lock();  // and its idle timer with it
  } finally {
    await relay.stop();
  }
});

test('mergeVaultStates keeps devices from a sync copy (vault-merge.js)', () => {
  const m = mergeVaultStates({ ...base(), devices: [{ id: 'a', name: 'A', lastSync: '2026-01-01T00:00:00Z' }] },
    { ...base(), devices: [{ id: 'b', name: 'B', lastSync: '2026-01-02T00:00:00Z' }] });
  assert.deepEqual(m.devices.map((d) => d.id), ['a', 'b']);
});

// ---- when the widget syncs (sync-screen.js's DeviceSync), with a fake relay client ----

/**
 * A DeviceSync over a fake vault and a fake relay client: `relay.copy` is
 * what the relay holds (null: nothing), `relay.fail` makes a sync fail,
 * `relay.gate` (a promise) holds a sync until it resolves.
 */
async function fakeDeviceSync(state) {
  globalThis.window ??= Object.assign(new EventTarget(), { confirm: () => true });
  globalThis.navigator ??= { userAgent: 'node', onLine: true };
  const { DeviceSync } = await import('../../web/widget/js/sync-screen.js');
  const said = [];
  const vault = {
    state, epoch: 1, saves: 0,
    get unlocked() { return this.state !== null; },
    async save() { this.saves++; },
    async recoveryKeyOpens() { return true; },
  };
  const core = { call: async (method, text) => (method === 'syncIdentity' ? { keys: `keys-${text}`, syncId: `id-${text}` } : null) };
  const devices = new Map();
  const ds = new DeviceSync({ core, vault, config: { relayUrl: 'http://relay.invalid' }, main: null, say: (t) => said.push(t),
    home: () => {}, back: () => {}, changed: () => {} }, { get: async (k) => devices.get(k), put: async (k, v) => { devices.set(k, v); } });
  const relay = { copy: null, fail: null, gate: null, syncs: [], turnedOff: [] };
  ds.client = {
    async sync(s, device, { first = false } = {}) {
      relay.syncs.push({ first });
      const copy = relay.copy;  // read before the gate: what a real sync's GET saw
      if (relay.gate) await relay.gate;
      if (relay.fail) throw relay.fail;
      if (!copy && !first) throw Object.assign(new Error('off'), { code: 'sync-off' });
      const merged = copy ? mergeVaultStates(structuredClone(s), structuredClone(copy)) : structuredClone(s);
      relay.copy = merged;
      return { state: structuredClone(merged), version: 1 };
    },
    async fetchLatest() { return relay.copy && { state: structuredClone(relay.copy), version: 1 }; },
    async turnOff(keys, syncId) { relay.turnedOff.push(syncId); },
  };
  return { ds, vault, relay, said };
}

const live = (id) => ({ ...grant(id), tool: { name: `Tool ${id}` } });

test('before deleting the vault with sync on, a sync runs; only the grants its copy did not carry are to disconnect', async () => {
  const state = { ...base(), sync: { keys: 'k', syncId: 's', since: 1 }, grants: [live('old')] };
  const { ds, relay } = await fakeDeviceSync(state);
  relay.copy = { ...base(), grants: [live('old')] };
  await ds.run();
  // Shared a moment ago (before the debounced sync): only this device has its key — unless the sync now carries it.
  state.grants.push(live('new'));
  assert.deepEqual((await ds.grantsOnlyHere()).map((g) => g.grantId), []);
  assert.deepEqual(relay.copy.grants.map((g) => g.grantId).sort(), ['new', 'old']);
  // The sync fails now (offline): what the last sync that worked did not carry is to disconnect.
  state.grants.push(live('newer'));
  relay.fail = Object.assign(new Error('no network'), { code: 'unreachable' });
  assert.deepEqual((await ds.grantsOnlyHere()).map((g) => g.grantId), ['newer']);
  clearTimeout(ds.timer);
});

test('before deleting: no sync that worked yet, or sync off, means every live grant is to disconnect', async () => {
  const state = { ...base(), sync: { keys: 'k', syncId: 's', since: 1 }, grants: [live('a'), { ...live('b'), status: 'revoked' }] };
  const { ds, relay } = await fakeDeviceSync(state);
  relay.copy = { ...base() };
  relay.fail = Object.assign(new Error('relay down'), { code: 'http' });
  assert.deepEqual((await ds.grantsOnlyHere()).map((g) => g.grantId), ['a']);
  clearTimeout(ds.timer);
  delete state.sync;
  assert.deepEqual((await ds.grantsOnlyHere()).map((g) => g.grantId), ['a']);
  // Turned off on another device meanwhile: as with sync off.
  const on = { ...base(), sync: { keys: 'k', syncId: 's', since: 1 }, grants: [live('c')] };
  const other = await fakeDeviceSync(on);
  other.relay.copy = null;
  assert.deepEqual((await other.ds.grantsOnlyHere()).map((g) => g.grantId), ['c']);
  assert.equal(on.sync, undefined);
});

test('turning sync on: a background sync asked for meanwhile waits for the first write, and does not turn sync off', async () => {
  const state = { ...base(), grants: [live('a')] };
  const { ds, relay } = await fakeDeviceSync(state);
  let release;
  relay.gate = new Promise((r) => { release = r; });
  const turning = ds.turnOn('KEY', 'Laptop');
  while (relay.syncs.length === 0) await new Promise((r) => setTimeout(r, 1));
  // The browser comes back online, or a save's debounce ends, while the first sync is under way.
  const background = ds.run();
  await new Promise((r) => setTimeout(r, 5));  // a sync of its own would have read (nothing yet) by now
  release();
  assert.equal(await turning, null);
  await background;
  assert.ok(state.sync, 'sync is on');
  assert.equal(state.sync.syncId, 'id-KEY');
  await new Promise((r) => setTimeout(r, 5));  // the sync asked for meanwhile runs after the first
  await ds.running;
  assert.deepEqual(relay.syncs.map((s) => s.first), [true, false]);
  assert.ok(state.sync, 'still on');
  clearTimeout(ds.timer);
});

test('a new recovery key: sync is retired even when saving that fails, and the old copy is still deleted (never throws)', async () => {
  const state = { ...base(), sync: { keys: 'k1', syncId: 'old', since: 1 }, grants: [live('a')] };
  const { ds, vault, relay } = await fakeDeviceSync(state);
  vault.save = async () => { throw Object.assign(new Error('The vault was locked before it could be saved.'), { code: 'locked' }); };
  const r = await ds.retireForNewKey();
  assert.deepEqual(r, { wasOn: true, pending: false, unsaved: 'The vault was locked before it could be saved.' });
  assert.deepEqual(relay.turnedOff, ['old']);
  assert.equal(state.sync, undefined);
  assert.equal(state.retiredSync, undefined);
  clearTimeout(ds.timer);
});

test('a key whose sync this device found turned off elsewhere is not turned on again without an explicit confirm', async () => {
  // B still has the old key's sync; A made a new key, which deleted the old key's copy.
  const state = { ...base(), sync: { keys: 'keys-K1', syncId: 'id-K1', since: 1 }, grants: [live('a')] };
  const { ds, relay } = await fakeDeviceSync(state);
  await ds.run();
  assert.equal(state.sync, undefined);
  assert.equal(state.syncOffElsewhere, 'id-K1', 'recorded: which sync was found turned off');
  // Typing K1 again on B: nothing is written (that would recreate the old key's copy with the whole vault).
  assert.equal(await ds.turnOn('K1', 'Phone'), 'needs-confirm');
  assert.equal(relay.copy, null);
  assert.deepEqual(relay.syncs.map((s) => s.first), [false]);
  // Confirmed, it turns on (a later turn-on than the turn-off), and the record goes.
  await new Promise((r) => setTimeout(r, 2));
  assert.equal(await ds.turnOn('K1', 'Phone', undefined, { confirmed: true }), null);
  assert.equal(state.sync.syncId, 'id-K1');
  assert.equal(state.syncOffElsewhere, undefined);
  clearTimeout(ds.timer);
});

// A few elements, as much of the DOM as redrawKeepingFocus uses.
class FakeElement {
  constructor(tagName, { id = '', text = '', children = [] } = {}) {
    Object.assign(this, { tagName, id, children, parent: null, ownText: text });
    for (const c of children) c.parent = this;
  }
  get textContent() { return this.ownText + this.children.map((c) => c.textContent).join(''); }
  get isConnected() { return this === globalThis.document.body || (this.parent?.isConnected ?? false); }
  getAttribute() { return null; }
  contains(el) { return el === this || this.children.some((c) => c.contains(el)); }
  all() { return this.children.flatMap((c) => [c, ...c.all()]); }
  querySelectorAll(tag) { return this.all().filter((e) => e.tagName === tag); }
  querySelector(sel) { return this.all().find((e) => `#${e.id}` === sel) ?? null; }
  focus() { globalThis.document.activeElement = this; }
  blur() { globalThis.document.activeElement = globalThis.document.body; }
  replaceChildren(...cs) { for (const c of this.children) c.parent = null; this.children = cs; for (const c of cs) c.parent = this; }
}

test('a background sync redraws the home screen without moving keyboard focus', async () => {
  globalThis.window ??= Object.assign(new EventTarget(), { confirm: () => true });
  globalThis.CSS ??= { escape: (s) => s };
  const { redrawKeepingFocus } = await import('../../web/widget/js/sync-screen.js');
  const body = new FakeElement('BODY');
  globalThis.document = { body, activeElement: body };
  const main = new FakeElement('MAIN');
  body.replaceChildren(main);
  // What home() draws (show(): the heading takes focus).
  const home = () => {
    const h1 = new FakeElement('H1', { text: 'Chartlock' });
    main.replaceChildren(h1,
      new FakeElement('BUTTON', { text: 'Disconnect' }), new FakeElement('BUTTON', { text: 'Disconnect' }),
      new FakeElement('BUTTON', { text: 'Sync now' }), new FakeElement('INPUT', { id: 'search' }));
    h1.focus();
  };
  home();
  const second = main.children[2];
  second.focus();
  redrawKeepingFocus(main, home);
  assert.notEqual(document.activeElement, second, 'a new element');
  assert.equal(document.activeElement, main.children[2], 'the second "Disconnect" again, not the heading');
  main.children[4].focus();
  redrawKeepingFocus(main, home);
  assert.equal(document.activeElement.id, 'search');
  assert.equal(document.activeElement.isConnected, true);
  // Focus on nothing (the page's body): it stays there.
  document.activeElement.blur();
  redrawKeepingFocus(main, home);
  assert.equal(document.activeElement, body);
  delete globalThis.document;
});
