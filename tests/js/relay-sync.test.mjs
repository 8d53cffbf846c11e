// SPDX-License-Identifier: Apache-2.0
// Vault sync end to end: the wasm module (the widget's code path) derives
// the sync identity from a recovery key, seals and opens sync copies and
// signs the requests; the real relay binary (SQLite, and PostgreSQL under
// scripts/with-postgres) stores them with its compare-and-set
// (docs/relay-protocol.md §11, docs/vault-format.md §11).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { backends, dec, enc, startRelay } from './relay-support.mjs';
import { loadCore, root } from './support.mjs';

const widget = 'https://widget.example';

// The published vector's fields (docs/vault-format.md §11.6).
function syncVector() {
  const doc = readFileSync(path.join(root, 'docs/vault-format.md'), 'utf8');
  const block = doc.split('```sync-vector\n')[1].split('\n```')[0];
  const fields = {};
  let last;
  for (const line of block.split('\n')) {
    if (/^\s/.test(line)) fields[last] += line.trim();
    else if (line.includes(':')) {
      last = line.slice(0, line.indexOf(':')).trim();
      fields[last] = line.slice(line.indexOf(':') + 1).trim();
    }
  }
  return fields;
}

const hex = (s) => Uint8Array.from(s.match(/../g).map((b) => parseInt(b, 16)));

test('wasm sync: the identity and copy of the published vector', async () => {
  const core = await loadCore();
  const v = syncVector();
  const id = core.syncIdentity(v.recovery_key_text);
  assert.equal(id.syncId, v.sync_id);
  assert.equal(Buffer.from(id.signingKey, 'base64url').toString('hex'), v.signing_public);
  assert.equal(id.keys.length, 128);
  assert.deepEqual(core.syncOpen(id.keys, hex(v.copy)), hex(v.plaintext));
  assert.deepEqual(core.syncInfo(id.keys), id);
});

test('wasm sync: round trip, wrong key, tampering, bad input', async () => {
  const core = await loadCore();
  const made = core.vaultCreate('a passphrase for sync', enc.encode('{}'), { opslimit: 2, memlimit: 19456 * 1024 });
  const id = core.syncIdentity(made.recoveryKey);
  const other = core.syncIdentity(core.vaultCreate('x', enc.encode('{}'), { opslimit: 2, memlimit: 19456 * 1024 }).recoveryKey);
  const plain = enc.encode('{"providers":[{"id":"p1"}],"note":"é ✓"}');
  const copy = core.syncSeal(id.keys, plain);
  assert.deepEqual(core.syncOpen(id.keys, copy), plain);
  assert.notDeepEqual(core.syncSeal(id.keys, plain), copy);  // a fresh header every seal
  assert.throws(() => core.syncOpen(other.keys, copy), (e) => e.code === 'wrong-key');
  const flipped = copy.slice(); flipped[copy.length - 10] ^= 1;
  assert.throws(() => core.syncOpen(id.keys, flipped), (e) => e.code === 'tampered');
  assert.throws(() => core.syncOpen(id.keys, made.vault), (e) => e.code === 'not-a-bundle');
  assert.throws(() => core.syncIdentity('not a recovery key'), (e) => e.code === 'malformed');
  assert.throws(() => core.syncSeal('short', plain), (e) => e.code === 'malformed');
  assert.throws(() => core.syncInfo(id.keys.slice(1) + '*'), (e) => e.code === 'malformed');
  // Spaces and lower case in the typed key give the same identity.
  assert.equal(core.syncIdentity(made.recoveryKey.toLowerCase().replaceAll('-', ' ')).syncId, id.syncId);
});

test('wasm sync: a new device signs in with the recovery key and keeps it', async () => {
  const core = await loadCore();
  const fast = { opslimit: 2, memlimit: 19456 * 1024 };
  const laptop = core.vaultCreate('laptop passphrase', enc.encode('{"on":"laptop"}'), fast);
  const phone = core.vaultCreateWithRecoveryKey('phone passphrase', laptop.recoveryKey.toLowerCase(), enc.encode('{"on":"phone"}'), fast);
  assert.equal(phone.recoveryKey, laptop.recoveryKey);
  assert.equal(dec.decode(core.vaultUnlockWithRecoveryKey(laptop.recoveryKey, phone.vault).plaintext), '{"on":"phone"}');
  assert.equal(dec.decode(core.vaultUnlock('phone passphrase', phone.vault).plaintext), '{"on":"phone"}');
  assert.throws(() => core.vaultUnlock('laptop passphrase', phone.vault), (e) => e.code === 'wrong-passphrase');
  assert.equal(core.syncIdentity(phone.recoveryKey).syncId, core.syncIdentity(laptop.recoveryKey).syncId);
  assert.throws(() => core.vaultCreateWithRecoveryKey('p', 'ABCDE', enc.encode('{}'), fast), (e) => e.code === 'malformed');
});

