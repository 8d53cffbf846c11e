// SPDX-License-Identifier: Apache-2.0
// Crash safety: kill -9 the relay while bundles are being put in a loop,
// restart it on the same database, and check that every put that was
// answered 2xx is there (or a later one) and opens, and that the SQLite
// file passes its integrity check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { loadCore } from './support.mjs';
import {
  backends, createGrant, enc, getBundle, makeKeys, putBundle, sealBundle, sleep, startRelay,
} from './relay-support.mjs';

function sqliteIntegrity(db) {
  const r = spawnSync('sqlite3', [db, 'PRAGMA integrity_check; PRAGMA foreign_key_check;']);
  assert.equal(r.error, undefined, 'the sqlite3 command is needed (scripts/bootstrap installs it)');
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString().trim();
}

for (const backend of backends) {
  test(`crash safety on ${backend.name}: kill -9 during puts; every acknowledged put survives`, async () => {
    const core = await loadCore();
    const db = backend.db();
    const args = ['--address-rate', '0', '--key-rate', '0'];
    let relay = await startRelay({ db, args });
    const tool = await makeKeys();
    const grants = [];
    for (let i = 0; i < 4; i++) {
      const patient = await makeKeys();
      const r = await createGrant(relay, { patient, tool });
      assert.equal(r.status, 201);
      grants.push({ patient, grantId: r.grantId, acked: 0, sent: 0, bundles: new Map() });
    }
    const fhirFor = (g, seq) => enc.encode(JSON.stringify({ resourceType: 'Bundle', id: `${g.grantId}-${seq}`, type: 'collection' }));

    // Four writers, each putting ever-newer bundles to its grant.
    let crashed = false;
    const writers = grants.map(async (g) => {
      for (let seq = 1; !crashed; seq++) {
        const bundle = await sealBundle({ patient: g.patient, tool, grantId: g.grantId, sequence: seq, fhir: fhirFor(g, seq) });
        g.bundles.set(seq, bundle);
        g.sent = seq;
        let r;
        try {
          r = await putBundle(relay, g.patient, g.grantId, bundle);
        } catch {
          return;  // the relay is gone
        }
        assert.ok(r.status === 201 || r.status === 200, `put ${seq}: ${r.status} ${JSON.stringify(r.json)}`);
        g.acked = seq;
      }
    });
    await sleep(1500);
    crashed = true;
    const { signal } = await relay.kill();
    assert.equal(signal, 'SIGKILL');
    await Promise.all(writers);
    for (const g of grants) assert.ok(g.acked >= 2, `only ${g.acked} puts acknowledged before the kill`);

    if (backend.name === 'sqlite') assert.equal(sqliteIntegrity(db), 'ok');

    relay = await startRelay({ db, args });
    try {
      for (const g of grants) {
        const r = await getBundle(relay, tool, g.grantId);
        assert.equal(r.status, 200);
        const seq = Number(r.headers.get('chartlock-sequence'));
        // Acknowledged means stored; a put cut off after its commit may be there too.
        assert.ok(seq >= g.acked && seq <= g.sent, `stored ${seq}, acknowledged ${g.acked}, sent ${g.sent}`);
        assert.deepEqual(r.bytes, g.bundles.get(seq));
        const opened = core.bundleOpen(r.bytes, { key: tool.secret, expectedSigner: g.patient.public });
        assert.deepEqual(opened.parts[0].bytes, fhirFor(g, seq));
      }
    } finally {
      assert.equal((await relay.stop()).code, 0);
    }
    if (backend.name === 'sqlite') assert.equal(sqliteIntegrity(db), 'ok');
  });
}
