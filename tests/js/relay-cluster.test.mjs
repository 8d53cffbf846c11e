// SPDX-License-Identifier: Apache-2.0
// Several relay instances on one PostgreSQL, as behind a load balancer:
// grants, bundles and used nonces are shared through the database; and a
// relay that loses its database connections recovers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { loadCore } from './support.mjs';
import {
  createGrant, enc, expectError, getBundle, makeKeys, noPostgres, postgresUrl, putBundle, revokeGrant,
  sealBundle, signedFetch, startRelay,
} from './relay-support.mjs';

test('two relays on one PostgreSQL: put through one, fetch through the other', { skip: noPostgres }, async () => {
  const args = ['--address-rate', '0', '--key-rate', '0'];
  const [a, b] = await Promise.all([startRelay({ db: postgresUrl, args }), startRelay({ db: postgresUrl, args })]);
  try {
    const core = await loadCore();
    const [patient, tool] = await Promise.all([makeKeys(), makeKeys()]);
    const fhir = enc.encode('{"resourceType":"Bundle","type":"collection","entry":[]}');
    const { status, grantId } = await createGrant(a, { patient, tool });
    assert.equal(status, 201);

    const bundle = await sealBundle({ patient, tool, grantId, sequence: 1, fhir });
    assert.equal((await putBundle(b, patient, grantId, bundle)).status, 201);
    const got = await getBundle(a, tool, grantId);
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, bundle);
    const opened = core.bundleOpen(got.bytes, { key: tool.secret, expectedSigner: patient.public });
    assert.deepEqual(opened.parts[0].bytes, fhir);

    // A nonce used at one instance is a replay at the other.
    expectError(assert, await signedFetch(b, { method: 'GET', path: `/v1/grants/${grantId}/bundle`, authorization: got.authorization }),
      401, 'replayed-nonce');

    // Concurrent puts through both instances: the sequence check is one
    // compare-and-set in the database, so the highest acknowledged wins.
    const sealed = await Promise.all(Array.from({ length: 12 }, (_, i) => sealBundle({ patient, tool, grantId, sequence: i + 2, fhir })));
    const results = await Promise.all(sealed.map((s, i) => putBundle(i % 2 ? a : b, patient, grantId, s)));
    const acked = results.map((r, i) => (r.status === 200 ? i + 2 : 0)).filter(Boolean);
    for (const r of results) assert.ok([200, 409].includes(r.status), JSON.stringify(r.json));
    assert.ok(acked.length >= 1);
    const latest = await getBundle(b, tool, grantId);
    assert.equal(Number(latest.headers.get('chartlock-sequence')), Math.max(...acked));
    expectError(assert, await putBundle(a, patient, grantId, sealed[0]), 409, 'stale-sequence');

    // Revoked through one, gone at both.
    assert.equal((await revokeGrant(b, patient, grantId)).status, 204);
    expectError(assert, await getBundle(a, tool, grantId), 410, 'revoked');
    expectError(assert, await getBundle(b, tool, grantId), 410, 'revoked');
  } finally {
    const [ea, eb] = await Promise.all([a.stop(), b.stop()]);
    assert.equal(ea.code, 0);
    assert.equal(eb.code, 0);
  }
});

test('PostgreSQL connections dropped under the relay: 503 unavailable, then it reconnects', { skip: noPostgres }, async () => {
  // A name of our own, so that only this relay's connections are cut.
  const name = `chartlock-relay-test-${process.pid}`;
  const relay = await startRelay({ db: `${postgresUrl}?application_name=${name}`, args: ['--threads', '2', '--address-rate', '0', '--key-rate', '0'] });
  try {
    const [patient, tool] = await Promise.all([makeKeys(), makeKeys()]);
    const { grantId } = await createGrant(relay, { patient, tool });
    const bundle = await sealBundle({ patient, tool, grantId, sequence: 1, fhir: enc.encode('{}') });
    assert.equal((await putBundle(relay, patient, grantId, bundle)).status, 201);

    const cut = spawnSync('psql', [postgresUrl, '-qAt', '-c',
      `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '${name}'`]);
    assert.equal(cut.status, 0, cut.stderr?.toString());
    assert.ok(Number(cut.stdout.toString()) >= 1);

    const statuses = [];
    for (let i = 0; i < 20 && statuses.at(-1) !== 200; i++) {
      const r = await getBundle(relay, tool, grantId);
      if (r.status === 503) {
        expectError(assert, r, 503, 'unavailable');
        assert.equal(r.headers.get('retry-after'), '5');
      }
      statuses.push(r.status);
    }
    assert.ok(statuses.includes(503), `no request saw the outage: ${statuses}`);
    assert.equal(statuses.at(-1), 200, `${statuses}`);
    assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
    assert.ok(relay.logs.some((l) => l.event === 'db-error' && !l.message.includes('postgres://')));
  } finally {
    assert.equal((await relay.stop()).code, 0);
  }
});