for (const backend of backends) {
  describe(`relay sync on ${backend.name}`, () => {
    let relay, core;
    const secrets = [];  // never in the relay's log: sync ids, signing keys

    before(async () => {
      core = await loadCore();
      relay = await startRelay({
        db: backend.db(),
        args: ['--max-bundle-bytes', '64KiB', '--allowed-origin', widget, '--address-rate', '0', '--key-rate', '0'],
      });
    });
    after(async () => {
      const { code } = await relay.stop();
      assert.equal(code, 0);
      assert.ok(relay.logs.some((l) => l.route === '/v1/sync/:id'), 'logged by route template');
      for (const s of secrets) assert.ok(!relay.raw.includes(s), `the log holds a sync id or key: ${s.slice(0, 8)}…`);
    });

    // A device of the vault whose recovery key made `id`.
    async function send(id, method, target, body, headers = {}) {
      const bytes = body ?? new Uint8Array(0);
      const authorization = core.syncRequestSign({ method, path: target, body: bytes, keys: id.keys });
      const res = await fetch(relay.url + target, {
        method, body: body && bytes, headers: { authorization, ...(body ? { 'content-type': 'application/octet-stream' } : {}), ...headers },
      });
      const buf = new Uint8Array(await res.arrayBuffer());
      const json = (res.headers.get('content-type') ?? '').startsWith('application/json') ? JSON.parse(dec.decode(buf)) : undefined;
      return { status: res.status, headers: res.headers, bytes: buf, json };
    }
    const fresh = () => {
      const id = core.syncIdentity(core.vaultCreate('p', enc.encode('{}'), { opslimit: 2, memlimit: 19456 * 1024 }).recoveryKey);
      secrets.push(id.syncId, id.signingKey);
      return id;
    };

    test('two devices: write, conflict, fetch, merge, write; the history; turning sync off', async () => {
      const id = fresh();
      const at = `/v1/sync/${id.syncId}`;
      assert.equal((await send(id, 'GET', at)).json.error, 'no-sync');
      const first = await send(id, 'PUT', `${at}?version=0`, core.syncSeal(id.keys, enc.encode('{"from":"A"}')));
      assert.equal(first.status, 201);
      assert.equal(first.json.version, 1);
      // B writes on version 1; A's write from version 1 then conflicts.
      assert.equal((await send(id, 'PUT', `${at}?version=1`, core.syncSeal(id.keys, enc.encode('{"from":"B"}')))).status, 200);
      const lost = await send(id, 'PUT', `${at}?version=1`, core.syncSeal(id.keys, enc.encode('{"from":"A2"}')));
      assert.equal(lost.status, 409);
      assert.equal(lost.json.error, 'version-conflict');
      assert.equal(lost.json.version, 2);
      const latest = await send(id, 'GET', at, undefined, { origin: widget });
      assert.equal(latest.status, 200);
      assert.equal(latest.headers.get('chartlock-sync-version'), '2');
      assert.match(latest.headers.get('access-control-expose-headers'), /Chartlock-Sync-Version/);
      assert.equal(dec.decode(core.syncOpen(id.keys, latest.bytes)), '{"from":"B"}');
      const merged = await send(id, 'PUT', `${at}?version=2`, core.syncSeal(id.keys, enc.encode('{"from":["A2","B"]}')));
      assert.equal(merged.json.version, 3);
      const v1 = await send(id, 'GET', `${at}?version=1`);
      assert.equal(dec.decode(core.syncOpen(id.keys, v1.bytes)), '{"from":"A"}');
      for (let v = 3; v < 8; v++) {
        assert.equal((await send(id, 'PUT', `${at}?version=${v}`, core.syncSeal(id.keys, enc.encode(`{"n":${v}}`)))).status, 200);
      }
      assert.equal((await send(id, 'GET', `${at}?version=3`)).json.error, 'version-gone');
      assert.equal((await send(id, 'GET', `${at}?version=4`)).status, 200);
      // Another vault's keys cannot read or write this one.
      const other = fresh();
      const foreign = await fetch(`${relay.url}${at}`, {
        headers: { authorization: core.syncRequestSign({ method: 'GET', path: at, keys: other.keys }) },
      });
      assert.equal(foreign.status, 403);
      assert.equal((await send(id, 'DELETE', at)).status, 204);
      assert.equal((await send(id, 'GET', at)).json.error, 'no-sync');
    });

    test('a copy over the size limit is 413; a body that is not a sync copy is 400 bad-copy', async () => {
      const id = fresh();
      const at = `/v1/sync/${id.syncId}`;
      const big = core.syncSeal(id.keys, new Uint8Array(64 * 1024));
      const r = await send(id, 'PUT', `${at}?version=0`, big);
      assert.equal(r.status, 413);
      const bad = await send(id, 'PUT', `${at}?version=0`, enc.encode('{"plaintext":true}'));
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error, 'bad-copy');
      assert.equal((await send(id, 'PUT', `${at}?version=0`, core.syncSeal(id.keys, enc.encode('{}')))).status, 201);
    });
  });
}
